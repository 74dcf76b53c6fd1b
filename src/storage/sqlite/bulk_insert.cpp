#include "intake.hpp"
#include "sileram/errors.hpp"
#include "tallies.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
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
// While the search index and the indexes are built: each sort holds as much memory as the page
// cache may, and the search index its terms, so the cache gives back what the rows took.
constexpr const char* k_build_cache = "PRAGMA cache_size = -8192; PRAGMA shrink_memory";
// CREATE INDEX sorts its keys in runs as large as the page cache, one per thread, and merges them;
// helper threads sort runs on other cores while the main one reads the table. Building the 13
// indexes of 1,000,000 signals took 10.1-10.7 s without a helper, 7.9-8.2 s with one and
// 7.3-7.8 s with two. With 2 MiB runs the peak memory of the import stays where it was
// (55.5 MiB); with 8 MiB runs one helper took it to 65 MiB, and the smaller runs were not slower.
constexpr const char* k_sort_cache = "PRAGMA cache_size = -2048";
constexpr unsigned k_max_sort_helpers = 2;
constexpr const char* k_sort_helpers = "PRAGMA threads = {}";
// Terms the search index gathers in memory before it writes them as a segment (FTS5's
// 'hashsize', 1 MiB unless set). With 1 MiB a rebuild writes many small segments and merges them
// again; in the sqlite3 shell a rebuild of 300,000 signals took 8.8 s with 1 MiB, 6.7 s with
// 16 MiB and 5.5 s with 32 MiB, the process growing by one and a half times the setting. 24 MiB
// keeps the import under the peak its rows reach anyway (57 MiB). Only for the rebuild: set during
// the rows, the terms would sit beside the import's page cache.
constexpr std::int64_t k_rebuild_hash_bytes = std::int64_t{24} << 20;
constexpr std::int64_t k_default_hash_bytes = std::int64_t{1} << 20;
constexpr const char* k_fts_hash_size =
    "INSERT INTO signals_fts (signals_fts, rank) VALUES ('hashsize', ?)";

constexpr const char* k_bulk_signal = R"sql(
INSERT INTO signals (title, description, state, step, submitted_by, submitted_at, updated_at,
                     external_id, channel, product, process, customer)  -- as k_standard_fields
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (external_id) DO NOTHING
)sql";
constexpr const char* k_bulk_field =
    "INSERT INTO signal_fields (signal_id, name, value) VALUES (?, ?, ?)";
constexpr const char* k_bulk_submitter =
    "INSERT INTO submitters (signal_id, email, joined_at, via) VALUES (?, ?, ?, ?)";
// An acknowledgement mail, when mail.acknowledge asks for one.
constexpr const char* k_bulk_feedback = R"sql(
INSERT INTO feedback (signal_id, recipient, outcome, status, queued_at, stage, detail)
VALUES (?, ?, ?, ?, ?, ?, ?)
)sql";
constexpr const char* k_bulk_history = R"sql(
INSERT INTO history (signal_id, at, by, event, from_state, to_state, detail)
VALUES (?, ?, ?, ?, ?, ?, ?)
)sql";
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
// Below this many new rows, keeping the indexes up to date row by row costs little.
constexpr std::int64_t k_rows_worth_rebuilding = 20000;
constexpr const char* k_rebuild = "INSERT INTO signals_fts (signals_fts) VALUES ('rebuild')";
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

constexpr const char* k_history_mark = "SELECT coalesce(max(id), 0) FROM history";
constexpr const char* k_stays_trigger = R"sql(
SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'step_stays_follow_history'
)sql";
// What the trigger does for a signal stored with its step before its history: the first history
// row opens the stay at that step, the others find it open. ?1: the history mark.
constexpr const char* k_open_first_stays = R"sql(
INSERT INTO step_stays (signal_id, step, entered_at)
SELECT h.signal_id, s.step, h.at FROM history h JOIN signals s ON s.id = h.signal_id
WHERE h.id > ?1
  AND h.id = (SELECT min(p.id) FROM history p WHERE p.signal_id = h.signal_id AND p.id > ?1)
ORDER BY h.id
)sql";

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

// Helper threads for SQLite's sorter while it lives: the cores beside the one that reads the
// table. Only the index builds get them; other statements sort little.
class SortHelpers {
public:
    explicit SortHelpers(Connection& db) : m_db(db) {
        const unsigned cores = std::thread::hardware_concurrency();
        const unsigned helpers = cores > 1 ? std::min(cores - 1, k_max_sort_helpers) : 0;
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
        m_creates = drop_schema_objects(m_db, "INDEX", k_secondary_indexes);
        m_dropped = true;
    }

    // Whether the import was large enough to build the indexes afresh.
    bool built_afresh() const { return m_dropped; }

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

// The trigger that opens a step stay for each history row would run per row, and the stays'
// indexes are keyed by step and time: written per row they spill the page cache and took a
// quarter of an import. The stays of the new signals are written in one statement at the end
// instead, and the trigger is restored as it was.
class DeferredStays {
public:
    explicit DeferredStays(Connection& db) : m_db(db) {
        Statement& mark = m_db.cached(k_history_mark);
        mark.step();
        m_history_mark = mark.integer(0);
        mark.reset();
        m_trigger = drop_schema_objects(m_db, "TRIGGER", k_stays_trigger);
    }

    void finish() {
        if (m_trigger.empty()) {
            return;
        }
        m_db.prepare(k_open_first_stays).bind(1, m_history_mark).run();
        restore_schema_objects(m_db, m_trigger);
    }

private:
    Connection& m_db;
    std::int64_t m_history_mark = 0;
    std::vector<std::string> m_trigger;
};

class SqliteBulkInsert final : public BulkInsert {
public:
    explicit SqliteBulkInsert(Connection& db)
        : m_db(db), m_tallies(db), m_indexes(db), m_stays(db) {
        m_db.exec(k_import_cache);
        // Into an empty table, one rebuild at the end is cheaper than filling per batch.
        m_rebuild = holds_no_signals(m_db);
    }

    bool add(Signal& s) override {
        StandardValues fields;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            fields[i] = standard(s, k_standard_fields[i]);
        }
        const std::string& submitted_at = m_submitted_text(s.submitted_at);
        m_db.cached(k_bulk_signal)
            .bind_all(s.title, s.description, to_string(s.state), s.step, s.submitted_by,
                      submitted_at, m_stamp_text(s.updated_at), s.external_id, fields[0], fields[1],
                      fields[2], fields[3])
            .run();
        if (m_db.changes() == 0) {
            s.id = 0;
            return false;
        }
        s.id = m_db.last_insert_id();
        m_tallies.count(to_string(s.state), s.step, s.submitted_by, submitted_at, fields);
        m_indexes.added(++m_added);
        Statement& field = m_db.cached(k_bulk_field);
        for (const auto& [name, value] : s.fields) {
            if (!is_standard_field(name)) {
                field.bind_all(s.id, name, value).run();
            }
        }
        Statement& submitter = m_db.cached(k_bulk_submitter);
        for (Submitter& sub : s.submitters) {
            submitter.bind_all(s.id, sub.email, m_submitted_text(sub.joined_at), sub.via).run();
            sub.id = m_db.last_insert_id();
        }
        Statement& history = m_db.cached(k_bulk_history);
        for (HistoryEntry& h : s.history) {
            history
                .bind_all(s.id, m_stamp_text(h.stamp.at), h.stamp.by, h.event,
                          h.from ? std::optional<std::string>(std::string(to_string(*h.from)))
                                 : std::nullopt,
                          to_string(h.to), h.detail)
                .run();
            h.id = m_db.last_insert_id();
        }
        for (Feedback& f : s.feedback) {
            m_db.cached(k_bulk_feedback)
                .bind_all(s.id, f.recipient, to_string(f.outcome), to_string(f.status),
                          m_stamp_text(f.queued_at), stage_text(f), f.detail)
                .run();
            f.id = m_db.last_insert_id();
        }
        if (!m_rebuild) {
            if (m_first == 0) {
                m_first = s.id;
            }
            m_last = s.id;
            if (m_last - m_first + 1 >= k_index_batch) {
                index_pending();
            }
        }
        return true;
    }

    void finish() override {
        if (m_rebuild) {
            release_page_cache(m_db);
            m_db.prepare(k_fts_hash_size).bind(1, k_rebuild_hash_bytes).run();
            m_db.exec(k_rebuild);
            m_db.prepare(k_fts_hash_size).bind(1, k_default_hash_bytes).run();
        } else {
            index_pending();
        }
        m_indexes.finish();
        if (m_indexes.built_afresh()) {
            m_db.exec(k_merge_search_index);
        }
        m_stays.finish(); // before the tallies, which count the stays
        m_tallies.finish();
    }

private:
    void index_pending() {
        if (m_first != 0) {
            m_db.cached(k_index_range).bind_all(m_first, m_last).run();
        }
        m_first = 0;
        m_last = 0;
    }

    Connection& m_db;
    ImportTallies m_tallies;
    DeferredIndexes m_indexes;
    DeferredStays m_stays;
    std::int64_t m_added = 0;
    TimeText m_submitted_text;
    TimeText m_stamp_text;
    bool m_rebuild = false;
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

std::unique_ptr<BulkInsert> start_bulk_insert(Connection& db) {
    return std::make_unique<SqliteBulkInsert>(db);
}

} // namespace sileram::storage::sqlite
