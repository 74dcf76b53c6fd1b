#pragma once

#include "connection.hpp"
#include "sileram/storage/copy.hpp"

#include <functional>
#include <memory>

namespace sileram::storage::postgres {

// See Store::read_rows: a cursor inside the open snapshot, read in pages.
void read_rows(Connection& db, const CopiedTable& table,
               const std::function<void(const Row&)>& visit);

// See Store::has_rows.
bool has_rows(Connection& db, const CopiedTable& table);

// See Store::begin_copy: locks every copied table against other writers until the commit and
// turns off the triggers that keep the derived tables (disable_derived_triggers).
void begin_copy(Connection& db);

// See Store::write_rows: COPY in batches; signals pass a staging table that adds their search
// words.
std::unique_ptr<RowWriter> write_rows(Connection& db, const CopiedTable& table);

// See Store::finish_copy: every identity sequence continues after the copied ids; the derived
// tables filled once from the copied rows (fill_derived_tables) and their triggers on again.
void finish_copy(Connection& db);

} // namespace sileram::storage::postgres
