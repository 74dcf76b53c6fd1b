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
