#include "sileram/output/table.hpp"
#include "sileram/output/terminal.hpp"
#include "support.hpp"

#include <cmath>
#include <cstdlib>
#include <doctest/doctest.h>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utf8proc.h>
#include <vector>

using namespace sileram::output;

using namespace test_support;

namespace {

bool is_valid_utf8(std::string_view text) {
    while (!text.empty()) {
        utf8proc_int32_t code_point = 0;
        const utf8proc_ssize_t size =
            utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                             static_cast<utf8proc_ssize_t>(text.size()), &code_point);
        if (size <= 0) {
            return false;
        }
        text.remove_prefix(static_cast<std::size_t>(size));
    }
    return true;
}

std::string without_escapes(std::string text) {
    for (const std::string_view code : {"\x1b[1m", "\x1b[0m"}) {
        for (std::size_t pos = text.find(code); pos != std::string::npos; pos = text.find(code)) {
            text.erase(pos, code.size());
        }
    }
    return text;
}

std::string spaces(std::size_t count) {
    return std::string(count, ' ');
}

// Sets or unsets an environment variable for one scope, restoring it afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) {
            m_old = old;
        }
        if (value != nullptr) {
            ::setenv(name, value, 1);
        } else {
            ::unsetenv(name);
        }
    }
    ~ScopedEnv() {
        if (m_old) {
            ::setenv(m_name, m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

} // namespace

TEST_CASE("display_width counts terminal columns") {
    CHECK(display_width("") == 0);
    CHECK(display_width("abc") == 3);
    CHECK(display_width("Café") == 4);
    CHECK(display_width("€") == 1);
    CHECK(display_width("naïve") == 5);
    CHECK(display_width("日本語") == 6);
    CHECK(display_width("a日b") == 4);
    // "e" followed by U+0301 COMBINING ACUTE ACCENT.
    CHECK(display_width("e\xcc\x81") == 1);
    CHECK(display_width("Cafe\xcc\x81s") == 5);
    CHECK(display_width("a\tb\x7f") == 2);
    CHECK(display_width("\xff") == 1);
    CHECK(display_width("\xc3(") == 2);
    CHECK(display_width("\xe2\x82") == 2);
    CHECK(display_width("\x1b[1mbold\x1b[0m") == 4);
    CHECK(display_width("\x1b[38;5;196mred\x1b[0m") == 3);
}

TEST_CASE("truncate_to_width cuts with an ellipsis") {
    CHECK(truncate_to_width("hello", 10) == "hello");
    CHECK(truncate_to_width("hello", 5) == "hello");
    CHECK(truncate_to_width("hello", 4) == "hel…");
    CHECK(truncate_to_width("hello", 1) == "…");
    CHECK(truncate_to_width("hello", 0) == "");
    CHECK(truncate_to_width("", 0) == "");
    CHECK(truncate_to_width("Café au lait", 5) == "Café…");
    CHECK(truncate_to_width("Café au lait", 4) == "Caf…");
    CHECK(truncate_to_width("€€€€", 3) == "€€…");
    CHECK(truncate_to_width("日本語", 6) == "日本語");
    CHECK(truncate_to_width("日本語", 5) == "日本…");
    CHECK(truncate_to_width("日本語", 4) == "日…");
    CHECK(truncate_to_width("日本語", 2) == "…");
    // Combining marks stay with their base character, or go with it.
    CHECK(truncate_to_width("e\xcc\x81"
                            "e\xcc\x81"
                            "e\xcc\x81",
                            2) == "e\xcc\x81…");
    CHECK(truncate_to_width("\x1b[1mbold text\x1b[0m", 5) == "\x1b[1mbold…\x1b[0m");
}

TEST_CASE("truncate_to_width never exceeds the width nor splits a code point") {
    const std::vector<std::string> samples = {"plain ascii text",
                                              "Café crème brûlée",
                                              "日本語のテキスト",
                                              "mixed 日本 and €uro",
                                              "e\xcc\x81t\xc3\xa9 combining",
                                              "\x1b[1mstyled 日本\x1b[0m"};
    for (const std::string& sample : samples) {
        const std::size_t full = display_width(sample);
        for (std::size_t width = 0; width <= full + 1; ++width) {
            const std::string cut = truncate_to_width(sample, width);
            CAPTURE(sample);
            CAPTURE(width);
            CHECK(display_width(cut) <= width);
            CHECK(is_valid_utf8(cut));
            if (width >= full) {
                CHECK(cut == sample);
            } else if (width > 0) {
                CHECK(cut.find("…") != std::string::npos);
            }
        }
    }
}

TEST_CASE("pad_to_width pads by display width") {
    CHECK(pad_to_width("Café", 6, Align::left) == "Café  ");
    CHECK(pad_to_width("Café", 6, Align::right) == "  Café");
    CHECK(pad_to_width("日本", 5, Align::right) == " 日本");
    CHECK(pad_to_width("日本", 5, Align::left) == "日本 ");
    CHECK(pad_to_width("toolong", 3, Align::left) == "toolong");
    CHECK(pad_to_width("", 2, Align::left) == "  ");
}

TEST_CASE("group_thousands groups the integer digits") {
    CHECK(group_thousands("") == "");
    CHECK(group_thousands("0") == "0");
    CHECK(group_thousands("123") == "123");
    CHECK(group_thousands("1234") == "1,234");
    CHECK(group_thousands("123456") == "123,456");
    CHECK(group_thousands("1234567.5") == "1,234,567.5");
    CHECK(group_thousands("1234.5678") == "1,234.5678");
    CHECK(group_thousands("-1234") == "-1,234");
    CHECK(group_thousands("-123") == "-123");
    CHECK(group_thousands("+1000000") == "+1,000,000");
    CHECK(group_thousands("-") == "-");
    CHECK(group_thousands("1234567", '\'') == "1'234'567");
}

TEST_CASE("bar draws blocks in exactly the given width") {
    CHECK(bar(0.0, 4) == "    ");
    CHECK(bar(1.0, 4) == "████");
    CHECK(bar(0.5, 4) == "██  ");
    CHECK(bar(0.5, 3) == "█▌ ");
    CHECK(bar(0.1, 5) == "▌    ");
    CHECK(bar(1.0 / 16.0, 2) == "▏ ");
    CHECK(bar(7.0 / 16.0, 2) == "▉ ");
    CHECK(bar(2.0, 3) == "███");
    CHECK(bar(-1.0, 3) == "   ");
    CHECK(bar(std::nan(""), 2) == "  ");
    CHECK(bar(0.7, 0) == "");
    for (std::size_t width : {1U, 3U, 10U, 37U}) {
        for (int step = -2; step <= 102; ++step) {
            CAPTURE(width);
            CAPTURE(step);
            CHECK(display_width(bar(step / 100.0, width)) == width);
        }
    }
}

TEST_CASE("columns align by display width with non-ASCII text") {
    Table table({{"Name"}, {"Count", Align::right}});
    table.add_row({"Café", "3"});
    table.add_row({"Cafe", "12"});
    table.add_row({"Crème brûlée", "1,234"});
    table.add_row({"日本", "7"});
    CHECK(table.row_count() == 4);

    const std::string expected = "Name          Count\n"
                                 "Café              3\n"
                                 "Cafe             12\n"
                                 "Crème brûlée  1,234\n"
                                 "日本              7\n";
    CHECK(table.render(80, Color::off) == expected);
    for (const std::string& line : lines_of(table.render(80, Color::off))) {
        CHECK(display_width(line) == 19);
    }
}

TEST_CASE("only shrinkable columns shrink, and numbers are never cut") {
    Table table({{"ID", Align::right}, {"Title", Align::left, true}, {"Amount", Align::right}});
    table.add_row({"1", "A very long title that goes on", "1,234,567"});
    table.add_row({"22", "Short", "5"});

    SUBCASE("wide enough: nothing is cut") {
        const std::string expected = "ID  Title" + spaces(30) + "Amount\n" +
                                     " 1  A very long title that goes on  1,234,567\n" +
                                     "22  Short" + spaces(35) + "5\n";
        CHECK(table.render(45, Color::off) == expected);
    }
    SUBCASE("the shrinkable column gives up exactly the excess") {
        const std::string expected = "ID  Title" + spaces(15) + "Amount\n" +
                                     " 1  A very long ti…  1,234,567\n" + "22  Short" + spaces(20) +
                                     "5\n";
        CHECK(table.render(30, Color::off) == expected);
    }
    SUBCASE("too narrow: header cut only after the floor of 3, numbers kept whole") {
        const std::string expected = "ID  Ti…     Amount\n"
                                     " 1  A …  1,234,567\n"
                                     "22  Sh…          5\n";
        CHECK(table.render(10, Color::off) == expected);
    }
    SUBCASE("the header is kept whole while that suffices") {
        const std::string expected = "ID  Title     Amount\n"
                                     " 1  A ve…  1,234,567\n"
                                     "22  Short          5\n";
        CHECK(table.render(20, Color::off) == expected);
    }
}

TEST_CASE("min_width bounds shrinking") {
    Table table({{"Title", Align::left, true, 8}, {"N", Align::right}});
    table.add_row({"A very long title", "1234567"});
    const std::string expected = "Title           N\n"
                                 "A very …  1234567\n";
    CHECK(table.render(5, Color::off) == expected);
}

TEST_CASE("non-shrinkable tables are printed whole when too wide") {
    Table table({{"Key"}, {"Value", Align::right}});
    table.add_row({"a long key", "123456789"});
    const std::string expected = "Key             Value\n"
                                 "a long key  123456789\n";
    CHECK(table.render(5, Color::off) == expected);
}

TEST_CASE("the widest shrinkable column shrinks first") {
    Table table({{"Left", Align::left, true}, {"Right", Align::left, true}});
    table.add_row({std::string(20, 'a'), std::string(8, 'b')});

    CHECK(table.render(24, Color::off) == "Left            Right\n"
                                          "aaaaaaaaaaaaa…  bbbbbbbb\n");
    CHECK(table.render(16, Color::off) == "Left     Right\n"
                                          "aaaaaa…  bbbbbb…\n");
}

TEST_CASE("lines carry no trailing spaces") {
    Table table({{"Name"}, {"Note"}});
    table.add_row({"alpha", "x"});
    table.add_row({"b", ""});
    table.add_row({"", "trailing  "});
    table.add_row({});

    const std::string rendered = table.render(80, Color::off);
    CHECK(rendered == "Name   Note\n"
                      "alpha  x\n"
                      "b\n"
                      "       trailing\n"
                      "\n");
    CHECK(rendered.find(" \n") == std::string::npos);
}

TEST_CASE("a bold header does not disturb alignment") {
    Table table({{"Name"}, {"Count", Align::right}});
    table.add_row({"Café", "3"});
    table.add_row({"Crème brûlée", "1,234"});

    const std::string plain = table.render(80, Color::off);
    const std::string colored = table.render(80, Color::on);
    CHECK(colored == "\x1b[1mName          Count\x1b[0m\n"
                     "Café              3\n"
                     "Crème brûlée  1,234\n");
    CHECK(without_escapes(colored) == plain);
    for (const std::string& line : lines_of(colored)) {
        CHECK(display_width(line) == 19);
    }
}

TEST_CASE("a cell shows its first line only") {
    Table table({{"Subject"}, {"N", Align::right}});
    table.add_row({"first line\nsecond line", "1"});
    table.add_row({"windows\r\nstyle", "2"});
    table.add_row({"tab\there", "3"});
    CHECK(table.render(80, Color::off) == "Subject      N\n"
                                          "first line…  1\n"
                                          "windows…     2\n"
                                          "tab here     3\n");
}

TEST_CASE("a wrap column breaks a long cell over several lines") {
    Table table({{"ID", Align::right},
                 {"Detail", Align::left, true, 0, Overflow::wrap},
                 {"N", Align::right}});
    table.add_row({"1", "12000 contacts × impact 4 = score 48000 (high)", "48000"});
    table.add_row({"22", "ok", "5"});

    // The right-aligned cells sit on the first line only; continuation lines leave them blank
    // and end after the wrapped text, with no trailing spaces.
    const std::string rendered = table.render(30, Color::off);
    const std::string expected = "ID  Detail" + spaces(19) + "N\n" + " 1  12000 contacts ×" +
                                 spaces(5) + "48000\n" + "    impact 4 = score\n" +
                                 "    48000 (high)\n" + "22  ok" + spaces(23) + "5\n";
    CHECK(rendered == expected);
    CHECK(rendered.find(" \n") == std::string::npos);
    for (const std::string& line : lines_of(rendered)) {
        CHECK(display_width(line) <= 30);
    }
}

TEST_CASE("a wrap column never cuts a number that fits on a line of its own") {
    Table table({{"Detail", Align::left, true, 0, Overflow::wrap}});
    table.add_row({"score 48000 (high)"});
    const std::string rendered = table.render(8, Color::off);
    CHECK(rendered == "Detail\n"
                      "score\n"
                      "48000\n"
                      "(high)\n");
    CHECK(rendered.find("…") == std::string::npos);
    // The same cell in a truncate column loses part of the number.
    Table cut({{"Detail", Align::left, true}});
    cut.add_row({"score 48000 (high)"});
    CHECK(cut.render(8, Color::off) == "Detail\n"
                                       "score 4…\n");
}

TEST_CASE("a wrap column cuts a word longer than the column with an ellipsis") {
    Table table({{"Note", Align::left, true, 0, Overflow::wrap}, {"N", Align::right}});
    table.add_row({"see https://example.org/long now", "7"});
    CHECK(table.render(13, Color::off) ==
          "Note" + spaces(8) + "N\n" + "see" + spaces(9) + "7\n" + "https://e…\n" + "now\n");
}

TEST_CASE("a wrap cell starts a new line at each embedded line break") {
    Table table({{"Subject", Align::left, false, 0, Overflow::wrap}, {"N", Align::right}});
    table.add_row({"first line\nsecond line", "1"});
    table.add_row({"windows\r\nstyle", "2"});
    table.add_row({"tab\there", "3"});
    table.add_row({"old mac\rline", "4"});
    table.add_row({"gap\n\nafter", "5"});
    CHECK(table.render(80, Color::off) == "Subject      N\n"
                                          "first line   1\n"
                                          "second line\n"
                                          "windows      2\n"
                                          "style\n"
                                          "tab here     3\n"
                                          "old mac      4\n"
                                          "line\n"
                                          "gap          5\n"
                                          "\n"
                                          "after\n");
}

TEST_CASE("embedded line breaks in a shrunk wrap cell are wrapped line by line") {
    Table table({{"Note", Align::left, true, 0, Overflow::wrap}});
    table.add_row({"one two three\nfour"});
    CHECK(table.render(8, Color::off) == "Note\n"
                                         "one two\n"
                                         "three\n"
                                         "four\n");
}

TEST_CASE("a wrapped cell counts display width of non-ASCII text") {
    Table table({{"Item", Align::left, true, 0, Overflow::wrap}, {"Price", Align::right}});
    table.add_row({"Crème brûlée à 4,50 € le café", "4,50 €"});
    const std::string rendered = table.render(20, Color::off);
    CHECK(rendered ==
          "Item" + spaces(11) + "Price\n" + "Crème brûlée  4,50 €\n" + "à 4,50 € le\n" + "café\n");
    for (const std::string& line : lines_of(rendered)) {
        CHECK(display_width(line) <= 20);
        CHECK(is_valid_utf8(line));
    }
}

TEST_CASE("a wrap column keeps its header on one line and fitting text verbatim") {
    Table table({{"Long header", Align::left, true, 0, Overflow::wrap}});
    table.add_row({"a b c d e f"});
    CHECK(table.render(5, Color::off) == "Long…\n"
                                         "a b c\n"
                                         "d e f\n");
    Table wide({{"Note", Align::left, true, 0, Overflow::wrap}, {"N", Align::right}});
    wide.add_row({"two  spaces", "1"});
    CHECK(wide.render(80, Color::off) == "Note         N\n"
                                         "two  spaces  1\n");
}

TEST_CASE("rows fill missing cells and reject extra ones") {
    Table table({{"A"}, {"B"}});
    table.add_row({"x"});
    CHECK_THROWS_AS(table.add_row({"1", "2", "3"}), std::invalid_argument);
    CHECK(table.row_count() == 1);
    CHECK(table.render(80, Color::off) == "A  B\nx\n");
    CHECK(Table({}).render(80, Color::on) == "");
}

TEST_CASE("detect_terminal outside a tty") {
    int fds[2] = {-1, -1};
    REQUIRE(::pipe(fds) == 0);
    const ScopedEnv no_color("NO_COLOR", nullptr);
    const ScopedEnv term("TERM", "xterm-256color");

    SUBCASE("COLUMNS wins") {
        const ScopedEnv columns("COLUMNS", "42");
        const TerminalInfo info = detect_terminal(fds[1]);
        CHECK_FALSE(info.is_tty);
        CHECK_FALSE(info.color);
        CHECK(info.width == 42);
    }
    SUBCASE("COLUMNS that is not a positive number is ignored") {
        for (const char* value : {"0", "-5", "80x", "wide", ""}) {
            const ScopedEnv columns("COLUMNS", value);
            CAPTURE(value);
            CHECK(detect_terminal(fds[1]).width == k_unlimited_width);
        }
    }
    SUBCASE("without COLUMNS a pipe is not cut") {
        const ScopedEnv columns("COLUMNS", nullptr);
        CHECK(detect_terminal(fds[1]).width == k_unlimited_width);
    }
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST_CASE("a table shows control characters in its cells as escapes") {
    Table table({{"title", Align::left, true, 5}, {"note", Align::left, true, 5, Overflow::wrap}});
    table.add_row({"clear \x1b[2J title \x1b]0;pwned\a", "red \u009b31m\r\nnext"});
    const std::string out = table.render(200, Color::off);
    CHECK(out.find_first_of("\x1b\a\r") == std::string::npos);
    CHECK(out.find("\u009b") == std::string::npos);
    CHECK(out.find("clear \\x1b[2J title \\x1b]0;pwned\\x07") != std::string::npos);
    CHECK(out.find("red \\u009b31m") != std::string::npos);
    CHECK(out.find("next") != std::string::npos);
}
