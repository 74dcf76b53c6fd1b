#include "sileram/domain/time.hpp"

#include <chrono>
#include <doctest/doctest.h>
#include <string>

using namespace sileram::domain;
using namespace std::chrono;

namespace {

// The moment from its parts, built without the parser under test.
Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

Date on(int y, unsigned mo, unsigned d) {
    return sys_days{year{y} / month{mo} / day{d}};
}

} // namespace

TEST_CASE("parse_timestamp reads a date as midnight UTC") {
    CHECK(parse_timestamp("2026-12-01") == utc(2026, 12, 1));
    CHECK(parse_timestamp("1970-01-01") == Timestamp{});
    CHECK(parse_timestamp("2000-02-29") == utc(2000, 2, 29));
}

TEST_CASE("parse_timestamp reads times with Z, without an offset and with minutes only") {
    CHECK(parse_timestamp("2026-12-01T10:00:00Z") == utc(2026, 12, 1, 10));
    CHECK(parse_timestamp("2026-12-01T10:00Z") == utc(2026, 12, 1, 10));
    CHECK(parse_timestamp("2026-12-01T10:20:30") == utc(2026, 12, 1, 10, 20, 30));
    CHECK(parse_timestamp("2026-12-01T23:59:59Z") == utc(2026, 12, 1, 23, 59, 59));
    CHECK(parse_timestamp("2026-12-01T00:00:00Z") == utc(2026, 12, 1));
}

TEST_CASE("parse_timestamp accepts lower-case t and z and a space separator") {
    CHECK(parse_timestamp("2026-12-01t10:00:00z") == utc(2026, 12, 1, 10));
    CHECK(parse_timestamp("2026-12-01 10:00:00") == utc(2026, 12, 1, 10));
    CHECK(parse_timestamp("2026-12-01 10:00:00Z") == utc(2026, 12, 1, 10));
}

TEST_CASE("parse_timestamp converts offsets to UTC") {
    CHECK(parse_timestamp("2026-12-01T10:00:00+01:00") == utc(2026, 12, 1, 9));
    CHECK(parse_timestamp("2026-12-01 10:00:00+01:00") == utc(2026, 12, 1, 9));
    CHECK(parse_timestamp("2026-12-01T10:00:00-05:30") == utc(2026, 12, 1, 15, 30));
    CHECK(parse_timestamp("2026-12-01T10:00:00+0200") == utc(2026, 12, 1, 8));
    CHECK(parse_timestamp("2026-12-01T10:00+00:00") == utc(2026, 12, 1, 10));
    CHECK(parse_timestamp("2026-12-01T10:00:00-00:00") == utc(2026, 12, 1, 10));
    // Across midnight and the year boundary.
    CHECK(parse_timestamp("2026-01-01T00:30:00+01:00") == utc(2025, 12, 31, 23, 30));
    CHECK(parse_timestamp("2026-12-31T23:30:00-01:00") == utc(2027, 1, 1, 0, 30));
    CHECK(parse_timestamp("2026-06-15T12:00:00+14:00") == utc(2026, 6, 14, 22));
}

TEST_CASE("parse_timestamp ignores fractions of a second") {
    CHECK(parse_timestamp("2026-12-01T10:00:00.123Z") == utc(2026, 12, 1, 10));
    CHECK(parse_timestamp("2026-12-01T10:00:59.999999Z") == utc(2026, 12, 1, 10, 0, 59));
    CHECK(parse_timestamp("2026-12-01T10:00:00,5") == utc(2026, 12, 1, 10));
    CHECK(parse_timestamp("2026-12-01T10:00:00.5+01:00") == utc(2026, 12, 1, 9));
}

TEST_CASE("parse_timestamp refuses impossible dates and times") {
    const std::string_view invalid[] = {
        "2026-02-30",
        "2026-02-29",
        "2025-02-29",
        "2100-02-29",
        "2026-13-01",
        "2026-00-10",
        "2026-04-31",
        "2026-12-00",
        "2026-12-32",
        "2026-12-01T24:00:00Z",
        "2026-12-01T24:00",
        "2026-12-01T23:60:00Z",
        "2026-12-01T23:59:60Z",
        "2026-12-01T10:00:00+24:00",
        "2026-12-01T10:00:00+01:60",
    };
    for (std::string_view text : invalid) {
        CAPTURE(text);
        CHECK_FALSE(parse_timestamp(text).has_value());
    }
    CHECK(parse_timestamp("2024-02-29") == utc(2024, 2, 29));
    CHECK(parse_timestamp("2000-02-29").has_value());
}

TEST_CASE("parse_timestamp refuses junk") {
    const std::string_view invalid[] = {
        "",
        "tomorrow",
        "2026",
        "2026-12",
        "2026-1-01",
        "2026-12-1",
        "26-12-01",
        "2026/12/01",
        "20261201",
        "2026-12-01x",
        "2026-12-01T",
        "2026-12-01T10",
        "2026-12-01T10:",
        "2026-12-01T1:00",
        "2026-12-01T10:00:0",
        "2026-12-01T10:00:00.",
        "2026-12-01T10:00:00Zjunk",
        "2026-12-01T10:00:00ZZ",
        "2026-12-01T10:00:00 ",
        " 2026-12-01",
        "2026-12-01T10:00:00+01",
        "2026-12-01T10:00:00+1:00",
        "2026-12-01T10:00:00+01:00:00",
        "2026-12-01T10:00:00UTC",
        "2026-12-01_10:00:00",
        "2026-12-01T10:00:00Z+01:00",
    };
    for (std::string_view text : invalid) {
        CAPTURE(text);
        CHECK_FALSE(parse_timestamp(text).has_value());
    }
}

TEST_CASE("parse_date reads a day and cuts a timestamp to its UTC day") {
    CHECK(parse_date("2026-12-01") == on(2026, 12, 1));
    CHECK(parse_date("2024-02-29") == on(2024, 2, 29));
    CHECK(parse_date("2026-12-01T23:59:59Z") == on(2026, 12, 1));
    CHECK(parse_date("2026-12-01T23:30:00-02:00") == on(2026, 12, 2));
    CHECK(parse_date("2026-12-01T00:30:00+01:00") == on(2026, 11, 30));
    CHECK_FALSE(parse_date("2026-02-30").has_value());
    CHECK_FALSE(parse_date("2025-02-29").has_value());
    CHECK_FALSE(parse_date("2026-13-01").has_value());
    CHECK_FALSE(parse_date("").has_value());
    CHECK_FALSE(parse_date("next week").has_value());
}

TEST_CASE("format_timestamp and format_date") {
    CHECK(format_timestamp(utc(2026, 12, 1, 10)) == "2026-12-01T10:00:00Z");
    CHECK(format_timestamp(utc(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z");
    CHECK(format_timestamp(Timestamp{}) == "1970-01-01T00:00:00Z");
    CHECK(format_date(on(2026, 12, 1)) == "2026-12-01");
    CHECK(format_date(on(2024, 2, 29)) == "2024-02-29");
    CHECK(format_date(on(999, 1, 1)) == "0999-01-01");
}

TEST_CASE("format and parse round-trip") {
    const Timestamp moments[] = {
        utc(2026, 12, 1, 10),
        utc(2024, 2, 29, 23, 59, 59),
        utc(1999, 12, 31, 0, 0, 1),
        utc(2038, 1, 19, 3, 14, 8),
        Timestamp{},
    };
    for (const Timestamp& moment : moments) {
        const std::string text = format_timestamp(moment);
        CAPTURE(text);
        CHECK(parse_timestamp(text) == moment);
        CHECK(format_timestamp(*parse_timestamp(text)) == text);
    }
    for (const Date d : {on(2026, 12, 1), on(2024, 2, 29), on(2000, 1, 1)}) {
        const std::string text = format_date(d);
        CAPTURE(text);
        CHECK(parse_date(text) == d);
    }
    CHECK(format_timestamp(*parse_timestamp("2026-12-01 10:00:00+01:00")) ==
          "2026-12-01T09:00:00Z");
}

TEST_CASE("days_between counts whole days") {
    CHECK(days_between(utc(2026, 1, 1), utc(2026, 1, 1)) == 0);
    CHECK(days_between(utc(2026, 1, 1), utc(2026, 1, 2)) == 1);
    CHECK(days_between(utc(2026, 1, 1), utc(2026, 3, 1)) == 59);
    CHECK(days_between(utc(2024, 1, 1), utc(2024, 3, 1)) == 60);
    CHECK(days_between(utc(2026, 1, 1), utc(2027, 1, 1)) == 365);
    CHECK(days_between(utc(2026, 3, 10), utc(2026, 3, 1)) == -9);
    CHECK(days_between(utc(2026, 1, 1, 12), utc(2026, 1, 2, 11)) == 0);
    CHECK(days_between(utc(2026, 1, 1, 12), utc(2026, 1, 2, 12)) == 1);
    CHECK(days_between(utc(2026, 1, 1, 12), utc(2026, 1, 3, 11, 59, 59)) == 1);
}

TEST_CASE("parse_days_ago takes today, yesterday and days or weeks ago") {
    CHECK(parse_days_ago("today") == 0);
    CHECK(parse_days_ago("yesterday") == 1);
    CHECK(parse_days_ago("7d") == 7);
    CHECK(parse_days_ago("0d") == 0);
    CHECK(parse_days_ago("2w") == 14);
    CHECK(parse_days_ago("36500d") == k_most_days_ago);
    CHECK_FALSE(parse_days_ago("36501d"));
    CHECK_FALSE(parse_days_ago("99999999999999999999w"));
    for (const char* bad : {"", "d", "w", "7", "-7d", "7 d", "7D", "Today", "7m", "1y", "x7d"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_days_ago(bad));
    }
}
