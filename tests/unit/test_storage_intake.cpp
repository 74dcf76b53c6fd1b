// The domain's search folding against the index itself: SQLite's tokenizer, code point by code
// point, so that a word the duplicate guard or `list --search` looks for is a word the index holds.
#include "sileram/domain/search.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <memory>
#include <optional>
#include <sqlite3.h>
#include <string>
#include <utf8proc.h>
#include <vector>

using namespace sileram::domain;

namespace {

// The tokenizer of signals_fts in the schema (storage/sqlite/migrations.cpp).
constexpr const char* k_index = "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 "
                                "remove_diacritics 2');"
                                "CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance');";

std::string utf8(char32_t code_point) {
    utf8proc_uint8_t bytes[4];
    const auto size = utf8proc_encode_char(static_cast<utf8proc_int32_t>(code_point), bytes);
    return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

// Every code point of the first two planes, where nearly all assigned letters are, and a sample
// of the planes above.
std::vector<char32_t> sample() {
    std::vector<char32_t> points;
    for (char32_t c = 0; c < 0x110000; c += c < 0x20000 ? 1 : 0x3F) {
        if (c < 0xD800 || c > 0xDFFF) {
            points.push_back(c);
        }
    }
    return points;
}

} // namespace

TEST_CASE("fold_for_search agrees with the index's tokenizer on every code point sampled") {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(":memory:", &raw) == SQLITE_OK);
    const std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
    REQUIRE(sqlite3_exec(db.get(), k_index, nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db.get(), "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK);
    const std::vector<char32_t> points = sample();
    sqlite3_stmt* insert = nullptr;
    REQUIRE(sqlite3_prepare_v2(db.get(), "INSERT INTO t (rowid, x) VALUES (?, ?)", -1, &insert,
                               nullptr) == SQLITE_OK);
    for (const char32_t c : points) {
        // Between two letters: a separator leaves two words, anything else one.
        const std::string text = "q" + utf8(c) + "q";
        sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(c));
        sqlite3_bind_text(insert, 2, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        REQUIRE(sqlite3_step(insert) == SQLITE_DONE);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    REQUIRE(sqlite3_exec(db.get(), "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);

    std::vector<std::vector<std::string>> words(0x110000);
    sqlite3_stmt* vocabulary = nullptr;
    REQUIRE(sqlite3_prepare_v2(db.get(), "SELECT doc, term FROM v ORDER BY doc, offset", -1,
                               &vocabulary, nullptr) == SQLITE_OK);
    while (sqlite3_step(vocabulary) == SQLITE_ROW) {
        words[static_cast<std::size_t>(sqlite3_column_int64(vocabulary, 0))].emplace_back(
            reinterpret_cast<const char*>(sqlite3_column_text(vocabulary, 1)));
    }
    sqlite3_finalize(vocabulary);

    std::size_t disagreements = 0;
    for (const char32_t c : points) {
        const std::optional<char32_t> folded = fold_for_search(c);
        const std::vector<std::string> expected =
            !folded ? std::vector<std::string>{"q", "q"}
                    : std::vector<std::string>{"q" + (*folded == 0 ? "" : utf8(*folded)) + "q"};
        if (words[c] != expected && ++disagreements <= 10) {
            FAIL_CHECK(fmt::format("U+{:04X}: the index makes {} of it", static_cast<unsigned>(c),
                                   fmt::join(words[c], " ")));
        }
    }
    CHECK(disagreements == 0);
}
