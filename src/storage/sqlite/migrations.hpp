#pragma once

#include "connection.hpp"

#include <span>

namespace sileram::storage::sqlite {

// One step of the schema; version N turns a database at N-1 into N.
struct Migration {
    int version = 0;
    const char* sql = nullptr;
    // Work the script cannot do well alone, run after it in the same transaction.
    void (*then)(Connection&) = nullptr;
};

std::span<const Migration> migrations();

// The schema version of the open database (PRAGMA user_version).
int schema_version(Connection& db);

// Brings the database up to the newest schema, all missing steps in one IMMEDIATE transaction.
// Throws Refused when the database was written by a newer sileram.
void migrate(Connection& db);

// Opens each signal's step stays from its history, as the trigger step_stays_follow_history
// would have while the history was written; for a database whose step_stays are empty.
void fill_step_stays(Connection& db);

// Throws Refused unless the database is at a version this build can read.
void require_readable(Connection& db);

} // namespace sileram::storage::sqlite
