#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/summary.hpp"
#include "sileram/domain/targets.hpp"
#include "sileram/storage/copy.hpp"
#include "sileram/storage/reports.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sileram::storage {

using domain::SignalSummary;

enum class SortKey { id, title, state, step, submitted_at, updated_at, score, contacts };
enum class SortOrder { ascending, descending };

// The filters of `list`; each one that is set narrows the result.
struct ListQuery {
    std::vector<domain::State> states; // any of these; empty: every state
    std::optional<int> step;
    std::optional<std::int64_t> min_score; // inclusive; from an impact class
    std::optional<std::int64_t> max_score; // exclusive
    std::map<std::string, std::string> fields;
    std::optional<domain::Timestamp> since;
    bool recurring = false; // only signals that recur a closed root cause (report recurrence)
    SortKey sort = SortKey::id;
    SortOrder order = SortOrder::ascending;
    std::optional<std::int64_t> limit;
    std::optional<std::string> search;    // words that must all occur in title or description
    std::optional<domain::LateCuts> late; // only signals late by these; reads their late_facts
};

// Whether `q` asks for signals by state and step alone (as `list` does by default: the open ones),
// so that the count per state and step the report tallies keep answers its count.
inline bool counts_by_state_and_step(const ListQuery& q) {
    return !q.min_score && !q.max_score && q.fields.empty() && !q.since && !q.recurring &&
           !q.search && !q.late;
}

// A stored signal that resembles a text, for the duplicate guard of `submit`.
struct SimilarSignal {
    domain::SignalId id = 0;
    std::string title;
    domain::State state = domain::State::submitted;
    double similarity = 0;           // 0-1, see domain::resemble
    std::vector<std::string> shared; // the query's words it holds, see domain::resemble
};

// How long one phase of a bulk insert took, for `submit --from --timings` and the benchmark.
struct BulkPhase {
    std::string name;
    double seconds = 0;
    bool beside = false; // on a thread of its own, beside the other phases
};

// Signals written in bulk inside the current write transaction.
class BulkInsert {
public:
    virtual ~BulkInsert() = default;
    // Stores a new signal as domain::new_signal made it, with its submitter and history entry, and
    // sets its id (a store may write the children later, without ids); false (id 0) when its
    // external id is known already, so it was skipped.
    virtual bool add(domain::Signal& signal) = 0;
    // Completes the search index and the report tallies for everything added; call before
    // committing.
    virtual void finish() = 0;
    // The phases of the writing so far, in their order, with their seconds; empty when the store
    // does not measure them.
    virtual std::vector<BulkPhase> phases() const { return {}; }
};

// A feedback mail waiting in the queue, or claimed by a run, with the signal it is about.
struct QueuedFeedback {
    domain::SignalId signal_id = 0;
    domain::Feedback feedback;
    std::string claim; // for a `sending` mail: the claim of the run that has it ("host/pid/random")
    std::optional<domain::Timestamp> claimed_at;
};

// What a failed delivery attempt means for the mail: try again later, or give up.
enum class Failure { temporary, permanent };

// The feedback queue that `close --send` works through. A run claims one mail at a time, sends it
// holding no lock, and records its fate under its claim; each call runs in its own short write
// transaction, committed before it returns, so a mail's fate is stored the moment it is known. A
// server backend does the same with row locks (UPDATE ... WHERE status = 'queued', or SELECT ...
// FOR UPDATE SKIP LOCKED).
class FeedbackQueue {
public:
    virtual ~FeedbackQueue() = default;
    // Queued mails with an id above `after`, in id order, at most `limit`.
    virtual std::vector<QueuedFeedback> queued_feedback(domain::RowId after, int limit) = 0;
    // Every mail in `sending`, claimed by a run, in id order.
    virtual std::vector<QueuedFeedback> claimed_feedback() = 0;
    // Claims queued mail `id` for the run `claim` at `at`, and gives it `message_id` unless it has
    // one from an earlier attempt. Returns the Message-ID the mail carries, or nullopt when the
    // mail is not queued any more (another run has it). Throws TemporaryFailure when the database
    // stays busy past the normal timeout; nothing is claimed then.
    virtual std::optional<std::string> claim_feedback(domain::RowId id, const std::string& claim,
                                                      domain::Timestamp at,
                                                      const std::string& message_id) = 0;
    // The server accepted mail `id`, claimed by `claim`: it becomes sent, with the time. Waits up
    // to `patience` for the write lock, since the claim keeps every other run off the mail; throws
    // TemporaryFailure after that, and the mail stays `sending`. False if `claim` no longer holds
    // the mail.
    virtual bool mark_feedback_sent(domain::RowId id, const std::string& claim,
                                    domain::Timestamp at, std::chrono::seconds patience) = 0;
    // An attempt of mail `id` under `claim` failed with `error`: one more attempt counted; a
    // permanent failure ends it as failed, a temporary one queues it again for the next run.
    // Waits as mark_feedback_sent does. False if `claim` no longer holds the mail.
    virtual bool mark_feedback_failed(domain::RowId id, const std::string& claim,
                                      domain::Timestamp at, const std::string& error,
                                      Failure failure, std::chrono::seconds patience) = 0;
};

// Everything sileram keeps. Commands use only this interface, so another database is another
// implementation of it.
class Store {
public:
    virtual ~Store() = default;

    // Starts the one write transaction of a command; it takes the write lock at once.
    virtual void begin_write() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;

    // The signal with all its sections, or nullopt.
    virtual std::optional<domain::Signal> load(domain::SignalId id) = 0;
    // Stores a new signal and its children; sets its id and theirs.
    virtual void insert(domain::Signal& signal) = 0;
    // Writes back a loaded signal: its own row, the children the domain added (id 0) and the
    // actions it changed; sets the ids of the new children.
    virtual void save(domain::Signal& signal) = 0;

    virtual std::optional<domain::SignalId> find_by_external_id(const std::string& external_id) = 0;
    virtual std::vector<SignalSummary> list(const ListQuery& query) = 0;
    // How many signals `list` would give for this query without its limit.
    virtual std::int64_t count(const ListQuery& query) = 0;
    // Names of the fields in use beyond the standard four.
    virtual std::vector<std::string> custom_field_names() = 0;
    // Calls `visit` for every signal, by id, fully loaded.
    virtual void for_each_signal(const std::function<void(const domain::Signal&)>& visit) = 0;

    // Copies the whole database, as one consistent snapshot, into a new file `target` while
    // other processes go on writing; returns the number of pages copied.
    virtual std::int64_t backup_to(const std::filesystem::path& target) = 0;

    // The schema version of the open database.
    virtual int schema_version() = 0;
    // Starts a read-only transaction in which every read sees one snapshot of the database, while
    // others go on writing (REPEATABLE READ on PostgreSQL); rollback() ends it.
    virtual void begin_snapshot() = 0;
    // Calls `visit` with each row of `table`, in the order of its key, streaming: the rows are
    // never all held at once.
    virtual void read_rows(const CopiedTable& table,
                           const std::function<void(const Row&)>& visit) = 0;
    // True when `table` holds at least one row.
    virtual bool has_rows(const CopiedTable& table) = 0;
    // In the open write transaction, before rows are copied in: takes every copied table for
    // this transaction alone and stops keeping derived data row by row (triggers, references
    // checked at commit), so rows can come with their ids in any order within a table.
    virtual void begin_copy() = 0;
    // Writes rows of `table`, each with its own id, in the open write transaction (after
    // begin_copy).
    virtual std::unique_ptr<RowWriter> write_rows(const CopiedTable& table) = 0;
    // After the last table: builds the derived data (search index, step stays, tallies) from the
    // rows and moves every id sequence past the copied ids, so new rows get the next ids.
    virtual void finish_copy() = 0;

    // The feedback mail queue, on the same connection.
    virtual FeedbackQueue& feedback_queue() = 0;
    // The signals whose words are most like `title` and `description`, most similar first:
    // at most `limit` open ones (not closed, rejected, duplicate or dropped) and at most `limit`
    // closed ones that can recur (domain::can_recur), none below domain::k_min_similarity. Looks
    // only at the rarest words, so it stays fast on a large database.
    virtual std::vector<SimilarSignal> find_similar(const std::string& title,
                                                    const std::string& description, int limit) = 0;
    // Before the write transaction of a bulk insert. A database without signals takes its first
    // import with a rollback journal instead of the write-ahead log: its pages are written once
    // instead of twice, and other processes wait for the commit instead of reading an empty
    // database. Nothing changes while another process has the file open.
    virtual void prepare_bulk_write() = 0;
    // Starts a bulk insert in the open write transaction (see BulkInsert).
    virtual std::unique_ptr<BulkInsert> bulk_insert() = 0;
    // After a large write has committed: moves the write-ahead log into the database file and
    // truncates it, or returns to the log after prepare_bulk_write left it.
    virtual void checkpoint() = 0;
    // The queries of `sileram report` and the customers table, on the same connection.
    virtual ReportQueries& reports() = 0;
};

enum class Access { read, write };
// What opening does with a database that has no sileram schema yet (no file, or a PostgreSQL
// database without the schema `sileram`): create it, or refuse (a mistyped --db in a cron line
// must fail loudly rather than read or fill a new database).
enum class IfMissing { create, refuse };

// Opens the database file. For writing, a file that does not exist is created and an older
// schema is migrated; for reading, a missing file reads as an empty database and nothing is
// created. With IfMissing::refuse, a database without sileram's schema is refused (Refused,
// naming it and `sileram init`) and nothing is created. Throws Refused for a database written
// by a newer sileram, TemporaryFailure when it stays locked past the busy timeout,
// SystemFailure when it is not a usable database.
std::unique_ptr<Store> open_store(const std::filesystem::path& file, Access access,
                                  IfMissing if_missing = IfMissing::create);

// Creates the database (or migrates it) without writing anything else, for `init`. Returns the
// schema version it now has.
int initialise_database(const std::filesystem::path& file);

// The schema version this build writes.
int current_schema_version();

// True when `database` holds sileram's schema: the SQLite file exists, or the PostgreSQL
// database has the schema `sileram`.
bool database_exists(const std::filesystem::path& database);

// True for a PostgreSQL URI (`postgresql://…`, `postgres://…`) rather than a file path.
bool is_database_uri(const std::string& text);

// The database as messages name it: the path, or the PostgreSQL URI without a password.
std::string display_name(const std::filesystem::path& database);

// Rolls back on scope exit unless committed: one per writing command.
class WriteTransaction {
public:
    explicit WriteTransaction(Store& store) : m_store(store) { m_store.begin_write(); }
    ~WriteTransaction() {
        if (!m_committed) {
            try {
                m_store.rollback();
            } catch (...) {
                // The connection is closing with the error that got us here; keep that one.
            }
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    void commit() {
        m_store.commit();
        m_committed = true;
    }

private:
    Store& m_store;
    bool m_committed = false;
};

} // namespace sileram::storage
