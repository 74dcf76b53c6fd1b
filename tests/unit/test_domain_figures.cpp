#include "sileram/domain/figures.hpp"
#include "support.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <string>

using namespace sileram::domain;

using namespace test_support;

namespace {

Impact worked_example() {
    return Impact{12000, 4, Decimal::from_whole(10), dec("6.9")};
}

Action action(int number, std::int64_t cost, std::optional<int> parent = std::nullopt,
              ActionStatus status = ActionStatus::planned) {
    Action a;
    a.number = number;
    a.parent = parent;
    a.title = "action " + std::to_string(number);
    a.cost = Decimal::from_whole(cost);
    a.status = status;
    return a;
}

// The worked example at step 6: one action of 30,000 with a sub-activity of 2,000, 40 % less.
Signal worked_example_signal() {
    Signal signal;
    signal.id = 1;
    signal.state = State::planned;
    signal.step = 6;
    signal.impact = worked_example();
    signal.expected_reduction = Decimal::from_whole(40);
    signal.actions = {action(1, 30000), action(2, 2000, 1)};
    return signal;
}

Measurement measured(std::int64_t contacts, std::optional<Decimal> satisfaction) {
    Measurement m;
    m.contacts = contacts;
    m.satisfaction = satisfaction;
    return m;
}

} // namespace

TEST_CASE("impact classes at the default thresholds") {
    const ImpactSettings settings;
    CHECK(classify(5000, settings) == ImpactClass::high);
    CHECK(classify(4999, settings) == ImpactClass::medium);
    CHECK(classify(1000, settings) == ImpactClass::medium);
    CHECK(classify(999, settings) == ImpactClass::low);
    CHECK(classify(0, settings) == ImpactClass::low);
    CHECK(classify(48000, settings) == ImpactClass::high);
}

TEST_CASE("impact classes at custom thresholds") {
    ImpactSettings settings;
    settings.high = 200;
    settings.medium = 50;
    CHECK(classify(200, settings) == ImpactClass::high);
    CHECK(classify(199, settings) == ImpactClass::medium);
    CHECK(classify(50, settings) == ImpactClass::medium);
    CHECK(classify(49, settings) == ImpactClass::low);

    settings.high = 10;
    settings.medium = 10; // no medium band at all
    CHECK(classify(10, settings) == ImpactClass::high);
    CHECK(classify(9, settings) == ImpactClass::low);
}

TEST_CASE("impact class names") {
    CHECK(to_string(ImpactClass::low) == "low");
    CHECK(to_string(ImpactClass::medium) == "medium");
    CHECK(to_string(ImpactClass::high) == "high");
    CHECK(parse_impact_class("high") == ImpactClass::high);
    CHECK(parse_impact_class("medium") == ImpactClass::medium);
    CHECK(parse_impact_class("low") == ImpactClass::low);
    CHECK_FALSE(parse_impact_class("High").has_value());
    CHECK_FALSE(parse_impact_class("").has_value());
}

TEST_CASE("impact score at the class boundaries") {
    const ImpactSettings settings;
    const ImpactFigures exactly_high =
        impact_figures(Impact{1000, 5, Decimal::from_whole(10), std::nullopt}, settings);
    CHECK(exactly_high.score == 5000);
    CHECK(exactly_high.impact_class == ImpactClass::high);
    const ImpactFigures just_below =
        impact_figures(Impact{4999, 1, Decimal::from_whole(10), std::nullopt}, settings);
    CHECK(just_below.score == 4999);
    CHECK(just_below.impact_class == ImpactClass::medium);
    const ImpactFigures low =
        impact_figures(Impact{333, 3, Decimal::from_whole(10), std::nullopt}, settings);
    CHECK(low.score == 999);
    CHECK(low.impact_class == ImpactClass::low);
    const ImpactFigures medium =
        impact_figures(Impact{250, 4, Decimal::from_whole(10), std::nullopt}, settings);
    CHECK(medium.score == 1000);
    CHECK(medium.impact_class == ImpactClass::medium);
}

TEST_CASE("the worked example's impact figures") {
    const ImpactFigures figures = impact_figures(worked_example(), ImpactSettings{});
    CHECK(figures.score == 48000);
    CHECK(figures.impact_class == ImpactClass::high);
    CHECK(figures.cost_per_period == Decimal::from_whole(120000));
    CHECK(figures.cost_per_year == Decimal::from_whole(1440000));
}

TEST_CASE("periods per year") {
    CHECK(periods_per_year("day") == 365);
    CHECK(periods_per_year("week") == 52);
    CHECK(periods_per_year("month") == 12);
    CHECK(periods_per_year("quarter") == 4);
    CHECK(periods_per_year("year") == 1);
    CHECK_FALSE(periods_per_year("fortnight").has_value());
    CHECK_FALSE(periods_per_year("Month").has_value());
    CHECK_FALSE(periods_per_year("").has_value());
}

TEST_CASE("cost per period and per year for each period") {
    const Impact impact{100, 2, dec("2.50"), std::nullopt};
    const struct {
        std::string_view period;
        std::int64_t per_year_hundredths;
    } cases[] = {
        {"day", 9125000},    {"week", 1300000}, {"month", 300000},
        {"quarter", 100000}, {"year", 25000},
    };
    for (const auto& c : cases) {
        CAPTURE(c.period);
        ImpactSettings settings;
        settings.period = std::string(c.period);
        settings.periods_per_year = *periods_per_year(c.period);
        const ImpactFigures figures = impact_figures(impact, settings);
        CHECK(figures.score == 200);
        CHECK(figures.cost_per_period == Decimal::from_whole(250));
        CHECK(figures.cost_per_year == Decimal::from_hundredths(c.per_year_hundredths));
    }
}

TEST_CASE("cost per period keeps the cents") {
    const ImpactFigures figures =
        impact_figures(Impact{3, 1, dec("0.33"), std::nullopt}, ImpactSettings{});
    CHECK(figures.cost_per_period == dec("0.99"));
    CHECK(figures.cost_per_year == dec("11.88"));
}

TEST_CASE("business case of the worked example") {
    const BusinessCase bc = business_case(worked_example_signal(), ImpactSettings{});
    CHECK(bc.expected_reduction == Decimal::from_whole(40));
    CHECK_FALSE(bc.expected_satisfaction.has_value());
    REQUIRE(bc.expected_savings_per_year.has_value());
    CHECK(*bc.expected_savings_per_year == Decimal::from_whole(576000));
    CHECK(bc.cost == Decimal::from_whole(32000));
    REQUIRE(bc.roi.has_value());
    CHECK(*bc.roi == doctest::Approx(17.0));
    REQUIRE(bc.payback_months.has_value());
    const double payback = std::round(32000.0 * 12.0 / 576000.0 * 100.0) / 100.0;
    CHECK(*bc.payback_months == doctest::Approx(payback).epsilon(1e-12));
    CHECK(*bc.payback_months == doctest::Approx(0.67).epsilon(1e-12));
}

TEST_CASE("business case leaves cancelled actions out") {
    Signal signal = worked_example_signal();
    signal.actions.push_back(action(3, 100000, std::nullopt, ActionStatus::cancelled));
    signal.actions.push_back(action(4, 1000, std::nullopt, ActionStatus::done));
    signal.actions.push_back(action(5, 500, 1, ActionStatus::in_progress));
    const BusinessCase bc = business_case(signal, ImpactSettings{});
    CHECK(bc.cost == Decimal::from_whole(33500));
    REQUIRE(bc.roi.has_value());
    CHECK(*bc.roi == doctest::Approx(std::round((576000.0 - 33500.0) / 33500.0 * 1e4) / 1e4));
}

TEST_CASE("business case without cost has no ROI") {
    Signal signal = worked_example_signal();
    signal.actions = {action(1, 0)};
    const BusinessCase bc = business_case(signal, ImpactSettings{});
    CHECK(bc.cost == Decimal{});
    CHECK(bc.expected_savings_per_year == Decimal::from_whole(576000));
    CHECK_FALSE(bc.roi.has_value());
    REQUIRE(bc.payback_months.has_value());
    CHECK(*bc.payback_months == 0.0);

    signal.actions.clear();
    CHECK_FALSE(business_case(signal, ImpactSettings{}).roi.has_value());
}

TEST_CASE("business case with zero savings has no payback") {
    Signal signal = worked_example_signal();
    signal.expected_reduction = Decimal{};
    const BusinessCase bc = business_case(signal, ImpactSettings{});
    CHECK(bc.expected_savings_per_year == Decimal{});
    CHECK_FALSE(bc.payback_months.has_value());
    REQUIRE(bc.roi.has_value());
    CHECK(*bc.roi == doctest::Approx(-1.0));

    signal.expected_reduction = Decimal::from_whole(40);
    signal.impact->contacts = 0;
    const BusinessCase no_contacts = business_case(signal, ImpactSettings{});
    CHECK(no_contacts.expected_savings_per_year == Decimal{});
    CHECK_FALSE(no_contacts.payback_months.has_value());
}

TEST_CASE("business case without an expected reduction or impact has no savings") {
    Signal signal = worked_example_signal();
    signal.expected_reduction.reset();
    signal.expected_satisfaction = dec("0.3");
    BusinessCase bc = business_case(signal, ImpactSettings{});
    CHECK_FALSE(bc.expected_savings_per_year.has_value());
    CHECK_FALSE(bc.roi.has_value());
    CHECK_FALSE(bc.payback_months.has_value());
    CHECK(bc.cost == Decimal::from_whole(32000));
    CHECK(bc.expected_satisfaction == Decimal::from_hundredths(30));

    signal = worked_example_signal();
    signal.impact.reset();
    bc = business_case(signal, ImpactSettings{});
    CHECK_FALSE(bc.expected_savings_per_year.has_value());
    CHECK(bc.cost == Decimal::from_whole(32000));
}

TEST_CASE("business case savings follow the period and round the reduction to the cent") {
    Signal signal = worked_example_signal();
    ImpactSettings weekly;
    weekly.period = "week";
    weekly.periods_per_year = 52;
    // 12,000 × 10 × 52 × 40 % = 2,496,000
    CHECK(business_case(signal, weekly).expected_savings_per_year == Decimal::from_whole(2496000));

    signal.impact = Impact{1, 1, dec("0.01"), std::nullopt};
    signal.expected_reduction = dec("33.33");
    ImpactSettings yearly;
    yearly.period = "year";
    yearly.periods_per_year = 1;
    // 0.01 × 33.33 % = 0.003333 → 0.00; 0.01 × 50 % = 0.005 → 0.01 (half away from zero)
    CHECK(business_case(signal, yearly).expected_savings_per_year == Decimal{});
    signal.expected_reduction = Decimal::from_whole(50);
    CHECK(business_case(signal, yearly).expected_savings_per_year == dec("0.01"));
}

TEST_CASE("effect of the worked example") {
    const Effect e = effect(worked_example(), measured(7000, dec("7.2")),
                            Decimal::from_whole(576000), ImpactSettings{});
    CHECK(e.contacts_saved == 5000);
    CHECK(e.saved_per_period == Decimal::from_whole(50000));
    CHECK(e.saved_per_year == Decimal::from_whole(600000));
    REQUIRE(e.satisfaction_delta.has_value());
    CHECK(e.satisfaction_delta->hundredths() == 30);
    CHECK(*e.satisfaction_delta == Decimal::from_hundredths(30));
    REQUIRE(e.realised_share.has_value());
    const double share = std::round(600000.0 / 576000.0 * 1e4) / 1e4;
    CHECK(*e.realised_share == doctest::Approx(share).epsilon(1e-12));
    CHECK(*e.realised_share == doctest::Approx(1.0417).epsilon(1e-12));
}

TEST_CASE("effect is negative when contacts rise") {
    const Effect e = effect(worked_example(), measured(13000, dec("6.5")),
                            Decimal::from_whole(576000), ImpactSettings{});
    CHECK(e.contacts_saved == -1000);
    CHECK(e.saved_per_period == Decimal::from_whole(-10000));
    CHECK(e.saved_per_year == Decimal::from_whole(-120000));
    CHECK(e.satisfaction_delta == Decimal::from_hundredths(-40));
    REQUIRE(e.realised_share.has_value());
    CHECK(*e.realised_share == doctest::Approx(-0.2083).epsilon(1e-12));
}

TEST_CASE("effect without a satisfaction on either side has no delta") {
    Impact no_baseline = worked_example();
    no_baseline.satisfaction.reset();
    CHECK_FALSE(effect(no_baseline, measured(7000, dec("7.2")), std::nullopt, ImpactSettings{})
                    .satisfaction_delta.has_value());
    CHECK_FALSE(
        effect(worked_example(), measured(7000, std::nullopt), std::nullopt, ImpactSettings{})
            .satisfaction_delta.has_value());
}

TEST_CASE("effect without positive expected savings has no realised share") {
    const Effect none =
        effect(worked_example(), measured(7000, std::nullopt), std::nullopt, ImpactSettings{});
    CHECK(none.saved_per_year == Decimal::from_whole(600000));
    CHECK_FALSE(none.realised_share.has_value());
    const Effect zero =
        effect(worked_example(), measured(7000, std::nullopt), Decimal{}, ImpactSettings{});
    CHECK_FALSE(zero.realised_share.has_value());
}

TEST_CASE("effect per year follows the period") {
    ImpactSettings quarterly;
    quarterly.period = "quarter";
    quarterly.periods_per_year = 4;
    const Effect e =
        effect(worked_example(), measured(7000, std::nullopt), std::nullopt, quarterly);
    CHECK(e.saved_per_period == Decimal::from_whole(50000));
    CHECK(e.saved_per_year == Decimal::from_whole(200000));
}
