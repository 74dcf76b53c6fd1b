#include "imported_ids.hpp"
#include "intake.hpp"
#include "scratch_search_index.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "tallies.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <fmt/format.h>
#include <iterator>
#include <optional>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <vector>

namespace sileram::storage::sqlite {

namespace {

using namespace domain;

// The index is filled set-based, one INSERT … SELECT per batch: a row at a time into FTS5 costs
// several times more.
constexpr std::int64_t k_index_batch = 20000;
// Page cache for the import, in KiB (negative: SQLite's unit for KiB); keeps the index B-trees
// in memory without letting the process grow past a few dozen MiB.
constexpr const char* k_import_cache = "PRAGMA cache_size = -32768";
// The same while a thread builds the search index beside the import (see ScratchSearchIndex), which
// takes memory of its own. Into an empty table only the unique indexes are written during the rows,
// and the rows themselves are appended: of 1,000,000 rows, the import took as long with 8 MiB as
// with 32 (22.6 s against 23.0 s for the complaints, whose external ids come in random order),
// and its peak memory went from 86 to 60 MiB.
constexpr const char* k_import_cache_beside_search = "PRAGMA cache_size = -8192";
// While the search index and the indexes are built: each sort holds as much memory as the page
// cache may, and the search index its terms, so the cache gives back what the rows took.
constexpr const char* k_build_cache = "PRAGMA cache_size = -8192; PRAGMA shrink_memory";
// CREATE INDEX sorts its keys in runs as large as the page cache, one per thread, and merges them;
// helper threads sort runs while the main one reads the table. Building the 13 indexes of
// 1,000,000 signals took 10.1-10.7 s without a helper, 7.9-8.2 s with one and 7.3-7.8 s with two,
// also on two cores: the main thread spends much of its time waiting for the file, so two helpers
// keep both cores busy where one leaves gaps. With 2 MiB runs the peak memory of the import stays
// where it was (55.5 MiB); with 8 MiB runs one helper took it to 65 MiB, and the smaller runs were
// not slower.
constexpr const char* k_sort_cache = "PRAGMA cache_size = -2048";
constexpr unsigned k_max_sort_helpers = 2;
constexpr const char* k_sort_helpers = "PRAGMA threads = {}";
constexpr const char* k_bulk_signal = R"sql(
INSERT INTO signals (title, description, state, step, submitted_by, submitted_at, updated_at,
                     external_id, channel, product, process, customer,  -- as k_standard_fields
                     project)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING -- a known external_id, while its index is there (see DeferredExternalIds)
)sql";
constexpr const char* k_bulk_field =
    "INSERT INTO signal_fields (signal_id, name, value) VALUES (?, ?, ?)";
// Each new signal's one submitter and one history entry, set-based after the rows (two
// statements per row took 4.2 s of an import of 1,000,000 signals, these two 2 s). SqliteBulkInsert
// checks that each signal's children have the shape these statements write. ?1: the signal mark.
constexpr const char* k_bulk_submitters = R"sql(
INSERT INTO submitters (signal_id, email, joined_at, via)
SELECT id, submitted_by, submitted_at, ?2 FROM signals WHERE id > ?1 ORDER BY id
)sql";
// An acknowledgement mail, when mail.acknowledge asks for one: rare enough to write per row.
constexpr const char* k_bulk_feedback = R"sql(
INSERT INTO feedback (signal_id, recipient, outcome, status, queued_at, stage, detail)
VALUES (?, ?, ?, ?, ?, ?, ?)
)sql";
constexpr const char* k_bulk_history = R"sql(
INSERT INTO history (signal_id, at, by, event, from_state, to_state, detail)
SELECT id, updated_at, ?2, ?3, ?4, ?5, ?6 || iif(?7, submitted_by, '')
FROM signals WHERE id > ?1 ORDER BY id
)sql";
// The signals' CHECK constraints cost a good share of each row: the one on `state` builds a
// temporary table of its 15 values for every row it checks (3.3 s of 1,000,000). They are off
// while the rows go in; SqliteBulkInsert::add checks what they guard for the columns it writes
// (title, state, step), and they are on again for everything after the rows.
constexpr const char* k_checks_off = "PRAGMA ignore_check_constraints = ON";
constexpr const char* k_checks_on = "PRAGMA ignore_check_constraints = OFF";
constexpr const char* k_index_range = R"sql(
INSERT INTO signals_fts (rowid, title, description)
SELECT id, title, description FROM signals WHERE id BETWEEN ? AND ?
)sql";
constexpr const char* k_is_empty = "SELECT NOT EXISTS (SELECT 1 FROM signals)";
constexpr const char* k_signal_count = "SELECT count(*) FROM signals";
// The signals' secondary indexes that an import may build afresh: not the unique ones, which
// find known external ids while it runs.
constexpr const char* k_secondary_indexes = R"sql(
SELECT name, sql FROM sqlite_schema
WHERE type = 'index' AND tbl_name = 'signals' AND sql IS NOT NULL
  AND sql NOT LIKE 'CREATE UNIQUE%'
ORDER BY name
)sql";
// The unique index on external_id, which a first import builds after its rows (see
// DeferredExternalIds).
constexpr const char* k_external_id_index = R"sql(
SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name = 'signals_external_id'
)sql";
constexpr const char* k_external_id_of = "SELECT external_id FROM signals WHERE id = ?";
// Below this many new rows, keeping the indexes up to date row by row costs little.
constexpr std::int64_t k_rows_worth_rebuilding = 20000;
// A large import leaves the search index in several segments (the last ones of the rebuild or
// of the batches) on its lowest levels, where the one-row segments of later submits pile up too;
// when 16 segments share a level, FTS5 merges the whole level inside the write that added the
// 16th. After a first import of 1,000,000 signals the 14th submit took 0.7-1.3 s and the 227th
// 3.5 s. Merged into one segment, which 'optimize' files above all other levels, the import's
// terms stay out of those merges: of 5,000 single inserts afterwards the slowest took 93 ms
// (3.5 s before), all together 1.3 s (5.5 s), and submit's median went from 15 to 12.6 ms. The
// merge reads and writes the index once (2 s of an import of 1,000,000 signals), so it follows only
// an import that rebuilt the table's indexes as well, which keeps its cost in proportion.
constexpr const char* k_merge_search_index =
    "INSERT INTO signals_fts (signals_fts) VALUES ('optimize')";

constexpr const char* k_signal_mark = "SELECT coalesce(max(id), 0) FROM signals";
constexpr const char* k_stays_trigger = R"sql(
SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'step_stays_follow_history'
)sql";
// What the trigger does for a new signal's one history entry (k_bulk_history: at the signal's
// updated_at): it opens the stay at the signal's step. ?1: the signal mark. Reading the signals
// alone took 1.7 s of an import of 1,000,000, the join with the first history row 2.5 s.
constexpr const char* k_open_first_stays = R"sql(
INSERT INTO step_stays (signal_id, step, entered_at)
SELECT id, step, updated_at FROM signals WHERE id > ?1 ORDER BY id
)sql";

using PhaseClock = std::chrono::steady_clock;

double seconds_since(PhaseClock::time_point start) {
    return std::chrono::duration<double>(PhaseClock::now() - start).count();
}

// The signals' largest id before the import: every later one is the import's.
std::int64_t signal_mark(Connection& db) {
    Statement& mark = db.cached(k_signal_mark);
    mark.step();
    const std::int64_t id = mark.integer(0);
    mark.reset();
    return id;
}

std::optional<std::string> standard(const Signal& s, std::string_view name) {
    const auto it = s.fields.find(std::string(name));
    return it == s.fields.end() ? std::nullopt : std::optional<std::string>(it->second);
}

// Most rows of an import share their moments (the import's own, and often the day a file was
// exported): formatting each only once saves a good share of the per-row work.
class TimeText {
public:
    const std::string& operator()(Timestamp at) {
        if (!m_valid || at != m_at) {
            m_at = at;
            m_text = format_timestamp(at);
            m_valid = true;
        }
        return m_text;
    }

private:
    Timestamp m_at{};
    std::string m_text;
    bool m_valid = false;
};

// Helper threads for SQLite's sorter while it lives, one per core (see k_sort_cache for why the
// reading thread's core gets one too). Only the index builds get them; other statements sort
// little.
class SortHelpers {
public:
    explicit SortHelpers(Connection& db) : m_db(db) {
        const unsigned cores = std::thread::hardware_concurrency();
        const unsigned helpers = cores > 1 ? std::min(cores, k_max_sort_helpers) : 0;
        m_db.exec(fmt::format(k_sort_helpers, helpers));
    }
    ~SortHelpers() {
        try {
            m_db.exec(fmt::format(k_sort_helpers, 0));
        } catch (...) {
            // Setting a limit does not fail in practice; a destructor must not throw anyway.
        }
    }
    SortHelpers(const SortHelpers&) = delete;
    SortHelpers& operator=(const SortHelpers&) = delete;

private:
    Connection& m_db;
};

// Writes the import's pages out, so that the cache may let go of them, and keeps it small for
// what follows.
void release_page_cache(Connection& db) {
    if (const int rc = sqlite3_db_cacheflush(db.handle()); rc != SQLITE_OK) {
        fail(db.handle(), rc, "writing the import's pages");
    }
    db.exec(k_build_cache);
}

// Most of the signals' indexes are keyed by time or by a field, so rows arrive in random order
// for them: once they outgrow the page cache, every row costs a read and a write of a page per
// index, and a long import slows down many times over. CREATE INDEX sorts all rows once instead.
// So when an import has added more rows than the table held before (and more than a few), the
// indexes are dropped and built again at the end: the work stays proportional to the rows, at
// most twice the new ones. Inside the import's transaction, so a failed import keeps them.
class DeferredIndexes {
public:
    explicit DeferredIndexes(Connection& db) : m_db(db) {
        Statement& count = m_db.cached(k_signal_count);
        count.step();
        m_threshold = std::max(count.integer(0), k_rows_worth_rebuilding);
        count.reset();
    }

    void added(std::int64_t rows) {
        if (m_dropped || rows <= m_threshold) {
            return;
        }
        build_too(drop_schema_objects(m_db, "INDEX", k_secondary_indexes));
        m_dropped = true;
    }

    // Whether the import was large enough to build the indexes afresh.
    bool built_afresh() const { return m_dropped; }

    // Indexes dropped elsewhere, to build with these in finish().
    void build_too(std::vector<std::string> creates) {
        m_creates.insert(m_creates.end(), std::make_move_iterator(creates.begin()),
                         std::make_move_iterator(creates.end()));
    }

    void finish() {
        if (m_creates.empty()) {
            return;
        }
        // Written out first, the cached pages can be let go.
        release_page_cache(m_db);
        m_db.exec(k_sort_cache);
        {
            const SortHelpers helpers(m_db);
            restore_schema_objects(m_db, m_creates);
        }
        m_db.exec(k_build_cache);
    }

private:
    Connection& m_db;
    std::int64_t m_threshold = 0;
    bool m_dropped = false;
    std::vector<std::string> m_creates;
};

// Into a table without signals, the unique index on external_id is left out while the rows go
// in and built with the other indexes after them, by sorting: written row by row, its keys come
// in the order of the file (the complaints' in random order), and once the index outgrows the
// page cache each costs a read and a write of a page. Of 1,000,000 complaints the rows went in
// 5.0-6.7 s instead of 6.9-8.5 (docs/performance.md); the sqlite3 shell builds the index in
// 0.8 s. Meanwhile ImportedIds finds an id that comes twice, as the index did: every id the
// table holds is one of the import's. Past `max_ids` the index is built at once and finds the
// rest.
class DeferredExternalIds {
public:
    DeferredExternalIds(Connection& db, std::int64_t signal_mark, std::size_t max_ids)
        : m_db(db), m_ids(signal_mark + 1, max_ids),
          m_index(drop_schema_objects(db, "INDEX", k_external_id_index)) {}

    // True when an earlier row of the import has the id of `s`.
    bool seen(const Signal& s) const {
        return !m_index.empty() && s.external_id &&
               m_ids.contains(*s.external_id, [this](std::int64_t row) {
                   Statement& id = m_db.cached(k_external_id_of);
                   id.bind(1, row);
                   std::string text = id.step() ? id.text(0) : std::string();
                   id.reset();
                   return text;
               });
    }

    // After the row of `s` went in.
    void added(const Signal& s) {
        if (m_index.empty() || !s.external_id || m_ids.add(*s.external_id, s.id)) {
            return;
        }
        const SortHelpers helpers(m_db);
        restore_schema_objects(m_db, m_index);
        m_ids = ImportedIds(0, 0);
    }

    // The index, if it is still to be built; the ids are let go, as the index builds need memory.
    std::vector<std::string> take_index() {
        m_ids = ImportedIds(0, 0);
        return std::move(m_index);
    }

private:
    Connection& m_db;
    ImportedIds m_ids;
    std::vector<std::string> m_index;
};

// The trigger that opens a step stay for each history row would run per row, and the stays'
// indexes are keyed by step and time: written per row they spill the page cache and took a
// quarter of an import. The stays of the new signals are written in one statement at the end
// instead, and the trigger is restored as it was.
class DeferredStays {
public:
    DeferredStays(Connection& db, std::int64_t signal_mark) : m_db(db), m_signal_mark(signal_mark) {
        m_trigger = drop_schema_objects(m_db, "TRIGGER", k_stays_trigger);
    }

    void finish() {
        if (m_trigger.empty()) {
            return;
        }
        m_db.prepare(k_open_first_stays).bind(1, m_signal_mark).run();
        restore_schema_objects(m_db, m_trigger);
    }

private:
    Connection& m_db;
    std::int64_t m_signal_mark;
    std::vector<std::string> m_trigger;
};

// The CHECK constraints off while it lives or until on() (see k_checks_off). Turning them on or
// off makes SQLite prepare each statement again at its next use, with or without the checks.
class RelaxedChecks {
public:
    explicit RelaxedChecks(Connection& db) : m_db(db) { m_db.exec(k_checks_off); }
    ~RelaxedChecks() {
        try {
            on();
        } catch (...) {
            // Setting a flag does not fail in practice; a destructor must not throw anyway.
        }
    }
    RelaxedChecks(const RelaxedChecks&) = delete;
    RelaxedChecks& operator=(const RelaxedChecks&) = delete;

    void on() {
        if (m_off) {
            m_off = false;
            m_db.exec(k_checks_on);
        }
    }

private:
    Connection& m_db;
    bool m_off = true;
};

// What the relaxed CHECKs of `signals` guard for the columns an import writes, and the shape of
// a signal as domain::new_signal makes it, which the set-based writing of its children relies on.
void require_new_signal(const Signal& s) {
    require_title(s.title); // the CHECK on length(title)
    if (s.state != State::submitted || s.step != 1) {
        throw InvalidInput(
            fmt::format("a bulk insert takes new signals only (state submitted, step "
                        "1), not state {} at step {}",
                        to_string(s.state), s.step));
    }
    if (s.submitters.size() != 1 || s.history.size() != 1) {
        throw InvalidInput(fmt::format("a bulk insert takes new signals only, with one submitter "
                                       "and one history entry, not {} and {}",
                                       s.submitters.size(), s.history.size()));
    }
}

// The values a new signal's submitter and history entry share with every other one of the
// import, taken from the first; the rest comes from the signal's own row (see k_bulk_history).
struct ChildShape {
    std::string via;
    std::string by;
    std::string event;
    std::optional<std::string> from;
    std::string to;
    std::string detail_prefix; // the history detail, or its part before the submitter's address
    bool detail_names_submitter = false; // the detail ends with the signal's submitter

    static ChildShape of(const Signal& s) {
        const HistoryEntry& h = s.history.front();
        const std::string& detail = h.detail;
        const bool ends_with_submitter = !s.submitted_by.empty() &&
                                         detail.size() >= s.submitted_by.size() &&
                                         detail.compare(detail.size() - s.submitted_by.size(),
                                                        std::string::npos, s.submitted_by) == 0;
        return ChildShape{
            s.submitters.front().via,
            h.stamp.by,
            h.event,
            h.from ? std::optional<std::string>(std::string(to_string(*h.from))) : std::nullopt,
            std::string(to_string(h.to)),
            ends_with_submitter ? detail.substr(0, detail.size() - s.submitted_by.size()) : detail,
            ends_with_submitter};
    }

    // Throws InvalidInput unless the children of `s` are what the set-based statements write.
    void require_fits(const Signal& s) const {
        const Submitter& sub = s.submitters.front();
        const HistoryEntry& h = s.history.front();
        const bool fits =
            sub.email == s.submitted_by && sub.joined_at == s.submitted_at && sub.via == via &&
            h.stamp.at == s.updated_at && h.stamp.by == by && h.event == event &&
            (h.from ? from && *from == to_string(*h.from) : !from) && to_string(h.to) == to &&
            (detail_names_submitter
                 ? h.detail.size() == detail_prefix.size() + s.submitted_by.size() &&
                       h.detail.compare(0, detail_prefix.size(), detail_prefix) == 0 &&
                       h.detail.compare(detail_prefix.size(), std::string::npos, s.submitted_by) ==
                           0
                 : h.detail == detail_prefix);
        if (!fits) {
            throw InvalidInput(fmt::format("a bulk insert takes new signals only: the submitter "
                                           "or history entry of {} differ from a new signal's",
                                           quote_value(s.title)));
        }
    }
};

class SqliteBulkInsert final : public BulkInsert {
public:
    SqliteBulkInsert(Connection& db, std::size_t max_imported_ids)
        : m_db(db), m_signal_mark(signal_mark(db)), m_tallies(db), m_indexes(db),
          m_stays(db, m_signal_mark), m_checks(db) {
        // Into an empty table, the search index is built beside the rows (see
        // ScratchSearchIndex); into one that holds signals, per batch.
        if (holds_no_signals(m_db)) {
            m_search.emplace(m_db);
            m_external_ids.emplace(m_db, m_signal_mark, max_imported_ids);
        }
        m_db.exec(m_search ? k_import_cache_beside_search : k_import_cache);
    }

    bool add(Signal& s) override {
        const auto start = PhaseClock::now();
        const bool added = insert(s);
        m_insert_seconds += seconds_since(start);
        return added;
    }

    void finish() override {
        m_phases.push_back(BulkPhase{"insert", m_insert_seconds});
        auto start = PhaseClock::now();
        m_checks.on();
        if (m_shape) {
            const ChildShape& c = *m_shape;
            m_db.prepare(k_bulk_submitters).bind_all(m_signal_mark, c.via).run();
            m_db.prepare(k_bulk_history)
                .bind_all(m_signal_mark, c.by, c.event, c.from, c.to, c.detail_prefix,
                          c.detail_names_submitter ? 1 : 0)
                .run();
        }
        lap("submitters and history", start);
        if (m_external_ids) {
            m_indexes.build_too(m_external_ids->take_index());
        }
        if (m_search) {
            // The indexes first: they are built while the thread completes the search index.
            m_search->close();
            m_indexes.finish();
            lap("indexes", start);
            m_search->finish();
            const double waited = m_search->waited_seconds();
            m_phases.push_back(BulkPhase{"full-text (wait)", waited});
            m_phases.push_back(BulkPhase{"full-text (move in)", seconds_since(start) - waited});
            m_phases.push_back(BulkPhase{"full-text (thread)", m_search->thread_seconds(), true});
            start = PhaseClock::now();
        } else {
            index_pending();
            lap("full-text", start, m_fts_seconds);
            m_indexes.finish();
            lap("indexes", start);
            if (m_indexes.built_afresh()) {
                m_db.exec(k_merge_search_index);
                lap("full-text merge", start);
            }
        }
        m_stays.finish(); // before the tallies, which count the stays
        lap("stays", start);
        m_tallies.finish();
        lap("tallies", start);
    }

    std::vector<BulkPhase> phases() const override { return m_phases; }

private:
    // Records the phase that began at `start`, plus `earlier` seconds spent on it before, and
    // starts the next one.
    void lap(std::string name, PhaseClock::time_point& start, double earlier = 0) {
        m_phases.push_back(BulkPhase{std::move(name), earlier + seconds_since(start)});
        start = PhaseClock::now();
    }

    bool insert(Signal& s) {
        require_new_signal(s);
        if (!m_shape) {
            m_shape = ChildShape::of(s);
            // The history's tally triggers are off during the import (ImportTallies): they
            // count no submission, and no other event may come in without them.
            if (m_shape->event != to_string(Event::submit)) {
                throw InvalidInput(fmt::format("a bulk insert takes new signals only: the history "
                                               "entry of {} is '{}', not a submission",
                                               quote_value(s.title), m_shape->event));
            }
        }
        m_shape->require_fits(s);
        if (m_external_ids && m_external_ids->seen(s)) {
            s.id = 0;
            return false;
        }
        StandardValues fields;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            fields[i] = standard(s, k_standard_fields[i]);
        }
        const std::string& submitted_at = m_submitted_text(s.submitted_at);
        m_db.cached(k_bulk_signal)
            .bind_all_borrowed(s.title, s.description, to_string(s.state), s.step, s.submitted_by,
                               submitted_at, m_stamp_text(s.updated_at), s.external_id, fields[0],
                               fields[1], fields[2], fields[3], s.project)
            .run();
        if (m_db.changes() == 0) {
            s.id = 0;
            return false;
        }
        s.id = m_db.last_insert_id();
        if (m_external_ids) {
            m_external_ids->added(s);
        }
        m_tallies.count(to_string(s.state), s.step, s.submitted_by, submitted_at, fields);
        m_indexes.added(++m_added);
        Statement& field = m_db.cached(k_bulk_field);
        for (const auto& [name, value] : s.fields) {
            if (!is_standard_field(name)) {
                field.bind_all_borrowed(s.id, name, value).run();
            }
        }
        for (Feedback& f : s.feedback) {
            m_db.cached(k_bulk_feedback)
                .bind_all(s.id, f.recipient, to_string(f.outcome), to_string(f.status),
                          m_stamp_text(f.queued_at), stage_text(f), f.detail)
                .run();
            f.id = m_db.last_insert_id();
        }
        if (m_search) {
            m_search->add(s.id, s.title, s.description);
        } else {
            if (m_first == 0) {
                m_first = s.id;
            }
            m_last = s.id;
            if (m_last - m_first + 1 >= k_index_batch) {
                const auto start = PhaseClock::now();
                index_pending();
                const double seconds = seconds_since(start);
                m_fts_seconds += seconds;
                m_insert_seconds -= seconds; // add() counts them as well
            }
        }
        return true;
    }

    void index_pending() {
        if (m_first != 0) {
            m_db.cached(k_index_range).bind_all(m_first, m_last).run();
        }
        m_first = 0;
        m_last = 0;
    }

    Connection& m_db;
    std::int64_t m_signal_mark;
    ImportTallies m_tallies;
    DeferredIndexes m_indexes;
    DeferredStays m_stays;
    RelaxedChecks m_checks;
    std::optional<ChildShape> m_shape;
    std::int64_t m_added = 0;
    double m_insert_seconds = 0;
    double m_fts_seconds = 0; // the batches of the search index during the rows
    std::vector<BulkPhase> m_phases;
    TimeText m_submitted_text;
    TimeText m_stamp_text;
    std::optional<ScratchSearchIndex> m_search;        // when the table held no signals
    std::optional<DeferredExternalIds> m_external_ids; // likewise
    SignalId m_first = 0;
    SignalId m_last = 0;
};

} // namespace

bool holds_no_signals(Connection& db) {
    Statement& none = db.cached(k_is_empty);
    none.step();
    const bool empty = none.integer(0) != 0;
    none.reset();
    return empty;
}

std::unique_ptr<BulkInsert> start_bulk_insert(Connection& db, std::size_t max_imported_ids) {
    return std::make_unique<SqliteBulkInsert>(db, max_imported_ids);
}

} // namespace sileram::storage::sqlite
