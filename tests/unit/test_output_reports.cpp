#include "sileram/domain/time.hpp"
#include "sileram/output/report.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace sileram::output;
using sileram::domain::Decimal;

namespace {

sileram::domain::EffectLine effect_line(const char* measured_at, std::int64_t saved_per_year,
                                        std::optional<std::int64_t> expected_per_year) {
    sileram::domain::EffectLine l;
    l.measured_at = *sileram::domain::parse_timestamp(measured_at);
    l.effect.saved_per_year = Decimal::from_whole(saved_per_year);
    if (expected_per_year) {
        l.expected_per_year = Decimal::from_whole(*expected_per_year);
    }
    return l;
}

const Section& section(const ReportDocument& d, const std::string& name) {
    for (const Section& s : d.sections) {
        if (s.name == name) {
            return s;
        }
    }
    FAIL("no section " << name);
    return d.sections.front();
}

} // namespace

TEST_CASE("the effect report sums its listed signals' savings per month of measurement") {
    sileram::domain::EffectReport report;
    report.lines = {effect_line("2026-11-03T10:00:00Z", 1200, 2400),
                    effect_line("2026-10-31T23:30:00Z", 100, std::nullopt),
                    effect_line("2026-11-30T23:59:00Z", 1, 2400)};
    const ReportDocument d = effect_document(report, sileram::domain::ImpactSettings{});
    const Section& months = section(d, "months");
    REQUIRE(months.rows.size() == 2);
    // oldest month first; a month is UTC, as the measured column shows the date
    CHECK(months.rows[0][0].text == "2026-10");
    CHECK(months.rows[0][1].whole == 1);
    CHECK(months.rows[0][2].amount == Decimal::from_hundredths(833)); // 100 / 12, rounded
    CHECK(months.rows[0][3].kind == Cell::Kind::empty);               // nothing expected
    CHECK(months.rows[1][0].text == "2026-11");
    CHECK(months.rows[1][1].whole == 2);
    CHECK(months.rows[1][2].amount == Decimal::from_hundredths(10008)); // 1201 / 12
    CHECK(months.rows[1][3].amount == Decimal::from_whole(400));        // 4800 / 12

    SUBCASE("no measured signal: no month") {
        const ReportDocument empty =
            effect_document(sileram::domain::EffectReport{}, sileram::domain::ImpactSettings{});
        CHECK(section(empty, "months").rows.empty());
    }
    SUBCASE("huge figures saturate instead of overflowing") {
        report.lines = {effect_line("2026-11-03T10:00:00Z", 40'000'000'000'000'000, 1),
                        effect_line("2026-11-04T10:00:00Z", 40'000'000'000'000'000, 1)};
        const ReportDocument document = effect_document(report, {});
        const Section& huge = section(document, "months");
        CHECK(huge.rows[0][2].amount.hundredths() > 0);
    }
}
