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

// The first fill of version 14's tallies (tally_late, tally_submitted_oldest,
// tally_joined_oldest) from the tables, set-based, into the empty tallies: what migration 14
// runs, and what a fill of every derived table after a load with the triggers off runs.
const char* fill_v14();

// The version in `sileram.schema_version`; 0 when the schema `sileram` holds no sileram tables.
int schema_version(Connection& db);

// Brings the schema to the newest version in one transaction, serialised with other sileram
// processes by an advisory lock; Refused for a schema written by a newer sileram. Creates the
// schema `sileram` when it is missing, and touches nothing else. `version`: what
// schema_version just read, when the caller has it (one look at the database fewer).
void migrate(Connection& db, std::optional<int> version = std::nullopt);

// The steps of migrate inside a transaction the caller opened and ends.
void apply_migrations(Connection& db);

} // namespace sileram::storage::postgres
