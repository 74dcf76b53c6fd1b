// The connection turns every SQLite result into the error it means, and owns its handles.
#include "connection.hpp"
#include "sileram/errors.hpp"
#include "sql.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <type_traits>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace sileram;
using sileram::storage::sqlite::Connection;

namespace {

// The file descriptors this process holds open.
std::size_t open_descriptors() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) {
        ++count;
    }
    return count;
}

// A file that is not a database, removed at scope exit.
struct NotADatabase {
    fs::path file = fs::temp_directory_path() / fmt::format("sileram-not-a-db-{}.db", ::getpid());
    NotADatabase() {
        std::ofstream out(file, std::ios::binary);
        out << std::string(4096, 'x');
    }
    ~NotADatabase() {
        std::error_code ignored;
        fs::remove(file, ignored);
    }
};

} // namespace

TEST_CASE("a parameter that cannot be bound is an error, not a query run without it") {
    Connection db("", Connection::Mode::memory);
    auto query = db.prepare("SELECT ?");
    const std::string message = test_support::message_of([&] { query.bind(2, "too far"); });
    CHECK(test_support::contains(message, "binding parameter 2"));
    CHECK(test_support::contains(message, "column index out of range"));
    CHECK_THROWS_AS(query.bind(0, std::int64_t{1}), SystemFailure);
    CHECK_THROWS_AS(query.bind(3, std::nullopt), SystemFailure);
    CHECK_THROWS_AS(query.bind(4, 1.5), SystemFailure);
}

TEST_CASE("a file that is not a database is refused when opened, and its handle is closed") {
    const NotADatabase garbage;
    const std::size_t before = open_descriptors();
    for (const auto mode : {Connection::Mode::read_only, Connection::Mode::read_write_create}) {
        const std::string message =
            test_support::message_of([&] { Connection db(garbage.file, mode); });
        CHECK(test_support::contains(message, garbage.file.string()));
        CHECK(test_support::contains(message, "not a usable sileram database"));
    }
    CHECK(open_descriptors() == before);
}

TEST_CASE("an error tells the failing result, not the connection's last message") {
    // sqlite3_db_cacheflush returns a full disk without setting the connection's message, which
    // still says "not an error" from the last call that succeeded.
    Connection db("", Connection::Mode::memory);
    db.exec("CREATE TABLE t (x)");
    REQUIRE(sqlite3_extended_errcode(db.handle()) == SQLITE_OK);
    const std::string message = test_support::message_of(
        [&] { storage::sqlite::fail(db.handle(), SQLITE_FULL, "writing the import's pages"); });
    CHECK(test_support::contains(message, "database or disk is full"));
    CHECK(test_support::contains(message, "writing the import's pages"));
    CHECK_FALSE(test_support::contains(message, "not an error"));
    CHECK_THROWS_AS(storage::sqlite::fail(db.handle(), SQLITE_FULL, "writing"), TemporaryFailure);
}

TEST_CASE("a full disk under a scratch database names the folder of temporary files") {
    Connection db("", Connection::Mode::scratch);
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (randomblob(100000))");
    const std::string message = test_support::message_of(
        [&] { storage::sqlite::fail(db.handle(), SQLITE_FULL, "building the search index"); });
    CHECK(test_support::contains(message,
                                 "a temporary file (in the folder SQLITE_TMPDIR or "
                                 "TMPDIR names, else /var/tmp): database or disk is full"));
    CHECK(test_support::contains(message, "building the search index"));
}

namespace sqlite = sileram::storage::sqlite;

namespace {

// Two arrays with the same text at two addresses, as two files' constants would be.
constexpr char k_first_count[] = "SELECT count(*) FROM sqlite_schema";
constexpr char k_second_count[] = "SELECT count(*) FROM sqlite_schema";

} // namespace

TEST_CASE("statement cache: one statement per SQL text, wherever the text is stored") {
    sqlite::Connection db({}, sqlite::Connection::Mode::memory);
    REQUIRE(static_cast<const void*>(k_first_count) != static_cast<const void*>(k_second_count));
    sqlite::Statement& first = db.cached(k_first_count);
    CHECK(&db.cached(k_second_count) == &first);
    CHECK(&db.cached(k_first_count) == &first);
    sqlite::Statement& other = db.cached("SELECT 2");
    CHECK(&other != &first);
    REQUIRE(other.step());
    CHECK(other.integer(0) == 2);
}

TEST_CASE("statement cache: a key is only made from compile-time text") {
    // A std::string, a string_view or a runtime pointer (see tests/compile/) cannot become a
    // key, so a temporary's reused address can never name another statement.
    static_assert(!std::is_convertible_v<std::string, sqlite::Sql>);
    static_assert(!std::is_convertible_v<std::string_view, sqlite::Sql>);
    constexpr sqlite::Sql a = k_first_count;
    constexpr sqlite::Sql b = k_second_count;
    static_assert(a == b && a.hash() == b.hash());
    CHECK(a.text() == std::string_view(k_second_count));
    constexpr sqlite::Sql c = "SELECT 2";
    static_assert(!(a == c));
}
