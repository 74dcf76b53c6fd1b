#pragma once

#include "connection.hpp"
#include "sileram/storage/store.hpp"

#include <functional>
#include <memory>

namespace sileram::storage::postgres {

// The next signal id, max(id) + 1 as in SQLite, under a lock held until the transaction ends:
// ids stay dense and the same on both databases (an identity would skip the numbers of rolled
// back inserts).
domain::SignalId next_signal_id(Connection& db);

// A bulk insert through COPY in the open write transaction (see BulkInsert). Signals with only
// what an import gives them (fields, submitters, history) go in batches through COPY; any other
// signal is handed to `insert_one` (the store's insert) after the batch before it is written.
// Into a database with signals the batches go into staging tables and on with one INSERT …
// SELECT per table (the tallies' triggers fire once). Into an empty one they go straight into
// the tables, with the triggers, the foreign keys of the signals' rows and the secondary indexes
// off until finish(); a second connection from `open_helper` makes the search vectors meanwhile
// (when it throws TemporaryFailure, as a server with no connection to spare makes it, `db` makes
// them itself, batch by batch).
std::unique_ptr<BulkInsert>
start_bulk_insert(Connection& db, const std::function<std::unique_ptr<Connection>()>& open_helper,
                  std::function<void(domain::Signal&)> insert_one);

} // namespace sileram::storage::postgres
