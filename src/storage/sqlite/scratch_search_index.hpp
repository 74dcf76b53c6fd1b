#pragma once

#include "connection.hpp"
#include "sileram/batch_worker.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::storage::sqlite {

// A signal's text on its way to the search index.
struct ScratchRow {
    std::int64_t id = 0;
    std::string title;
    std::string description;
};

// The search index of an import into an empty table, built beside the import instead of after
// it. Writing the rows and building the full-text index each keep one core busy; one after the
// other, the index took a third of an import of 1,000,000 signals. Here a thread of its own
// indexes the rows as the import hands them over, into a scratch database (SQLite writes one file
// from one connection at a time, and the import's connection holds the file), and merges the
// index into one segment there. finish() then replaces the import's empty index with the built
// one, inside the import's transaction: a failed import keeps the empty index it had.
//
// The scratch database is SQLite's private temporary file, deleted when closed, and by the system
// when the process dies. Where SQLite cannot run two threads, the rows are indexed on the
// importing thread, in the same scratch database.
class ScratchSearchIndex {
public:
    using Indexing = BatchWorker<ScratchRow>::Threading;
    // Whether this SQLite may run connections on two threads (it was built thread-safe).
    static Indexing best_indexing();

    // Reads the definition of `db`'s search index, which must hold no signal, and starts the
    // indexing thread unless told to index on the caller's.
    explicit ScratchSearchIndex(Connection& db, Indexing indexing = best_indexing());

    // Queues a signal for the index; waits while the thread is a few batches behind. Throws what
    // made the thread fail, if it did.
    void add(std::int64_t id, std::string_view title, std::string_view description);

    // No more rows come: the thread merges what it has indexed while the import goes on.
    void close() { m_worker.close(); }

    // Waits for the thread, then moves the built index into `db`. Throws what made the thread
    // fail, if it did.
    void finish();

    // Seconds spent indexing and merging, beside the import's other work.
    double thread_seconds() const { return m_worker.busy_seconds(); }
    // Seconds finish() waited for the thread.
    double waited_seconds() const { return m_worker.waited_seconds(); }

private:
    void index(std::vector<ScratchRow>& rows);
    void merge();
    void move_into_import();

    Connection& m_db;
    std::string m_definition; // the CREATE VIRTUAL TABLE statement of the search index
    std::unique_ptr<Connection> m_scratch;
    std::int64_t m_rows = 0;
    bool m_finished = false;
    BatchWorker<ScratchRow> m_worker; // last: its thread uses the members above
};

} // namespace sileram::storage::sqlite
