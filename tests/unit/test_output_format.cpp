#include "sileram/output/format.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

using namespace sileram::output;
using namespace test_support;

TEST_CASE("local_time shows the local time zone by name, in summer and winter") {
    {
        const TimeZone zone("Europe/Amsterdam");
        CHECK(local_time(at("2026-09-01T09:00:00Z")) == "2026-09-01 11:00 CEST");
        CHECK(local_time(at("2026-12-01T09:00:00Z")) == "2026-12-01 10:00 CET");
        // An hour apart in UTC across the change, the same local hour twice.
        CHECK(local_time(at("2026-10-25T00:30:00Z")) == "2026-10-25 02:30 CEST");
        CHECK(local_time(at("2026-10-25T01:30:00Z")) == "2026-10-25 02:30 CET");
        CHECK(local_date(at("2026-09-01T22:30:00Z")) == "2026-09-02");
    }
    {
        const TimeZone zone("UTC");
        CHECK(local_time(at("2026-09-01T09:00:00Z")) == "2026-09-01 09:00 UTC");
        CHECK(local_date(at("2026-09-01T22:30:00Z")) == "2026-09-01");
    }
}

TEST_CASE("alike_share is a whole percentage, rounded down") {
    CHECK(alike_share(1.0) == "100%");
    CHECK(alike_share(0.999) == "99%");
    CHECK(alike_share(0.333) == "33%");
    CHECK(alike_share(0.0) == "0%");
}
