#include "sileram/commands/clock.hpp"
#include "support.hpp"

#include <doctest/doctest.h>

using sileram::commands::local_day_start;
using namespace test_support;

TEST_CASE("local_day_start is local midnight, days back, across a DST change") {
    {
        const TimeZone zone("Europe/Amsterdam");
        // 00:30 in Amsterdam (CEST) is still the day before in UTC.
        const auto now = at("2026-09-01T22:30:00Z");
        CHECK(local_day_start(now, 0) == at("2026-09-01T22:00:00Z"));
        CHECK(local_day_start(now, 1) == at("2026-08-31T22:00:00Z"));
        // Winter time began on 2026-10-25: the day before started at +02:00, that day at +02:00
        // too (the change is at 03:00), the day after at +01:00.
        const auto after = at("2026-10-26T12:00:00Z");
        CHECK(local_day_start(after, 0) == at("2026-10-25T23:00:00Z"));
        CHECK(local_day_start(after, 1) == at("2026-10-24T22:00:00Z"));
        CHECK(local_day_start(after, 7) == at("2026-10-18T22:00:00Z"));
    }
    {
        const TimeZone zone("UTC");
        const auto now = at("2026-09-01T22:30:00Z");
        CHECK(local_day_start(now, 0) == at("2026-09-01T00:00:00Z"));
        CHECK(local_day_start(now, 14) == at("2026-08-18T00:00:00Z"));
    }
}
