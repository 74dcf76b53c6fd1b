#include "deferred_ddl.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

namespace {

constexpr const char* k_foreign_keys = R"sql(
SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY ($1::regclass[])
ORDER BY oid
)sql";

} // namespace

void DeferredDdl::drop_indexes(Connection& db, const char* query) {
    const Result indexes = db.exec(query);
    for (int r = 0; r < indexes.rows(); ++r) {
        db.exec(fmt::format("DROP INDEX {}", indexes.text(r, 0)).c_str());
        m_indexes.push_back(indexes.text(r, 1));
    }
}

void DeferredDdl::drop_foreign_keys(Connection& db, std::initializer_list<const char*> tables) {
    const Result keys =
        db.exec(k_foreign_keys, Params(fmt::format("{{{}}}", fmt::join(tables, ","))));
    for (int r = 0; r < keys.rows(); ++r) {
        const std::string table = keys.text(r, 0);
        const std::string name = keys.text(r, 1);
        db.exec(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", table, name).c_str());
        m_foreign_keys.push_back(
            fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}", table, name, keys.text(r, 2)));
    }
}

void DeferredDdl::restore(Connection& db) {
    for (const auto* statements : {&m_indexes, &m_foreign_keys}) {
        for (const std::string& statement : *statements) {
            db.exec(statement.c_str());
        }
    }
    m_indexes.clear();
    m_foreign_keys.clear();
}

} // namespace sileram::storage::postgres
