#pragma once

#include "connection.hpp"

#include <optional>

namespace sileram::storage::postgres {

// One step of the schema in the PostgreSQL schema `sileram`: `version` is what it brings the
// database to. The numbers are the SQLite schema's: version N means the same tables and meaning
// on both databases, so a migration added to one is added to the other with the same number.
struct Migration {
    int version;
    const char* sql;
};

const std::vector<Migration>& migrations();

// The version in `sileram.schema_version`; 0 when the schema `sileram` holds no sileram tables.
int schema_version(Connection& db);

// Brings the schema to the newest version in one transaction, serialised with other sileram
// processes by an advisory lock; Refused for a schema written by a newer sileram. Creates the
// schema `sileram` when it is missing, and touches nothing else. `version`: what
// schema_version just read, when the caller has it (one look at the database fewer).
void migrate(Connection& db, std::optional<int> version = std::nullopt);

// The steps of migrate inside a transaction the caller opened and ends.
void apply_migrations(Connection& db);

// The migrations' own first fills of the derived tables (version 10's step_stays, the tallies of
// versions 12, 13, 14 and 15), one script: run into empty derived tables, with the triggers that
// keep them off, it makes them from the base tables set-based (see fill_derived_tables). A
// migration that adds a derived table adds its first fill here.
const std::string& derived_first_fill();

} // namespace sileram::storage::postgres
