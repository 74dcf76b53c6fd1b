#include "scratch_search_index.hpp"

#include "sileram/errors.hpp"

#include <array>
#include <chrono>
#include <fmt/format.h>
#include <sqlite3.h>

namespace sileram::storage::sqlite {

namespace {

constexpr const char* k_index_name = "signals_fts";
constexpr const char* k_definition = R"sql(
SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'signals_fts'
)sql";
// A temporary database needs no journal: nothing in it outlives the import.
constexpr const char* k_scratch_settings = R"sql(
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -2048;
)sql";
// Terms the index gathers in memory before it writes them as a segment (FTS5's 'hashsize', 1 MiB
// unless set); the process grows by about one and a half times the setting. Larger means fewer
// segments to merge, but on its own thread the merging hides behind the import: of 1,000,000
// signals the thread took 16.5-18.6 s with 4 or 8 MiB and 20.1 s with 2 MiB, while the peak of the
// import grew from 58 MiB (4 MiB) to 73 MiB (8 MiB).
constexpr std::int64_t k_hash_bytes = std::int64_t{4} << 20;
constexpr const char* k_hash_size =
    "INSERT INTO signals_fts (signals_fts, rank) VALUES ('hashsize', ?)";
// Every segment is merged into one at the end (k_merge), so merging some of them on the way is
// work done twice: FTS5 does that after each segment it writes ('automerge'), and at once when a
// level holds 'crisismerge' segments. In the sqlite3 shell, indexing 1,000,000 signals and merging
// took 17.3 + 2.4 s with FTS5's settings (4 and 16), 11.3 + 2.2 s without automerge, and 8.8 + 3.0
// s with up to 1,000 segments on a level as well (about 300 here; a larger import still merges a
// level when it holds 1,000).
constexpr const char* k_merge_at_end = R"sql(
INSERT INTO signals_fts (signals_fts, rank) VALUES ('automerge', 0);
INSERT INTO signals_fts (signals_fts, rank) VALUES ('crisismerge', 1000);
)sql";
constexpr const char* k_index_row =
    "INSERT INTO signals_fts (rowid, title, description) VALUES (?, ?, ?)";
// One segment: later single submits then merge only their own small segments (see
// k_merge_search_index in bulk_insert.cpp).
constexpr const char* k_merge = "INSERT INTO signals_fts (signals_fts) VALUES ('optimize')";
// FTS5 keeps an index in these tables (see fts5's documentation of its shadow tables); the fourth,
// `_config`, holds settings, which stay the import's own. `_data` starts with two rows even in an
// empty index, which the built index's replace.
constexpr std::array k_index_tables = {"_data", "_idx", "_docsize"};
// Rows per batch handed to the thread, and batches waiting at most: a few hundred KiB of text
// in flight.
constexpr std::size_t k_batch_rows = 1024;
constexpr std::size_t k_queued_batches = 4;

// The CREATE VIRTUAL TABLE statement of `db`'s search index.
std::string definition_of_index(Connection& db) {
    Statement definition = db.prepare(k_definition);
    if (!definition.step()) {
        throw SystemFailure("the database has no search index (signals_fts): it is damaged");
    }
    return definition.text(0);
}

// A scratch database with an empty index of that definition, in a transaction that takes the rows.
std::unique_ptr<Connection> open_scratch(const std::string& definition) {
    auto scratch = std::make_unique<Connection>("", Connection::Mode::scratch);
    scratch->exec(k_scratch_settings);
    scratch->exec(definition);
    scratch->prepare(k_hash_size).bind(1, k_hash_bytes).run();
    scratch->exec(k_merge_at_end);
    scratch->exec("BEGIN");
    return scratch;
}

} // namespace

ScratchSearchIndex::Indexing ScratchSearchIndex::best_indexing() {
    return sqlite3_threadsafe() != 0 ? Indexing::own_thread : Indexing::caller;
}

ScratchSearchIndex::ScratchSearchIndex(Connection& db, Indexing indexing)
    : m_db(db), m_definition(definition_of_index(db)), m_scratch(open_scratch(m_definition)),
      m_worker(
          k_batch_rows, k_queued_batches, [this](std::vector<ScratchRow>& rows) { index(rows); },
          [this] { merge(); }, indexing) {}

void ScratchSearchIndex::add(std::int64_t id, std::string_view title,
                             std::string_view description) {
    m_worker.add(ScratchRow{id, std::string(title), std::string(description)});
    ++m_rows;
}

void ScratchSearchIndex::index(std::vector<ScratchRow>& rows) {
    Statement& insert = m_scratch->cached(k_index_row);
    for (const ScratchRow& row : rows) {
        insert.bind_all_borrowed(row.id, row.title, row.description).run();
    }
}

void ScratchSearchIndex::merge() {
    m_scratch->exec(k_merge);
    m_scratch->exec("COMMIT");
}

void ScratchSearchIndex::finish() {
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_worker.wait();
    if (m_rows > 0) {
        move_into_import();
    }
    m_scratch.reset();
}

// Replaces the import's empty index by the built one, table by table. The index is dropped and
// created again first: FTS5 keeps what it read of an index's structure for as long as the
// connection has the table open, so rows written beneath an index it has read would be taken for
// a damaged index.
void ScratchSearchIndex::move_into_import() {
    m_db.exec(fmt::format("DROP TABLE {}", k_index_name));
    m_db.exec(m_definition);
    for (const char* suffix : k_index_tables) {
        const std::string table = std::string(k_index_name) + suffix;
        Statement from = m_scratch->prepare(fmt::format("SELECT * FROM {}", table));
        std::string placeholders;
        for (int column = 0; column < from.column_count(); ++column) {
            placeholders += column == 0 ? "?" : ", ?";
        }
        Statement into =
            m_db.prepare(fmt::format("INSERT OR REPLACE INTO {} VALUES ({})", table, placeholders));
        while (from.step()) {
            for (int column = 0; column < from.column_count(); ++column) {
                into.bind_column(column + 1, from, column);
            }
            into.run();
        }
    }
}

} // namespace sileram::storage::sqlite
