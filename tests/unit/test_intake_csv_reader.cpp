#include "sileram/errors.hpp"
#include "sileram/intake/csv_reader.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using sileram::intake::CsvReader;
using sileram::intake::Record;

namespace {

std::vector<std::vector<std::string>> read_all(const std::string& text,
                                               std::vector<std::string>* header = nullptr) {
    std::istringstream in(text);
    CsvReader reader(in);
    if (header != nullptr) {
        *header = reader.columns();
    }
    std::vector<std::vector<std::string>> rows;
    Record record;
    while (reader.next(record)) {
        REQUIRE_MESSAGE(record.error.empty(), record.error);
        rows.push_back(record.values);
    }
    return rows;
}

} // namespace

TEST_CASE("csv-spectrum: every file reads as its JSON says") {
    const std::filesystem::path data = SILERAM_TEST_DATA;
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(data / "csv-spectrum" / "csvs")) {
        const std::string name = entry.path().stem().string();
        CAPTURE(name);
        std::ifstream csv(entry.path(), std::ios::binary);
        std::ifstream json_file(data / "csv-spectrum" / "json" / (name + ".json"));
        const auto expected = nlohmann::json::parse(json_file);
        CsvReader reader(csv);
        Record record;
        std::size_t index = 0;
        while (reader.next(record)) {
            REQUIRE(record.error.empty());
            REQUIRE(index < expected.size());
            const auto& want = expected[index++];
            for (std::size_t c = 0; c < reader.columns().size(); ++c) {
                CHECK(record.values[c] == want.at(reader.columns()[c]).get<std::string>());
            }
        }
        CHECK(index == expected.size());
        ++files;
    }
    CHECK(files == 11);
}

TEST_CASE("the delimiter is found in the header") {
    CHECK(sileram::intake::detect_delimiter("title;description;submitted_by") == ';');
    CHECK(sileram::intake::detect_delimiter("title,description") == ',');
    CHECK(sileram::intake::detect_delimiter("\"a;b\",c") == ',');
    std::vector<std::string> header;
    const auto rows = read_all("title;by\n\"Factuur; onduidelijk\";a@b.nl\n", &header);
    CHECK(header == std::vector<std::string>{"title", "by"});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == "Factuur; onduidelijk");
}

TEST_CASE("a byte order mark, CRLF, doubled quotes and line breaks in fields") {
    std::vector<std::string> header;
    const auto rows =
        read_all("\xEF\xBB\xBFtitle,description\r\n\"Zegt \"\"nee\"\"\",\"regel 1\r\nregel 2\"\r\n",
                 &header);
    CHECK(header[0] == "title");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == "Zegt \"nee\"");
    CHECK(rows[0][1] == "regel 1\r\nregel 2");
}

TEST_CASE("rows are numbered as a spreadsheet counts them, blank lines included") {
    std::istringstream in("a,b\n1,2\n\n\"x\ny\",3\n4,5");
    CsvReader reader(in);
    Record record;
    std::vector<std::int64_t> numbers;
    while (reader.next(record)) {
        numbers.push_back(record.row);
    }
    CHECK(numbers == std::vector<std::int64_t>{2, 4, 5});
}

TEST_CASE("a row with the wrong number of fields or an open quote is an error, reading goes on") {
    std::istringstream in("a,b\n1,2,3\n4\n5,6\n\"7,8\n");
    CsvReader reader(in);
    Record record;
    REQUIRE(reader.next(record));
    CHECK(record.error == "the row has 3 fields; the header has 2 columns");
    REQUIRE(reader.next(record));
    CHECK(record.error == "the row has 1 fields; the header has 2 columns");
    REQUIRE(reader.next(record));
    CHECK(record.error.empty());
    CHECK(record.values == std::vector<std::string>{"5", "6"});
    REQUIRE(reader.next(record));
    CHECK(record.error.find("never closes") != std::string::npos);
    CHECK_FALSE(reader.next(record));
}

TEST_CASE("an empty input has no header") {
    std::istringstream in("");
    CHECK_THROWS_AS(CsvReader{in}, sileram::InvalidInput);
}

TEST_CASE("fields longer than a read block stream through") {
    const std::string long_text(std::size_t{600} * 1024, 'x');
    const auto rows = read_all("a,b\n\"" + long_text + "\"," + long_text + "\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0].size() == long_text.size());
    CHECK(rows[0][1].size() == long_text.size());
}

TEST_CASE("a field, a row and the fields of a row stop at their caps") {
    using sileram::intake::k_max_columns;
    using sileram::intake::k_max_field_bytes;
    using sileram::intake::k_max_record_bytes;
    const std::string at_cap(k_max_field_bytes, 'x');
    SUBCASE("a quoted and an unquoted field of exactly the cap are read") {
        const auto rows = read_all("title,description\n\"" + at_cap + "\"," + at_cap + "\n");
        REQUIRE(rows.size() == 1);
        CHECK(rows[0][0].size() == k_max_field_bytes);
        CHECK(rows[0][1].size() == k_max_field_bytes);
    }
    SUBCASE("one byte over, quoted or not, stops with the row and the column") {
        for (const std::string& field : {"\"" + at_cap + "x\"", at_cap + "x"}) {
            std::istringstream in("title,description\nok,fine\nok," + field + "\n");
            CsvReader reader(in);
            Record record;
            REQUIRE(reader.next(record));
            CHECK_THROWS_WITH_AS(reader.next(record),
                                 doctest::Contains("row 3, column description: a field is longer "
                                                   "than 1048576 bytes"),
                                 sileram::InvalidInput);
        }
    }
    SUBCASE("a quote that never closes stops at the cap, not at the end of the input") {
        std::string text = "title,description\n\"never closed,";
        text += std::string(3 * k_max_field_bytes, 'y');
        std::istringstream in(text);
        CsvReader reader(in);
        Record record;
        CHECK_THROWS_WITH_AS(reader.next(record), doctest::Contains("row 2, column title"),
                             sileram::InvalidInput);
        // Stopped after about one field's cap plus one block, not after all of the input.
        CHECK(static_cast<std::size_t>(in.tellg()) < 2 * k_max_field_bytes);
    }
    SUBCASE("a row of exactly the record cap is read, one byte more stops") {
        const std::size_t fields = k_max_record_bytes / k_max_field_bytes;
        std::string header;
        std::string row;
        for (std::size_t i = 0; i < fields; ++i) {
            header += (i == 0 ? "c" : ",c") + std::to_string(i);
            row += (i == 0 ? "" : ",") + at_cap;
        }
        CHECK(read_all(header + "\n" + row + "\n").size() == 1);
        std::istringstream in(header + ",last\n" + row + ",z\n");
        CsvReader reader(in);
        Record record;
        CHECK_THROWS_WITH_AS(reader.next(record),
                             doctest::Contains("row 2, column last: the row is longer than"),
                             sileram::InvalidInput);
    }
    SUBCASE("a row of the most fields is read, one more stops") {
        std::string header = "title";
        for (std::size_t i = 1; i < k_max_columns; ++i) {
            header += ",c" + std::to_string(i);
        }
        std::istringstream in(header + "\n" + std::string(k_max_columns - 1, ',') + "\n" +
                              std::string(k_max_columns, ',') + "\n");
        CsvReader reader(in);
        CHECK(reader.columns().size() == k_max_columns);
        Record record;
        REQUIRE(reader.next(record));
        CHECK(record.error.empty());
        CHECK_THROWS_WITH_AS(reader.next(record),
                             doctest::Contains("row 3: the row has more than 1000 fields"),
                             sileram::InvalidInput);
        std::istringstream wide(header + ",one too many\n");
        CHECK_THROWS_AS(CsvReader{wide}, sileram::InvalidInput);
    }
}

TEST_CASE("the apostrophe CSV output puts before a formula is taken off") {
    const auto rows = read_all("title,note\r\n'=1+2,'+x\r\n''=y,'plain\r\n-5,'\r\n");
    CHECK(rows ==
          std::vector<std::vector<std::string>>{{"=1+2", "+x"}, {"'=y", "'plain"}, {"-5", "'"}});
}
