#include "bulk_insert.hpp"

#include "binary_copy.hpp"
#include "deferred_ddl.hpp"
#include "derived_fill.hpp"
#include "search.hpp"
#include "sileram/errors.hpp"

#include <chrono>
#include <fmt/format.h>
#include <future>
#include <stdexcept>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sileram::storage::postgres {

namespace {

using namespace domain;

// Signals per COPY batch: large enough that the round trips vanish, small enough that the
// buffered rows stay a few megabytes.
constexpr std::size_t k_batch = 5000;
// Staged signals per move into the real tables. Each move fires the statement-level triggers of
// the step stays and tallies once, and every tally row it touches gets a new row version that
// nothing can prune before the commit: moved per COPY batch, a million signals left hundreds of
// versions of the busiest tally rows and each batch walked them (1,000,000 rows took 30 times
// what 100,000 did). The staging tables are temporary, on the server's disk.
constexpr std::size_t k_move = 1'000'000;

constexpr const char* k_lock_signal_ids = "SELECT pg_advisory_xact_lock(7011996, 2)";
constexpr const char* k_next_signal_id = "SELECT coalesce(max(id), 0) + 1 FROM signals";
constexpr const char* k_no_signals = "SELECT NOT EXISTS (SELECT 1 FROM signals)";
// The indexes an import into an empty database builds after the rows instead of keeping them up
// row by row: those of signals (the full-text index among them), signal_fields, submitters and
// history that no constraint owns. The primary and unique keys stay: the foreign keys made again
// after the rows check against them, and the external ids are unique by them. All are built
// before the derived tables' fill (fill_derived_tables), which reads history by its index.
constexpr const char* k_deferrable_indexes = R"sql(
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid IN ('signals'::regclass, 'signal_fields'::regclass, 'submitters'::regclass,
                     'history'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY i.indexrelid
)sql";
// For building the indexes again: memory for the sorts, and the parallel workers a B-tree
// build may take. The full-text (GIN) index, built by one process, took longest with more
// memory: 23 s at 256 MB and 1 GB, 18-19 s at 64 and 128 MB, for a million signals.
constexpr const char* k_index_build_settings = R"sql(
SET LOCAL maintenance_work_mem = '128MB';
SET LOCAL max_parallel_maintenance_workers = 2;
)sql";
constexpr const char* k_known_external_ids =
    "SELECT external_id FROM signals WHERE external_id IS NOT NULL";

// Staging tables live as long as the transaction; their rows reach the real tables set-based,
// where the tsvector is computed by the database's own text search configuration.
constexpr const char* k_create_staging = R"sql(
CREATE TEMPORARY TABLE IF NOT EXISTS bulk_signals (
    id bigint, title text, description text, state text, step integer, submitted_by text,
    submitted_at text, updated_at text, external_id text, channel text, product text,
    process text, customer text, project text, words text) ON COMMIT DROP;
CREATE TEMPORARY TABLE IF NOT EXISTS bulk_fields (signal_id bigint, name text, value text)
    ON COMMIT DROP;
CREATE TEMPORARY TABLE IF NOT EXISTS bulk_submitters (
    signal_id bigint, email text, joined_at text, via text) ON COMMIT DROP;
CREATE TEMPORARY TABLE IF NOT EXISTS bulk_history (
    signal_id bigint, at text, by text, event text, from_state text, to_state text, detail text)
    ON COMMIT DROP;
)sql";
constexpr const char* k_copy_signals = "COPY bulk_signals FROM STDIN";
constexpr const char* k_copy_fields = "COPY bulk_fields FROM STDIN";
constexpr const char* k_copy_submitters = "COPY bulk_submitters FROM STDIN";
constexpr const char* k_copy_history = "COPY bulk_history FROM STDIN";
constexpr const char* k_move_signals = R"sql(
INSERT INTO signals (id, title, description, state, step, submitted_by, submitted_at, updated_at,
                     external_id, channel, product, process, customer, project, search)
SELECT id, title, description, state, step, submitted_by, submitted_at, updated_at, external_id,
       channel, product, process, customer, project, to_tsvector('sileram.search', words)
FROM bulk_signals ORDER BY id
)sql";
constexpr const char* k_move_fields = "INSERT INTO signal_fields (signal_id, name, value) SELECT "
                                      "signal_id, name, value FROM bulk_fields";
constexpr const char* k_move_submitters = R"sql(
INSERT INTO submitters (signal_id, email, joined_at, via)
SELECT signal_id, email, joined_at, via FROM bulk_submitters
)sql";
constexpr const char* k_move_history = R"sql(
INSERT INTO history (signal_id, at, by, event, from_state, to_state, detail)
SELECT signal_id, at, by, event, from_state, to_state, detail FROM bulk_history
)sql";
// An import into an empty database writes straight into the tables: the signals in COPY's binary
// format (BinaryCopy), each with the search vector the helper connection made of its words.
constexpr const char* k_copy_direct_signals =
    "COPY signals (id, title, description, state, step, submitted_by, submitted_at, updated_at, "
    "external_id, channel, product, process, customer, project, search) FROM STDIN "
    "WITH (FORMAT binary)";
constexpr std::int16_t k_direct_signal_columns = 15;
constexpr const char* k_copy_direct_fields =
    "COPY signal_fields (signal_id, name, value) FROM STDIN";
constexpr const char* k_copy_direct_submitters =
    "COPY submitters (signal_id, email, joined_at, via) FROM STDIN";
constexpr const char* k_copy_direct_history =
    "COPY history (signal_id, at, by, event, from_state, to_state, detail) FROM STDIN";
// The search vectors of a batch's words ($1, a text[]), in their order: the same expression as
// k_move_signals, made by the database's own text search configuration.
constexpr const char* k_search_vectors = R"sql(
SELECT to_tsvector('sileram.search', u.w) FROM unnest($1::text[]) WITH ORDINALITY AS u (w, n)
ORDER BY u.n
)sql";
constexpr const char* k_empty_staging =
    "TRUNCATE bulk_signals, bulk_fields, bulk_submitters, bulk_history";

// One line of COPY text from its fields.
void line(std::string& out, std::initializer_list<std::optional<std::string>> fields) {
    bool first = true;
    for (const auto& field : fields) {
        if (!first) {
            out += '\t';
        }
        first = false;
        out += copy_field(field);
    }
    out += '\n';
}

std::optional<std::string> bulk_standard_field(const Signal& signal, std::string_view name) {
    const auto it = signal.fields.find(std::string(name));
    return it == signal.fields.end() ? std::nullopt : std::optional<std::string>(it->second);
}

// What an import gives a signal; anything more takes the store's own insert.
bool copyable(const Signal& s) {
    return !s.impact && !s.root_cause && s.decisions.empty() && s.actions.empty() &&
           s.measurements.empty() && s.feedback.empty() && s.recurrence_of.empty() &&
           !s.duplicate_of && !s.triage_reason && !s.closing_summary && !s.expected_reduction &&
           !s.expected_satisfaction;
}

// The rows of one batch of signals for COPY. A signal's row stops before its last column: the
// words of its search vector (a text line, for staging) or the vector itself (a binary row,
// straight into signals); the other tables' rows are text lines.
struct Batch {
    std::vector<std::string> signals;
    std::vector<std::string> words; // search_words of each signal, in the order of `signals`
    std::string fields;
    std::string submitters;
    std::string history;

    bool empty() const { return signals.empty(); }
    void clear() {
        signals.clear();
        words.clear();
        fields.clear();
        submitters.clear();
        history.clear();
    }
};

// A text[] literal of search_words: letters, digits and spaces, so no element needs escaping.
std::string words_array(const std::vector<std::string>& words) {
    std::string out = "{";
    for (const std::string& w : words) {
        if (out.size() > 1) {
            out += ',';
        }
        out += '"';
        out += w;
        out += '"';
    }
    return out + "}";
}

// The text lines of `batch.signals` for the staging table, each ending in its words.
std::string staging_lines(const Batch& batch) {
    std::string out;
    for (std::size_t i = 0; i < batch.signals.size(); ++i) {
        out += batch.signals[i];
        out += copy_field(batch.words[i]);
        out += '\n';
    }
    return out;
}

class PgBulkInsert final : public BulkInsert {
public:
    PgBulkInsert(Connection& db, const std::function<std::unique_ptr<Connection>()>& open_helper,
                 std::function<void(Signal&)> insert_one)
        : m_db(db), m_insert_one(std::move(insert_one)) {
        auto start = Clock::now();
        m_next_id = next_signal_id(m_db);
        if (m_db.exec(k_no_signals).text(0, 0) == "t") {
            // Into an empty database every row is the import's: the triggers of the step stays
            // and tallies stay off while they go in, and finish() fills those tables once. First,
            // so this takes its locks on the tables with triggers (SHARE ROW EXCLUSIVE) before
            // those of DROP INDEX (ACCESS EXCLUSIVE): a reader that holds a table of the first
            // kind waits for none of the second.
            disable_derived_triggers(m_db);
            m_deferred.drop_indexes(m_db, k_deferrable_indexes);
            m_deferred.drop_foreign_keys(m_db, {"signal_fields", "submitters", "history"});
            // The rows go straight into their tables; a second connection makes the search
            // vectors of one batch while this one writes the batch before it (to_tsvector is
            // the larger part of the work, and a server process uses one core). A server with
            // no connection to spare (max_connections) leaves both to this one, in turn.
            m_direct = true;
            try {
                m_helper = open_helper();
            } catch (const TemporaryFailure&) {
                // No helper: advance() makes the vectors on this connection.
            }
        } else {
            m_db.script(k_create_staging);
        }
        const Result known = m_db.exec(k_known_external_ids);
        for (int r = 0; r < known.rows(); ++r) {
            m_known.insert(known.text(r, 0));
        }
        lap("prepare", start);
    }

    bool add(Signal& s) override {
        if (s.external_id && !m_known.insert(*s.external_id).second) {
            s.id = 0;
            return false;
        }
        if (!copyable(s)) {
            flush();
            m_insert_one(s);
            m_next_id = s.id + 1;
            return true;
        }
        const auto start = Clock::now();
        s.id = m_next_id++;
        const std::string id = std::to_string(s.id);
        m_current.signals.push_back(m_direct ? binary_signal(s) : text_signal(s));
        m_current.words.push_back(search_words(s.title, s.description));
        for (const auto& [name, value] : s.fields) {
            if (!is_standard_field(name)) {
                line(m_current.fields, {id, name, value});
            }
        }
        for (const Submitter& sub : s.submitters) {
            line(m_current.submitters, {id, sub.email, format_timestamp(sub.joined_at), sub.via});
        }
        for (const HistoryEntry& h : s.history) {
            line(m_current.history,
                 {id, format_timestamp(h.stamp.at), h.stamp.by, h.event,
                  h.from ? std::optional<std::string>(std::string(to_string(*h.from)))
                         : std::nullopt,
                  std::string(to_string(h.to)), h.detail});
        }
        m_build_seconds += std::chrono::duration<double>(Clock::now() - start).count();
        if (m_current.signals.size() == k_batch) {
            if (m_direct) {
                advance();
            } else {
                stage();
                if (m_staged >= k_move) {
                    move();
                }
            }
        }
        return true;
    }

    void finish() override {
        flush();
        if (m_direct) {
            auto start = Clock::now();
            m_db.script(k_index_build_settings);
            m_deferred.restore(m_db);
            lap("build indexes and keys", start);
            fill_derived_tables(m_db, DerivedIndexes::rebuild);
            enable_derived_triggers(m_db);
            lap("derived tables", start);
        }
    }

    std::vector<BulkPhase> phases() const override {
        // Summed row by row, shown after "prepare" (the constructor's, always the first).
        std::vector<BulkPhase> phases = m_phases;
        phases.insert(phases.begin() + 1, BulkPhase{"build rows for COPY", m_build_seconds, false});
        return phases;
    }

private:
    using Clock = std::chrono::steady_clock;

    void lap(const char* phase, Clock::time_point& start) {
        const auto now = Clock::now();
        add_seconds(phase, std::chrono::duration<double>(now - start).count(), false);
        start = now;
    }

    void add_seconds(const char* phase, double seconds, bool beside) {
        for (BulkPhase& p : m_phases) {
            if (p.name == phase) {
                p.seconds += seconds;
                return;
            }
        }
        m_phases.push_back({phase, seconds, beside});
    }

    // A signal's COPY line for the staging table, but for its last column (the words).
    static std::string text_signal(const Signal& s) {
        std::string out;
        line(out, {std::to_string(s.id), s.title, s.description, std::string(to_string(s.state)),
                   std::to_string(s.step), s.submitted_by, format_timestamp(s.submitted_at),
                   format_timestamp(s.updated_at), s.external_id,
                   bulk_standard_field(s, k_standard_fields[0]),
                   bulk_standard_field(s, k_standard_fields[1]),
                   bulk_standard_field(s, k_standard_fields[2]),
                   bulk_standard_field(s, k_standard_fields[3]), s.project});
        out.back() = '\t'; // the last column follows when the batch is written
        return out;
    }

    // A signal's binary COPY row for signals, but for its last column (the search vector).
    static std::string binary_signal(const Signal& s) {
        BinaryCopy row;
        row.row(k_direct_signal_columns);
        row.integer(s.id);
        row.text(s.title);
        row.text(s.description);
        row.text(to_string(s.state));
        row.integer4(s.step);
        row.text(s.submitted_by);
        row.text(format_timestamp(s.submitted_at));
        row.text(format_timestamp(s.updated_at));
        row.optional_text(s.external_id);
        for (const auto& name : k_standard_fields) {
            row.optional_text(bulk_standard_field(s, name));
        }
        row.optional_text(s.project);
        return row.take();
    }

    // Straight into the tables: the helper connection finishes the vectors of the pending batch
    // and starts on the current one; then this connection writes the pending batch.
    void advance() {
        auto start = Clock::now();
        if (!m_helper) {
            if (!m_current.empty()) {
                m_db.send(k_search_vectors, Params(words_array(m_current.words)),
                          Connection::Cells::binary);
                const Result vectors = m_db.receive();
                lap("make search vectors", start);
                record(write_direct(m_db, m_current, vectors), false);
            }
            m_current.clear();
            return;
        }
        std::optional<Result> vectors;
        if (m_helper_busy) {
            vectors = m_helper->receive();
            m_helper_busy = false;
        }
        lap("wait for search vectors", start);
        if (!m_current.empty()) {
            m_helper->send(k_search_vectors, Params(words_array(m_current.words)),
                           Connection::Cells::binary);
            m_helper_busy = true;
        }
        if (vectors) {
            // The writer takes the batch whose vectors came, on a thread of its own, while this
            // one reads and builds the next: three processes (this one, the writer's and the
            // helper's server processes) instead of two at a time.
            finish_writing();
            m_written = std::move(m_pending);
            m_writing = std::async(std::launch::async, [this, v = std::move(*vectors)] {
                return write_direct(m_db, m_written, v);
            });
        }
        std::swap(m_pending, m_current);
        m_current.clear();
    }

    // Waits for the writer's batch, if one is being written (its failure is thrown here).
    void finish_writing() {
        if (!m_writing.valid()) {
            return;
        }
        auto start = Clock::now();
        const WriteSeconds seconds = m_writing.get();
        lap("wait for the writer", start);
        record(seconds, true);
    }

    // The seconds of write_direct: the signals, then their other rows.
    using WriteSeconds = std::pair<double, double>;

    void record(const WriteSeconds& seconds, bool beside) {
        add_seconds("write signals (COPY)", seconds.first, beside);
        add_seconds("write fields, submitters, history", seconds.second, beside);
    }

    // COPYs `batch` straight into the tables of `db`, each signal with its vector from
    // `vectors`. Touches nothing of this object's but what it is given: it runs on the writer's
    // thread.
    static WriteSeconds write_direct(Connection& db, const Batch& batch, const Result& vectors) {
        if (vectors.rows() != static_cast<int>(batch.signals.size())) {
            throw std::logic_error("bulk insert: a search vector for every signal");
        }
        const auto start = Clock::now();
        BinaryCopy rows;
        for (std::size_t i = 0; i < batch.signals.size(); ++i) {
            rows.append(batch.signals[i]);
            rows.raw(vectors.bytes(static_cast<int>(i), 0));
        }
        db.copy_in(k_copy_direct_signals, rows.finish());
        const auto signals = Clock::now();
        db.copy_in(k_copy_direct_fields, batch.fields);
        db.copy_in(k_copy_direct_submitters, batch.submitters);
        db.copy_in(k_copy_direct_history, batch.history);
        return {std::chrono::duration<double>(signals - start).count(),
                std::chrono::duration<double>(Clock::now() - signals).count()};
    }

    // COPYs the current batch into the staging tables.
    void stage() {
        if (m_current.empty()) {
            return;
        }
        auto start = Clock::now();
        m_db.copy_in(k_copy_signals, staging_lines(m_current));
        m_db.copy_in(k_copy_fields, m_current.fields);
        m_db.copy_in(k_copy_submitters, m_current.submitters);
        m_db.copy_in(k_copy_history, m_current.history);
        lap("stage (COPY)", start);
        m_staged += m_current.signals.size();
        m_current.clear();
    }

    // Moves everything staged into the real tables.
    void move() {
        if (m_staged == 0) {
            return;
        }
        auto start = Clock::now();
        m_db.exec(k_move_signals);
        lap("move signals", start);
        m_db.exec(k_move_fields);
        m_db.exec(k_move_submitters);
        m_db.exec(k_move_history);
        lap("move fields, submitters, history", start);
        m_db.exec(k_empty_staging);
        m_staged = 0;
    }

    // Writes every signal added so far.
    void flush() {
        if (m_direct) {
            advance(); // the current batch to the helper, the pending one to the writer
            advance(); // the last one to the writer
            finish_writing();
        } else {
            stage();
            move();
        }
    }

    Connection& m_db;
    std::function<void(Signal&)> m_insert_one;
    SignalId m_next_id = 1;
    std::unordered_set<std::string> m_known;
    Batch m_current;          // signals being added
    Batch m_pending;          // signals whose vectors the helper makes (straight in)
    std::size_t m_staged = 0; // signals in the staging tables
    DeferredDdl m_deferred;   // what an import into an empty database makes after its rows
    // Straight into the tables (an empty database): the triggers, the secondary indexes and the
    // child tables' foreign keys are off until finish() makes them again and fills the tallies.
    bool m_direct = false;
    std::unique_ptr<Connection> m_helper; // makes the search vectors (straight in), if any
    bool m_helper_busy = false;           // it works on m_pending
    // The batch the writer's thread COPYs (straight in, with a helper); declared before the
    // future so that a writer still running is waited for before its batch goes.
    Batch m_written;
    std::future<WriteSeconds> m_writing;
    std::vector<BulkPhase> m_phases;
    double m_build_seconds = 0; // in add(): each row's COPY lines and words
};

} // namespace

SignalId next_signal_id(Connection& db) {
    db.exec(k_lock_signal_ids);
    return db.exec(k_next_signal_id).integer(0, 0);
}

std::unique_ptr<BulkInsert>
start_bulk_insert(Connection& db, const std::function<std::unique_ptr<Connection>()>& open_helper,
                  std::function<void(Signal&)> insert_one) {
    return std::make_unique<PgBulkInsert>(db, open_helper, std::move(insert_one));
}

} // namespace sileram::storage::postgres
