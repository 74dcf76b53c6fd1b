#include "bulk_insert.hpp"

#include "derived_fill.hpp"
#include "search.hpp"

#include <array>
#include <chrono>
#include <fmt/format.h>
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
// row by row: those of signals (the full-text index among them), signal_fields and submitters
// that no constraint owns (the primary and unique keys stay, the foreign keys check against
// them). history keeps its own: the derived tables' fill (fill_derived_tables) looks each signal's
// history up by them.
constexpr const char* k_deferrable_indexes = R"sql(
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid IN ('signals'::regclass, 'signal_fields'::regclass, 'submitters'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY i.indexrelid
)sql";
// For building the indexes again: memory for the sorts, and the parallel workers a B-tree
// build may take.
constexpr const char* k_index_build_settings = R"sql(
SET LOCAL maintenance_work_mem = '256MB';
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

class PgBulkInsert final : public BulkInsert {
public:
    PgBulkInsert(Connection& db, std::function<void(Signal&)> insert_one)
        : m_db(db), m_insert_one(std::move(insert_one)) {
        m_next_id = next_signal_id(m_db);
        if (m_db.exec(k_no_signals).text(0, 0) == "t") {
            // Into an empty database every row is the import's: the triggers of the step stays
            // and tallies stay off while they go in, and finish() fills those tables once. First,
            // so this takes its locks on the tables with triggers (SHARE ROW EXCLUSIVE) before
            // those of DROP INDEX (ACCESS EXCLUSIVE): a reader that holds a table of the first
            // kind waits for none of the second.
            disable_derived_triggers(m_db);
            m_fill_derived = true;
            defer_indexes();
        }
        const Result known = m_db.exec(k_known_external_ids);
        for (int r = 0; r < known.rows(); ++r) {
            m_known.insert(known.text(r, 0));
        }
        m_db.script(k_create_staging);
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
        s.id = m_next_id++;
        const std::string id = std::to_string(s.id);
        line(m_signals,
             {id, s.title, s.description, std::string(to_string(s.state)), std::to_string(s.step),
              s.submitted_by, format_timestamp(s.submitted_at), format_timestamp(s.updated_at),
              s.external_id, bulk_standard_field(s, k_standard_fields[0]),
              bulk_standard_field(s, k_standard_fields[1]),
              bulk_standard_field(s, k_standard_fields[2]),
              bulk_standard_field(s, k_standard_fields[3]), s.project,
              search_words(s.title, s.description)});
        for (const auto& [name, value] : s.fields) {
            if (!is_standard_field(name)) {
                line(m_fields, {id, name, value});
            }
        }
        for (const Submitter& sub : s.submitters) {
            line(m_submitters, {id, sub.email, format_timestamp(sub.joined_at), sub.via});
        }
        for (const HistoryEntry& h : s.history) {
            line(m_history, {id, format_timestamp(h.stamp.at), h.stamp.by, h.event,
                             h.from ? std::optional<std::string>(std::string(to_string(*h.from)))
                                    : std::nullopt,
                             std::string(to_string(h.to)), h.detail});
        }
        if (++m_buffered == k_batch) {
            stage();
        }
        if (m_staged == k_move) {
            flush();
        }
        return true;
    }

    void finish() override {
        flush();
        if (!m_deferred.empty()) {
            auto start = Clock::now();
            m_db.script(k_index_build_settings);
            for (const auto& [name, definition] : m_deferred) {
                m_db.script(definition.c_str());
            }
            m_deferred.clear();
            lap(6, start);
        }
        if (m_fill_derived) {
            auto start = Clock::now();
            fill_derived_tables(m_db, DerivedIndexes::rebuild);
            enable_derived_triggers(m_db);
            m_fill_derived = false;
            lap(7, start);
        }
    }

    std::vector<BulkPhase> phases() const override {
        std::vector<BulkPhase> out;
        for (std::size_t i = 0; i < m_seconds.size(); ++i) {
            out.push_back({k_phase_names[i], m_seconds[i]});
        }
        return out;
    }

private:
    using Clock = std::chrono::steady_clock;
    static constexpr std::array<const char*, 8> k_phase_names{
        "stage (COPY)", "move signals",  "move fields",   "move submitters",
        "move history", "empty staging", "build indexes", "derived tables"};
    void lap(std::size_t phase, Clock::time_point& start) {
        const auto now = Clock::now();
        m_seconds[phase] += std::chrono::duration<double>(now - start).count();
        start = now;
    }

    // An import into a database without signals builds the indexes of the tables it fills once
    // after the rows (see k_deferrable_indexes): a sort per index instead of a million inserts
    // into each, the full-text index among them. DROP INDEX is transactional: a failed import
    // rolls back with its indexes in place. It holds ACCESS EXCLUSIVE on signals, signal_fields
    // and submitters until the commit, so readers of those tables wait for the import (writers
    // of new signals wait already, on the lock of the signal ids).
    void defer_indexes() {
        const Result indexes = m_db.exec(k_deferrable_indexes);
        for (int r = 0; r < indexes.rows(); ++r) {
            m_deferred.emplace_back(indexes.text(r, 0), indexes.text(r, 1));
        }
        for (const auto& [name, definition] : m_deferred) {
            m_db.script(fmt::format("DROP INDEX {}", name).c_str());
        }
    }

    // COPYs the buffered rows into the staging tables.
    void stage() {
        if (m_buffered == 0) {
            return;
        }
        auto start = Clock::now();
        m_db.copy_in(k_copy_signals, m_signals);
        m_db.copy_in(k_copy_fields, m_fields);
        m_db.copy_in(k_copy_submitters, m_submitters);
        m_db.copy_in(k_copy_history, m_history);
        lap(0, start);
        m_signals.clear();
        m_fields.clear();
        m_submitters.clear();
        m_history.clear();
        m_staged += m_buffered;
        m_buffered = 0;
    }

    // Stages what is buffered and moves everything staged into the real tables.
    void flush() {
        stage();
        if (m_staged == 0) {
            return;
        }
        auto start = Clock::now();
        m_db.exec(k_move_signals);
        lap(1, start);
        m_db.exec(k_move_fields);
        lap(2, start);
        m_db.exec(k_move_submitters);
        lap(3, start);
        m_db.exec(k_move_history);
        lap(4, start);
        m_db.exec(k_empty_staging);
        lap(5, start);
        m_staged = 0;
    }

    Connection& m_db;
    std::function<void(Signal&)> m_insert_one;
    SignalId m_next_id = 1;
    std::unordered_set<std::string> m_known;
    std::string m_signals;
    std::string m_fields;
    std::string m_submitters;
    std::string m_history;
    std::size_t m_buffered = 0; // signals in the COPY buffers
    std::size_t m_staged = 0;   // signals in the staging tables
    std::array<double, 8> m_seconds{};
    bool m_fill_derived = false; // the derived tables are filled in finish()
    std::vector<std::pair<std::string, std::string>> m_deferred; // name, definition
};

} // namespace

SignalId next_signal_id(Connection& db) {
    db.exec(k_lock_signal_ids);
    return db.exec(k_next_signal_id).integer(0, 0);
}

std::unique_ptr<BulkInsert> start_bulk_insert(Connection& db,
                                              std::function<void(Signal&)> insert_one) {
    return std::make_unique<PgBulkInsert>(db, std::move(insert_one));
}

} // namespace sileram::storage::postgres
