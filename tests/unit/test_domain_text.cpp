#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace sileram::domain;
using sileram::InvalidInput;

using namespace test_support;

namespace {

std::string repeat(std::string_view piece, std::size_t times) {
    std::string text;
    for (std::size_t i = 0; i < times; ++i) {
        text += piece;
    }
    return text;
}

} // namespace

TEST_CASE("is_valid_utf8 accepts well-formed text") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII"));
    CHECK(is_valid_utf8("é"));
    CHECK(is_valid_utf8("€ 10"));
    CHECK(is_valid_utf8("\xF0\x9F\x98\x80")); // U+1F600
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF")); // U+10FFFF, the last code point
    CHECK(is_valid_utf8("\xED\x9F\xBF"));     // U+D7FF, just below the surrogates
    CHECK(is_valid_utf8("\xEE\x80\x80"));     // U+E000, just above them
    CHECK(is_valid_utf8("naïve café"));
}

TEST_CASE("is_valid_utf8 refuses malformed text") {
    const std::string_view invalid[] = {
        "\xC0\x80",         // overlong NUL
        "\xC1\xBF",         // overlong '\x7F'
        "\xE0\x80\xAF",     // overlong '/'
        "\xF0\x80\x80\xAF", // overlong '/' in four bytes
        "\xC3",             // truncated é
        "caf\xC3",          // truncated at the end
        "\xE2\x82",         // truncated €
        "\xF0\x9F\x98",     // truncated emoji
        "\xED\xA0\x80",     // U+D800, a surrogate
        "\xED\xBF\xBF",     // U+DFFF, a surrogate
        "\xF4\x90\x80\x80", // beyond U+10FFFF
        "\x80",             // a lone continuation byte
        "a\xBF\x62",        // a continuation byte inside ASCII (\x62: b)
        "\xFF",             // never valid
        "\xFE",             // never valid
        "\xC3\x28",         // lead byte without its continuation
        "\xE2\x28\xA1",
    };
    for (std::string_view text : invalid) {
        CAPTURE(text.size());
        CHECK_FALSE(is_valid_utf8(text));
    }
}

TEST_CASE("code_point_count counts characters, not bytes") {
    CHECK(code_point_count("") == 0);
    CHECK(code_point_count("abc") == 3);
    CHECK(code_point_count("é") == 1);
    CHECK(code_point_count("€") == 1);
    CHECK(code_point_count("\xF0\x9F\x98\x80") == 1);
    CHECK(code_point_count(repeat("é", 300)) == 300);
}

TEST_CASE("utf8_prefix never ends inside a character") {
    CHECK(utf8_prefix("abc", 10) == "abc");
    CHECK(utf8_prefix("abc", 2) == "ab");
    // "é" is two bytes, "€" three: a cut inside either drops the whole character.
    CHECK(utf8_prefix("aé", 2) == "a");
    CHECK(utf8_prefix("aé", 3) == "aé");
    CHECK(utf8_prefix("a€", 3) == "a");
    CHECK(utf8_prefix("a€", 2) == "a");
    CHECK(utf8_prefix("€", 0).empty());
    CHECK(is_valid_utf8(utf8_prefix(std::string(1999, 'x') + "ßß", 2000)));
}

TEST_CASE("require_clean_text") {
    CHECK_NOTHROW(require_clean_text("one line", "the value", Lines::single));
    CHECK_NOTHROW(require_clean_text("two\nlines", "the value", Lines::multi));
    CHECK_NOTHROW(require_clean_text("crlf\r\nlines", "the value", Lines::multi));
    CHECK_THROWS_AS(require_clean_text("two\nlines", "the value", Lines::single), InvalidInput);
    CHECK_THROWS_AS(require_clean_text("cr\ronly", "the value", Lines::single), InvalidInput);
    CHECK_THROWS_AS(require_clean_text(std::string_view("a\0b", 3), "the value", Lines::multi),
                    InvalidInput);
    CHECK_THROWS_AS(require_clean_text("\xC3", "the value", Lines::multi), InvalidInput);
    CHECK(contains(
        message_of([] { require_clean_text(std::string_view("a\0b", 3), "--note", Lines::multi); }),
        "--note holds a NUL"));
    CHECK(contains(message_of([] { require_clean_text("\xFF", "--owner", Lines::single); }),
                   "--owner is not valid UTF-8"));
    CHECK(contains(message_of([] { require_clean_text("a\nb", "--owner", Lines::single); }),
                   "line break"));
}

TEST_CASE("require_title") {
    CHECK_NOTHROW(require_title("x"));
    CHECK_NOTHROW(require_title("The invoice is unclear"));
    CHECK_NOTHROW(require_title("  leading spaces are kept"));

    CHECK_THROWS_AS(require_title(""), InvalidInput);
    CHECK_THROWS_AS(require_title(" "), InvalidInput);
    CHECK_THROWS_AS(require_title(" \t  "), InvalidInput);
    CHECK(contains(message_of([] { require_title(""); }), "empty"));

    CHECK_NOTHROW(require_title(repeat("a", 300)));
    CHECK_THROWS_AS(require_title(repeat("a", 301)), InvalidInput);
    // Characters, not bytes: 300 × é is 600 bytes and still fits.
    CHECK_NOTHROW(require_title(repeat("é", 300)));
    CHECK_THROWS_AS(require_title(repeat("é", 301)), InvalidInput);
    CHECK_NOTHROW(require_title(repeat("€", 300)));
    CHECK(contains(message_of([] { require_title(repeat("é", 301)); }), "301 characters"));
    CHECK(contains(message_of([] { require_title(repeat("é", 301)); }), "300"));

    CHECK_THROWS_AS(require_title("two\nlines"), InvalidInput);
    CHECK_THROWS_AS(require_title("carriage\rreturn"), InvalidInput);
    CHECK_THROWS_AS(require_title("windows\r\nline"), InvalidInput);
    CHECK_THROWS_AS(require_title(std::string_view("nul\0inside", 10)), InvalidInput);
    CHECK_THROWS_AS(require_title("bad \xC3 byte"), InvalidInput);
}

TEST_CASE("require_description") {
    CHECK_NOTHROW(require_description(""));
    CHECK_NOTHROW(require_description("first line\nsecond line\r\nthird"));
    CHECK_NOTHROW(require_description(repeat("a", 20000)));
    CHECK_THROWS_AS(require_description(repeat("a", 20001)), InvalidInput);
    CHECK_NOTHROW(require_description(repeat("é", 20000)));
    CHECK_THROWS_AS(require_description(repeat("é", 20001)), InvalidInput);
    CHECK(contains(message_of([] { require_description(repeat("a", 20001)); }), "20001"));
    CHECK_THROWS_AS(require_description(std::string_view("a\0b", 3)), InvalidInput);
    CHECK_THROWS_AS(require_description("\xED\xA0\x80"), InvalidInput);
}

TEST_CASE("require_email accepts plain addresses") {
    const std::string_view valid[] = {
        "anna@example.org",
        "a@b.nl",
        "first.last+tag@sub.example.co.uk",
        "UPPER@EXAMPLE.ORG",
        "o'brien@example.ie",
        "x_y-z@mail-server.example",
    };
    for (std::string_view text : valid) {
        CAPTURE(text);
        CHECK_NOTHROW(require_email(text, "--by"));
    }
}

TEST_CASE("require_email refuses what is not a plain address") {
    const std::string_view invalid[] = {
        "",
        "not-an-email",
        "a@b",
        "a@@b.nl",
        "a@b@c.nl",
        "a b@c.nl",
        "a@b .nl",
        " a@b.nl",
        "a@b.nl ",
        "a@b.nl\r\nBcc: x@y.nl",
        "a@b.nl\nBcc: x@y.nl",
        "a\r@b.nl",
        "a\t@b.nl",
        "<a@b.nl>",
        "Anna <a@b.nl>",
        "a@b.nl,c@d.nl",
        "a@b.nl;c@d.nl",
        "\"a\"@b.nl",
        "@b.nl",
        "a@.b.nl",
        "a@b.nl.",
        "a@b..nl",
        "a@",
    };
    for (std::string_view text : invalid) {
        CAPTURE(text);
        CHECK_THROWS_AS(require_email(text, "--by"), InvalidInput);
    }
    CHECK_THROWS_AS(require_email(std::string_view("a\0@b.nl", 7), "--by"), InvalidInput);
    CHECK_THROWS_AS(require_email(repeat("a", 250) + "@b.nl", "--by"), InvalidInput);
    const std::string message = message_of([] { require_email("not-an-email", "--by"); });
    CHECK(contains(message, "--by"));
    CHECK(contains(message, "'not-an-email'"));
    CHECK(contains(message, "name@example.org"));
}

TEST_CASE("same_address ignores ASCII case only") {
    CHECK(same_address("anna@example.org", "anna@example.org"));
    CHECK(same_address("Anna@Example.ORG", "anna@example.org"));
    CHECK_FALSE(same_address("anna@example.org", "anna@example.com"));
    CHECK_FALSE(same_address("anna@example.org", "anna@example.org "));
    CHECK_FALSE(same_address("ann@example.org", "anna@example.org"));
    CHECK_FALSE(same_address("É@example.org", "é@example.org"));
    CHECK(same_address("", ""));
}

TEST_CASE("edit_distance") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("channel", "chanel") == 1);
    // A swap of two neighbours is one edit (Damerau).
    CHECK(edit_distance("triage", "traige") == 1);
    CHECK(edit_distance("lsit", "list") == 1);
    CHECK(edit_distance("ca", "abc") == 3);
    CHECK(edit_distance("flaw", "lawn") == 2);
    CHECK(edit_distance("ABC", "abc") == 0);
    CHECK(edit_distance("abc", "abd") == 1);
    CHECK(edit_distance("measure", "measure") == 0);
}

TEST_CASE("closest_name") {
    const std::vector<std::string> fields{"channel", "product", "process", "customer"};
    CHECK(closest_name("chanel", fields) == "channel");
    CHECK(closest_name("Channel", fields) == "channel");
    CHECK(closest_name("proces", fields) == "process");
    CHECK(closest_name("prodcut", fields) == "product");
    CHECK(closest_name("custmer", fields) == "customer");
    CHECK(closest_name("xyz", fields).empty());
    CHECK(closest_name("deadline", fields).empty());
    CHECK(closest_name("chanel", std::vector<std::string>{}).empty());
    const std::vector<std::string> commands{"init", "submit", "list", "show"};
    CHECK(closest_name("lsit", commands) == "list");

    constexpr std::string_view sections[] = {"database", "fields", "impact", "mail"};
    CHECK(closest_name("databse", sections) == "database");
    CHECK(closest_name("mial", sections) == "mail");
    CHECK(closest_name("impacts", sections) == "impact");
    CHECK(closest_name("smtp", sections).empty());
}

TEST_CASE("require_clean_text refuses control characters that could drive a terminal") {
    const auto message = [](std::string_view text, Lines lines) {
        try {
            require_clean_text(text, "the title", lines);
        } catch (const InvalidInput& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(message("clear \x1b[2J", Lines::single).find("the title") != std::string::npos);
    CHECK(message("clear \x1b[2J", Lines::single).find("\\x1b at character 7") !=
          std::string::npos);
    CHECK(message("bell \a", Lines::multi).find("\\x07") != std::string::npos);
    CHECK(message("del \x7f", Lines::multi).find("\\x7f") != std::string::npos);
    CHECK(message("c1 \u009b31m", Lines::multi).find("\\u009b at character 4") !=
          std::string::npos);
    CHECK(message("tab\there", Lines::single).find("\\x09") != std::string::npos);
    // Every message stays free of the character it names.
    CHECK(message("osc \x1b]0;x\a", Lines::single).find_first_of("\x1b\a") == std::string::npos);
    // Multi-line text keeps its line breaks and tabs; other text and non-controls pass.
    CHECK(message("line\r\n\tindented\n", Lines::multi).empty());
    CHECK(message("Zoë's café — € ✓ 日本語 \u00a0 \u202e", Lines::single).empty());
}

TEST_CASE("printable shows control characters as escapes and nothing else changes") {
    CHECK(printable("plain text, café", Lines::single) == "plain text, café");
    CHECK(printable("\x1b[2J\x1b]0;t\a", Lines::single) == "\\x1b[2J\\x1b]0;t\\x07");
    CHECK(printable("\u009b31m \x7f", Lines::multi) == "\\u009b31m \\x7f");
    CHECK(printable("a\r\nb\rc\n\td", Lines::multi) == "a\nb\nc\n\td");
    CHECK(printable("a\r\nb\td", Lines::single) == "a\\r\\nb\\td");
    CHECK(printable("bad \xff byte", Lines::single) == "bad \uFFFD byte");
    CHECK(printable(std::string_view("nul\0", 4), Lines::multi) == "nul\\x00");
}

TEST_CASE("quote_value escapes C1 controls too") {
    CHECK(quote_value("x\u009by") == "'x\\u009by'");
    CHECK(quote_value("x\x1b") == "'x\\x1b'");
}

TEST_CASE("the formula guard marks what a spreadsheet would compute") {
    for (const std::string_view text :
         {"=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "'=x", "''-x"}) {
        CAPTURE(text);
        CHECK(needs_formula_guard(text));
    }
    for (const std::string_view text : {"", "a=b", "'", "'x", "12", " =x"}) {
        CAPTURE(text);
        CHECK_FALSE(needs_formula_guard(text));
    }
    CHECK(without_formula_guard("'=x") == "=x");
    CHECK(without_formula_guard("''=x") == "'=x");
    CHECK(without_formula_guard("'''@x") == "''@x");
    CHECK(without_formula_guard("'x") == "'x");
    CHECK(without_formula_guard("'") == "'");
    CHECK(without_formula_guard("=x") == "=x");
}

TEST_CASE("grouped puts a comma between each three digits") {
    CHECK(grouped(0) == "0");
    CHECK(grouped(999) == "999");
    CHECK(grouped(3500) == "3,500");
    CHECK(grouped(1234567) == "1,234,567");
    CHECK(grouped(-1234) == "-1,234");
    CHECK(grouped(-123) == "-123");
}
