#include "connection.hpp"
#include "sql.hpp"

#include <doctest/doctest.h>
#include <string>
#include <string_view>
#include <type_traits>

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
