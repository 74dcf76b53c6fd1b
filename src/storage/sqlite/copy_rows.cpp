#include "copy_rows.hpp"

#include "migrations.hpp"
#include "tallies.hpp"

#include <fmt/format.h>

namespace sileram::storage::sqlite {

namespace {

// References are checked at the commit, so a signal may name as duplicate one copied after it.
constexpr const char* k_defer_references = "PRAGMA defer_foreign_keys = ON";
// Every trigger keeps derived data (step stays, tallies) row by row; the copy builds it at the
// end instead, set-based.
constexpr const char* k_all_triggers =
    "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name";
// Rebuilt with one sort each at the end. The unique ones stay: they check the rows as they come.
std::string copied_indexes() {
    std::string tables;
    for (const CopiedTable& table : k_copied_tables) {
        tables += fmt::format("{}'{}'", tables.empty() ? "" : ", ", table.name);
    }
    return fmt::format("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT "
                       "NULL AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({}) ORDER BY name",
                       tables);
}
// The page cache while rows go in, as for an import (bulk_insert.cpp): the B-trees of the tables
// and their unique indexes stay in memory. Then smaller, since each index sort takes runs as
// large as the cache; afterwards SQLite's default again.
constexpr const char* k_copy_cache = "PRAGMA cache_size = -32768";
constexpr const char* k_copy_build_cache = "PRAGMA cache_size = -8192; PRAGMA shrink_memory";
constexpr const char* k_default_cache = "PRAGMA cache_size = -2000";
constexpr const char* k_rebuild_search = "INSERT INTO signals_fts (signals_fts) VALUES ('rebuild')";
// One segment above the levels later submits merge (see bulk_insert.cpp).
constexpr const char* k_merge_search = "INSERT INTO signals_fts (signals_fts) VALUES ('optimize')";

std::string column_list(const CopiedTable& table) {
    std::string list;
    for (const std::string_view column : table.columns) {
        list += list.empty() ? "" : ", ";
        list += fmt::format("\"{}\"", column);
    }
    return list;
}

class SqliteRowWriter final : public RowWriter {
public:
    SqliteRowWriter(Connection& db, const CopiedTable& table)
        : m_insert(db.prepare(fmt::format("INSERT INTO \"{}\" ({}) VALUES ({})", table.name,
                                          column_list(table), placeholders(table)))) {}

    void add(const Row& row) override {
        int index = 0;
        for (const auto& cell : row) {
            // Text into a column of INTEGER or REAL affinity is stored as that number.
            m_insert.bind(++index, cell);
        }
        m_insert.run();
    }

    void finish() override {}

private:
    static std::string placeholders(const CopiedTable& table) {
        std::string list;
        for (std::size_t i = 1; i <= table.columns.size(); ++i) {
            list += fmt::format("{}?{}", i == 1 ? "" : ", ", i);
        }
        return list;
    }

    Statement m_insert;
};

} // namespace

void read_rows(Connection& db, const CopiedTable& table,
               const std::function<void(const Row&)>& visit) {
    Statement select = db.prepare(fmt::format("SELECT {} FROM \"{}\" ORDER BY {}",
                                              column_list(table), table.name, table.key));
    const int columns = static_cast<int>(table.columns.size());
    Row row(table.columns.size());
    while (select.step()) {
        for (int c = 0; c < columns; ++c) {
            if (select.is_null(c)) {
                row[c].reset();
            } else if (select.is_real(c)) {
                // SQLite's own text of a real keeps 15 digits; this is the shortest exact one.
                row[c] = fmt::format("{}", select.real(c));
            } else {
                row[c] = select.text(c);
            }
        }
        visit(row);
    }
}

bool has_rows(Connection& db, const CopiedTable& table) {
    Statement any = db.prepare(fmt::format("SELECT EXISTS (SELECT 1 FROM \"{}\")", table.name));
    return any.step() && any.integer(0) != 0;
}

CopyTarget::CopyTarget(Connection& db) : m_db(db) {
    m_db.exec(k_defer_references);
    m_db.exec(k_copy_cache);
    m_triggers = drop_schema_objects(m_db, "TRIGGER", k_all_triggers);
    m_indexes = drop_schema_objects(m_db, "INDEX", copied_indexes());
}

std::unique_ptr<RowWriter> CopyTarget::write_rows(const CopiedTable& table) {
    return std::make_unique<SqliteRowWriter>(m_db, table);
}

void CopyTarget::finish() {
    m_db.exec(k_copy_build_cache);
    restore_schema_objects(m_db, m_indexes);
    m_db.exec(k_rebuild_search);
    m_db.exec(k_merge_search);
    // Tallies count the stays, so the stays come first.
    fill_step_stays(m_db);
    add_to_tallies(m_db, TallyMarks{});
    restore_schema_objects(m_db, m_triggers);
    m_db.exec(k_default_cache);
}

} // namespace sileram::storage::sqlite
