#include "sileram/errors.hpp"
#include "sileram/intake/jsonl_reader.hpp"

#include <doctest/doctest.h>
#include <sstream>

using sileram::intake::JsonLinesReader;
using sileram::intake::Record;

TEST_CASE("JSON lines: keys become columns, values text, broken lines errors") {
    std::istringstream in("\xEF\xBB\xBF{\"title\": \"Factuur\", \"external_id\": 17}\r\n"
                          "\n"
                          "{\"title\": \"Bezorging\", \"extra\": null, \"flag\": true}\n"
                          "{\"title\": \"kapot\"\n"
                          "[1, 2]\n"
                          "{\"title\": {\"nested\": 1}}\n"
                          "{\"title\": \"bad \xff byte\"}\n");
    JsonLinesReader reader(in);
    Record r;
    REQUIRE(reader.next(r));
    CHECK(r.row == 1);
    CHECK(r.error.empty());
    CHECK(reader.columns() == std::vector<std::string>{"title", "external_id"});
    CHECK(r.values == std::vector<std::string>{"Factuur", "17"});
    REQUIRE(reader.next(r));
    CHECK(r.row == 3);
    CHECK(reader.columns() == std::vector<std::string>{"title", "external_id", "extra", "flag"});
    CHECK(r.values == std::vector<std::string>{"Bezorging", "", "", "true"});
    REQUIRE(reader.next(r));
    CHECK(r.row == 4);
    CHECK(r.error.rfind("not valid JSON", 0) == 0);
    REQUIRE(reader.next(r));
    CHECK(r.error == "a line must hold one JSON object, not array");
    REQUIRE(reader.next(r));
    CHECK(r.error == "key title holds an object; give text");
    REQUIRE(reader.next(r));
    CHECK(r.row == 7);
    CHECK(r.error.rfind("not valid JSON", 0) == 0);
    CHECK_FALSE(reader.next(r));
}

TEST_CASE("JSON lines: a line, a value and the keys stop at their caps") {
    using sileram::intake::k_max_columns;
    using sileram::intake::k_max_field_bytes;
    using sileram::intake::k_max_record_bytes;
    SUBCASE("a value of exactly the cap is read, one byte more stops") {
        std::istringstream in("{\"title\": \"" + std::string(k_max_field_bytes, 'x') +
                              "\"}\n{\"title\": \"" + std::string(k_max_field_bytes + 1, 'x') +
                              "\"}\n");
        JsonLinesReader reader(in);
        Record r;
        REQUIRE(reader.next(r));
        CHECK(r.values[0].size() == k_max_field_bytes);
        CHECK_THROWS_WITH_AS(reader.next(r),
                             doctest::Contains("row 2, column 'title': a value is longer than"),
                             sileram::InvalidInput);
    }
    SUBCASE("a line of exactly the cap is read, one byte more stops before it is all read") {
        const std::string head = "{\"title\": \"t\"";
        const std::string line =
            head + std::string(k_max_record_bytes - head.size() - 1, ' ') + "}";
        REQUIRE(line.size() == k_max_record_bytes);
        std::istringstream in(line + "\n " + line + "\n" + std::string(16 << 20, ' '));
        JsonLinesReader reader(in);
        Record r;
        REQUIRE(reader.next(r));
        CHECK(r.values[0] == "t");
        CHECK_THROWS_WITH_AS(reader.next(r),
                             doctest::Contains("row 2: the line is longer than 4194304 bytes"),
                             sileram::InvalidInput);
        CHECK(static_cast<std::size_t>(in.tellg()) <= 2 * k_max_record_bytes + 2);
    }
    SUBCASE("the most keys are read, one more stops") {
        std::string first = "{";
        for (std::size_t i = 0; i < k_max_columns; ++i) {
            first += (i == 0 ? "\"k" : ", \"k") + std::to_string(i) + "\": \"v\"";
        }
        first += "}";
        std::istringstream in(first + "\n{\"k0\": \"a\", \"one more\": \"b\"}\n");
        JsonLinesReader reader(in);
        Record r;
        REQUIRE(reader.next(r));
        CHECK(reader.columns().size() == k_max_columns);
        CHECK_THROWS_WITH_AS(reader.next(r),
                             doctest::Contains("row 2, column 'one more': the lines hold more "
                                               "than 1000 different keys"),
                             sileram::InvalidInput);
    }
}
