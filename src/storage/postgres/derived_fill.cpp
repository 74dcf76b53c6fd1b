#include "derived_fill.hpp"

#include "deferred_ddl.hpp"
#include "migrations.hpp"

#include <fmt/format.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace sileram::storage::postgres {

namespace {

// The tables of the schema with triggers of their own (not the foreign keys' internal ones):
// the base tables whose triggers keep step_stays and the tallies, and step_stays itself.
constexpr const char* k_trigger_tables = R"sql(
SELECT DISTINCT c.relname FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'sileram' AND NOT t.tgisinternal
ORDER BY 1
)sql";
// Those of them whose triggers are on.
constexpr const char* k_triggers_on = R"sql(
SELECT count(*) FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'sileram' AND NOT t.tgisinternal AND t.tgenabled <> 'D'
)sql";
// The derived tables of the schema (include/sileram/storage/copy.hpp lists them with SQLite's):
// the step stays and every tally, those of later migrations too.
constexpr const char* k_derived_tables = R"sql(
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'sileram' AND c.relkind = 'r'
  AND (c.relname = 'step_stays' OR c.relname LIKE 'tally\_%')
ORDER BY 1
)sql";

// The indexes of those tables that no constraint owns, with their definitions.
constexpr const char* k_derived_indexes = R"sql(
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'sileram' AND (c.relname = 'step_stays' OR c.relname LIKE 'tally\_%')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY i.indexrelid
)sql";

constexpr const char* k_analyze_base_tables =
    "ANALYZE signals, history, submitters, signal_fields, decisions";
// Memory for the fills' sorts and hash tables (the default 4 MB spilled the count of the search
// words to disk), until the end of the bulk write's transaction.
constexpr const char* k_fill_settings = "SET LOCAL work_mem = '256MB'";

std::vector<std::string> names(Connection& db, const char* sql) {
    const Result r = db.exec(sql);
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
        out.push_back(r.text(row, 0));
    }
    return out;
}

void set_triggers(Connection& db, const char* what) {
    for (const std::string& table : names(db, k_trigger_tables)) {
        db.exec(fmt::format("ALTER TABLE sileram.\"{}\" {} TRIGGER USER", table, what).c_str());
    }
}

} // namespace

void disable_derived_triggers(Connection& db) {
    set_triggers(db, "DISABLE");
}

void enable_derived_triggers(Connection& db) {
    set_triggers(db, "ENABLE");
}

void fill_derived_tables(Connection& db, DerivedIndexes indexes) {
    if (db.exec(k_triggers_on).integer(0, 0) != 0) {
        throw std::logic_error("fill_derived_tables: the triggers that keep the derived tables "
                               "are on; turn them off first (disable_derived_triggers)");
    }
    // DELETE, not TRUNCATE: readers of the tallies go on until the commit (TRUNCATE would hold
    // ACCESS EXCLUSIVE). The tables of an empty database hold nothing to delete.
    for (const std::string& table : names(db, k_derived_tables)) {
        db.exec(fmt::format("DELETE FROM sileram.\"{}\"", table).c_str());
    }
    DeferredDdl deferred;
    if (indexes == DerivedIndexes::rebuild) {
        deferred.drop_indexes(db, k_derived_indexes);
        deferred.drop_foreign_keys(db, {"step_stays"});
    }
    // The base tables' rows are new to the planner: without statistics it joined a million
    // signals to their history by a million index probes.
    db.exec(k_analyze_base_tables);
    db.exec(k_fill_settings);
    db.script(derived_first_fill().c_str());
    deferred.restore(db);
}

} // namespace sileram::storage::postgres
