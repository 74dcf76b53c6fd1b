// The search index of an import into an empty table, built in a scratch database beside the import
// and moved in at its end: it must answer as the index FTS5 builds itself, pass FTS5's own check,
// and leave the import's empty index as it was when the import does not commit.
#include "connection.hpp"
#include "scratch_search_index.hpp"
#include "sileram/storage/store.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace sileram::storage;
using sqlite::Connection;
using sqlite::ScratchSearchIndex;

namespace {

// A new sileram database for one case, removed with its WAL files.
struct SearchDatabase {
    fs::path file;

    explicit SearchDatabase(const char* name)
        : file(fs::temp_directory_path() /
               fmt::format("sileram-scratch-{}-{}.db", name, ::getpid())) {
        remove();
        open_store(file, Access::write); // creates the schema
    }
    ~SearchDatabase() { remove(); }
    SearchDatabase(const SearchDatabase&) = delete;
    SearchDatabase& operator=(const SearchDatabase&) = delete;

    void remove() const {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            std::error_code ignored;
            fs::remove(file.string() + suffix, ignored);
        }
    }
};

std::string scalar(Connection& db, const std::string& sql) {
    sqlite::Statement query = db.prepare(sql);
    REQUIRE(query.step());
    return query.text(0);
}

// How many signals the search index finds for `words`.
std::string matching(Connection& db, const char* words) {
    return scalar(
        db, fmt::format("SELECT count(*) FROM signals_fts WHERE signals_fts MATCH '{}'", words));
}

// FTS5's own check that the index matches the signals' text; it throws when it does not.
void check_index(Connection& db) {
    db.exec("INSERT INTO signals_fts (signals_fts) VALUES ('integrity-check')");
}

// Words that each occur in a known share of the rows written by write_signals.
constexpr int k_rows = 3000;
const std::string k_counts =
    "SELECT (SELECT count(*) FROM signals_fts WHERE signals_fts MATCH 'factuur') || ' ' || "
    "(SELECT count(*) FROM signals_fts WHERE signals_fts MATCH 'levering') || ' ' || "
    "(SELECT count(*) FROM signals_fts WHERE signals_fts MATCH 'cafe') || ' ' || "
    "(SELECT count(*) FROM signals_fts WHERE signals_fts MATCH 'onduidelijk AND \"dag 7\"') || "
    "' ' || (SELECT group_concat(rowid) FROM (SELECT rowid FROM signals_fts WHERE signals_fts "
    "MATCH 'wachttijd' ORDER BY rank, rowid LIMIT 5))";

// Writes the signals and hands each to `index`, as an import does.
void write_signals(Connection& db, ScratchSearchIndex& index) {
    sqlite::Statement insert =
        db.prepare("INSERT INTO signals (title, description, state, step, submitted_by, "
                   "submitted_at, updated_at) VALUES (?, ?, 'submitted', 1, 'a@example.nl', "
                   "'2026-11-23T12:00:00Z', '2026-11-23T12:00:00Z')");
    for (int n = 1; n <= k_rows; ++n) {
        const std::string title =
            n % 3 == 0 ? fmt::format("Factuur {} onduidelijk", n) : fmt::format("Levering {}", n);
        // Accents and case fold away; a few rows say "wachttijd" more often, so rank orders them.
        const std::string description =
            fmt::format("Klant belde over Café {} op dag {}.{}", n % 17, n % 10,
                        n % 50 == 0  ? std::string(" Wachttijd wachttijd WACHTTIJD.")
                        : n % 7 == 0 ? std::string(" Lange wachttijd.")
                                     : "");
        insert.bind_all(title, description).run();
        index.add(db.last_insert_id(), title, description);
    }
}

} // namespace

TEST_CASE("a search index built beside the import answers as FTS5's own, on either thread") {
    for (const auto indexing :
         {ScratchSearchIndex::Indexing::own_thread, ScratchSearchIndex::Indexing::caller}) {
        CAPTURE(static_cast<int>(indexing));
        const SearchDatabase database("answers");
        Connection db(database.file, Connection::Mode::read_write_create);
        // The connection has read the empty index before, as an import's may have: the index is
        // replaced, not written beneath what FTS5 keeps of it.
        CHECK(matching(db, "factuur") == "0");
        db.exec("BEGIN IMMEDIATE");
        ScratchSearchIndex index(db, indexing);
        write_signals(db, index);
        index.close();
        index.finish();
        db.exec("COMMIT");

        const std::string built = scalar(db, k_counts);
        CHECK(built.rfind("1000 2000 3000 100 ", 0) == 0);
        check_index(db);
        // One segment: the merge ran in the scratch database.
        CHECK(scalar(db, "SELECT count(DISTINCT segid) FROM signals_fts_idx") == "1");
        db.exec("INSERT INTO signals_fts (signals_fts) VALUES ('rebuild')");
        CHECK(scalar(db, k_counts) == built);

        // A signal indexed later, as submit does, joins the built index.
        db.exec("INSERT INTO signals (title, state, step, submitted_by, submitted_at, "
                "updated_at) VALUES ('Factuur te laat', 'submitted', 1, 'b@example.nl', "
                "'2026-11-24T12:00:00Z', '2026-11-24T12:00:00Z')");
        db.exec("INSERT INTO signals_fts (rowid, title, description) "
                "SELECT id, title, description FROM signals WHERE title = 'Factuur te laat'");
        CHECK(matching(db, "factuur") == "1001");
        check_index(db);
    }
}

TEST_CASE("an import that does not commit leaves the empty search index as it was") {
    const SearchDatabase database("rollback");
    Connection db(database.file, Connection::Mode::read_write_create);
    SUBCASE("after the index was moved in") {
        db.exec("BEGIN IMMEDIATE");
        ScratchSearchIndex index(db);
        write_signals(db, index);
        index.finish();
        CHECK(matching(db, "levering") == "2000");
        db.exec("ROLLBACK");
    }
    SUBCASE("given up while the thread indexes") {
        db.exec("BEGIN IMMEDIATE");
        {
            ScratchSearchIndex index(db);
            write_signals(db, index);
        } // the import failed: no close(), no finish()
        db.exec("ROLLBACK");
    }
    CHECK(scalar(db, "SELECT count(*) FROM signals") == "0");
    CHECK(matching(db, "levering") == "0");
    check_index(db);
    // And the next import into the still empty table builds it again.
    db.exec("BEGIN IMMEDIATE");
    ScratchSearchIndex index(db);
    write_signals(db, index);
    index.finish();
    db.exec("COMMIT");
    CHECK(matching(db, "levering") == "2000");
    check_index(db);
}

TEST_CASE("an import that adds no signal leaves the search index untouched") {
    const SearchDatabase database("none");
    Connection db(database.file, Connection::Mode::read_write_create);
    const std::string definition =
        scalar(db, "SELECT sql FROM sqlite_schema WHERE name = 'signals_fts'");
    db.exec("BEGIN IMMEDIATE");
    ScratchSearchIndex index(db);
    index.finish();
    db.exec("COMMIT");
    CHECK(scalar(db, "SELECT sql FROM sqlite_schema WHERE name = 'signals_fts'") == definition);
    check_index(db);
}
