#include "sileram/domain/limits.hpp"
#include "sileram/domain/reports.hpp"
#include "sileram/errors.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <map>

using namespace sileram::domain;

using namespace test_support;

namespace {

ImpactSums sums(std::int64_t signals, std::int64_t contacts, std::int64_t score,
                std::int64_t cost_cents) {
    return ImpactSums{signals, contacts, score, cost_cents};
}

} // namespace

TEST_CASE("quadrants: many/few contacts against high/low satisfaction impact") {
    CHECK(quadrant(true, true) == Quadrant::act_first);
    CHECK(quadrant(false, true) == Quadrant::plan);
    CHECK(quadrant(true, false) == Quadrant::delegate);
    CHECK(quadrant(false, false) == Quadrant::avoid);
    const ReportSettings s; // many from 1000 contacts, high from impact 3
    CHECK(quadrant(1000, 3, s) == Quadrant::act_first);
    CHECK(quadrant(999, 3, s) == Quadrant::plan);
    CHECK(quadrant(12000, 2, s) == Quadrant::delegate);
    CHECK(quadrant(0, 1, s) == Quadrant::avoid);
    CHECK(to_string(Quadrant::act_first) == "act first");
    CHECK(to_string(Quadrant::avoid) == "avoid");
}

TEST_CASE("median of a sorted list from its middle values") {
    CHECK(median_of_middle(1, 5, 5) == 5);
    CHECK(median_of_middle(3, 2, 9) == 2);
    CHECK(median_of_middle(4, 2, 4) == 3);
    CHECK(median_of_middle(0, 1, 1) == 0);
    CHECK(!median({}).has_value());
    CHECK(*median({3, 1, 2}) == 2);
    CHECK(*median({4, 1, 3, 2}) == 2.5);
}

TEST_CASE("share is 0 of nothing") {
    CHECK(share(1, 4) == 0.25);
    CHECK(share(3, 0) == 0);
}

TEST_CASE("impact report: totals from the quadrant sums, money per year, shares of cost") {
    ImpactSettings impact; // EUR 10, monthly
    const ReportSettings settings;
    std::vector<RankedSignalInput> ranked = {
        {2, "small", State::analysed, Impact{50, 1, Decimal::from_whole(10), std::nullopt}},
        {1, "invoice", State::planned, Impact{12000, 4, Decimal::from_whole(10), std::nullopt}},
    };
    const std::vector<QuadrantInput> quadrants = {
        {true, true, sums(1, 12000, 48000, 12000000)},
        {false, false, sums(1, 50, 50, 50000)},
    };
    const std::vector<ImpactGroupInput> groups = {{"", sums(1, 50, 50, 50000)},
                                                  {"billing", sums(1, 12000, 48000, 12000000)}};
    const ImpactReport r = build_impact_report(ranked, groups, quadrants, impact, settings);
    REQUIRE(r.ranked.size() == 2);
    CHECK(r.ranked[0].id == 1); // highest score first
    CHECK(r.ranked[0].figures.score == 48000);
    CHECK(r.ranked[0].figures.impact_class == ImpactClass::high);
    CHECK(r.ranked[0].figures.cost_per_year == Decimal::from_whole(1'440'000));
    CHECK(r.ranked[0].quadrant == Quadrant::act_first);
    CHECK(r.ranked[1].quadrant == Quadrant::avoid);
    CHECK(r.total.signals == 2);
    CHECK(r.total.contacts == 12050);
    CHECK(r.total.cost_per_period == Decimal::from_whole(120'500));
    CHECK(r.total.cost_per_year == Decimal::from_whole(1'446'000));
    REQUIRE(r.quadrants.size() == 4);
    CHECK(r.quadrants[0].label == "act first");
    CHECK(r.quadrants[0].signals == 1);
    CHECK(r.quadrants[1].label == "plan");
    CHECK(r.quadrants[1].signals == 0);
    CHECK(r.quadrants[1].share_of_cost == 0);
    CHECK(r.quadrants[3].label == "avoid");
    CHECK(r.quadrants[3].share_of_cost == doctest::Approx(500.0 / 120500.0));
    REQUIRE(r.groups.size() == 2);
    CHECK(r.groups[0].label == "billing"); // most costly first
}

TEST_CASE("funnel: steps from state counts, median and waiting days from the stays") {
    const std::vector<StateCount> states = {{State::analysed, 3, 3},
                                            {State::parked, 4, 1},
                                            {State::prioritised, 4, 2},
                                            {State::submitted, 1, 4}};
    StepStayInput step3;
    step3.step = 3;
    step3.completed = 4;
    step3.middle_lower_seconds = 86400;
    step3.middle_upper_seconds = std::int64_t{3} * 86400;
    step3.longest_seconds = std::int64_t{10} * 86400;
    step3.waiting = 3;
    step3.oldest_entered = at("2026-11-13T12:00:00Z");
    step3.oldest_signal = 7;
    const FunnelReport r = build_funnel_report(
        states, {step3}, {{"2026-11", 4, 1}, {"2026-10", 2, 0}}, at("2026-11-23T12:00:00Z"));
    CHECK(r.total == 10);
    REQUIRE(r.steps.size() == 10);
    CHECK(r.steps[0].signals == 4);
    CHECK(r.steps[3].signals == 3);
    REQUIRE(r.steps[3].states.size() == 2);
    CHECK(r.steps[3].states[0].state == State::prioritised);
    CHECK(r.steps[3].states[0].signals == 2);
    CHECK(r.steps[3].states[1].state == State::parked);
    CHECK(r.steps[3].states[1].signals == 1);
    CHECK(r.steps[3].share == doctest::Approx(0.3));
    CHECK(*r.steps[2].median_days == doctest::Approx(2.0));
    CHECK(*r.steps[2].longest_days == doctest::Approx(10.0));
    CHECK(*r.steps[2].oldest_days == doctest::Approx(10.0));
    CHECK(*r.steps[2].oldest_signal == 7);
    CHECK(!r.steps[0].median_days);
    CHECK(r.months.front().month == "2026-10"); // in order
    CHECK(step_name(10) == "feedback and close");
}

TEST_CASE("funnel: a step's target and the share of its ended stays within it") {
    StepStayInput step1;
    step1.step = 1;
    step1.completed = 4;
    step1.within_target = 3;
    StepStayInput step3;
    step3.step = 3;
    step3.completed = 2;
    step3.within_target = 2;
    const Timestamp now = at("2026-11-23T12:00:00Z");
    const FunnelReport r = build_funnel_report({}, {step1, step3}, {}, now, {{1, 5}, {2, 7}});
    CHECK(r.steps[0].target_days == 5);
    CHECK(*r.steps[0].within_target == doctest::Approx(0.75));
    // A target without ended stays has no share; a step without a target neither.
    CHECK(r.steps[1].target_days == 7);
    CHECK_FALSE(r.steps[1].within_target);
    CHECK_FALSE(r.steps[2].target_days);
    CHECK_FALSE(r.steps[2].within_target);
    const FunnelReport none = build_funnel_report({}, {step1}, {}, now);
    CHECK_FALSE(none.steps[0].target_days);
    CHECK_FALSE(none.steps[0].within_target);
}

TEST_CASE("effect: the worked example, realised share and ROI over the totals") {
    ImpactSettings impact;
    EffectInput in;
    in.id = 1;
    in.baseline = Impact{12000, 4, Decimal::from_whole(10), Decimal::parse("6.9")};
    in.last.contacts = 7000;
    in.last.satisfaction = Decimal::parse("7.2");
    in.expected_reduction = Decimal::from_whole(40);
    in.action_cost = Decimal::from_whole(32000);
    // What storage sums for this one signal.
    EffectSums s;
    s.signals = 1;
    s.contacts_saved = 5000;
    s.saved_per_period_cents = 5'000'000;
    s.expected_per_year_split = 57'600; // 1,440,000 x 40 % in thousands of cents
    s.expected_per_year_rest_cents = 0;
    s.saved_per_period_expected_cents = 5'000'000;
    s.cost_cents = 3'200'000;
    s.satisfaction_delta_hundredths = 30;
    s.satisfaction_measured = 1;
    const EffectReport r = build_effect_report({in}, s, impact);
    REQUIRE(r.lines.size() == 1);
    CHECK(r.lines[0].effect.contacts_saved == 5000);
    CHECK(r.lines[0].effect.saved_per_year == Decimal::from_whole(600'000));
    CHECK(*r.lines[0].expected_per_year == Decimal::from_whole(576'000));
    CHECK(*r.lines[0].effect.realised_share == doctest::Approx(1.0417));
    CHECK(*r.lines[0].effect.satisfaction_delta == *Decimal::parse("0.3"));
    CHECK(r.total.saved_per_year == Decimal::from_whole(600'000));
    CHECK(*r.total.realised_share == doctest::Approx(1.0417));
    CHECK(*r.total.roi == doctest::Approx(17.75));
    CHECK(*r.total.mean_satisfaction_delta == *Decimal::parse("0.3"));
    CHECK(expected_savings_per_year(in.baseline, in.expected_reduction, impact) ==
          Decimal::from_whole(576'000));
}

TEST_CASE("effect: no ROI without cost, no share without expectation") {
    const EffectReport r = build_effect_report({}, EffectSums{}, ImpactSettings{});
    CHECK(!r.total.roi);
    CHECK(!r.total.realised_share);
    CHECK(!r.total.mean_satisfaction_delta);
}

TEST_CASE("effect: each signal's approved savings beside the realised, and the difference") {
    ImpactSettings impact;
    EffectInput with;
    with.id = 1;
    with.baseline = Impact{12000, 4, Decimal::from_whole(10), std::nullopt};
    with.last.contacts = 7000; // saves 600,000 a year
    with.approved_per_year = Decimal::from_whole(576'000);
    EffectInput without = with;
    without.id = 2;
    without.approved_per_year.reset();
    EffectSums s;
    s.signals = 2;
    s.saved_per_period_cents = 10'000'000;
    s.approved_signals = 1;
    s.approved_per_year_split = 57'600; // 576,000.00 in thousands of cents
    s.approved_per_year_rest_cents = 0;
    s.saved_per_period_approved_cents = 5'000'000;
    const EffectReport r = build_effect_report({with, without}, s, impact);
    REQUIRE(r.lines.size() == 2);
    CHECK(r.lines[0].approved_per_year == Decimal::from_whole(576'000));
    CHECK(r.lines[0].versus_approved_per_year == Decimal::from_whole(24'000));
    CHECK_FALSE(r.lines[1].approved_per_year);
    CHECK_FALSE(r.lines[1].versus_approved_per_year);
    CHECK(r.total.approved_signals == 1);
    CHECK(r.total.approved_per_year == Decimal::from_whole(576'000));
    CHECK(r.total.saved_per_year_approved == Decimal::from_whole(600'000));
    CHECK(r.total.versus_approved_per_year == Decimal::from_whole(24'000));
    // Falling short is a negative difference.
    s.saved_per_period_approved_cents = 4'000'000;
    CHECK(build_effect_report({}, s, impact).total.versus_approved_per_year ==
          Decimal::from_whole(-96'000));
}

TEST_CASE("percentile: linear between the nearest ranks, the median at one half") {
    CHECK_FALSE(percentile({}, 0.9));
    CHECK(*percentile({7}, 0.9) == 7);
    CHECK(*percentile({4, 1, 3, 2}, 0.5) == 2.5);
    CHECK(*percentile({4, 1, 3, 2}, 0.5) == *median({4, 1, 3, 2}));
    // Ten values 1..10: rank 0.9 x 9 = 8.1, between 9 and 10.
    CHECK(*percentile({10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 0.9) == doctest::Approx(9.1));
    CHECK(*percentile({1, 2, 3}, 0.0) == 1);
    CHECK(*percentile({1, 2, 3}, 1.0) == 3);
}

TEST_CASE("a rank among waits counted per day: the first second of its day and the offset there") {
    // Waits of day 0: 2, day 3: 4, day 10: 1 (ranks 0-1, 2-5, 6).
    const std::map<std::int64_t, std::int64_t> per_day = {{0, 2}, {3, 4}, {10, 1}};
    CHECK(locate_rank(per_day, 0)->from_seconds == 0);
    CHECK(locate_rank(per_day, 1)->offset == 1);
    CHECK(locate_rank(per_day, 2)->from_seconds == 3 * 86400);
    CHECK(locate_rank(per_day, 2)->offset == 0);
    CHECK(locate_rank(per_day, 5)->offset == 3);
    CHECK(locate_rank(per_day, 6)->from_seconds == 10 * 86400);
    CHECK(locate_rank(per_day, 6)->offset == 0);
    CHECK_FALSE(locate_rank(per_day, 7));
    CHECK_FALSE(locate_rank({}, 0));
}

TEST_CASE("response: days to the first response per month and channel, judged by the target") {
    const auto in = [](std::string channel, const char* submitted,
                       std::optional<const char*> responded) {
        ResponseInput r;
        r.month = std::string(submitted).substr(0, 7);
        r.channel = std::move(channel);
        r.submitted_at = at(submitted);
        if (responded) {
            r.responded_at = at(*responded);
        }
        return r;
    };
    const std::vector<ResponseInput> signals = {
        in("phone", "2026-10-01T09:00:00Z", "2026-10-02T09:00:00Z"), // 1 day
        in("phone", "2026-10-05T09:00:00Z", "2026-10-08T21:00:00Z"), // 3.5 days
        in("email", "2026-10-10T09:00:00Z", "2026-10-20T09:00:00Z"), // 10 days
        in("", "2026-11-01T09:00:00Z", "2026-11-01T08:00:00Z"),      // before submission: 0
        in("email", "2026-11-20T09:00:00Z", std::nullopt),           // waiting 3 days
        in("email", "2026-11-10T09:00:00Z", std::nullopt),           // waiting 13 days
    };
    const Timestamp now = at("2026-11-23T09:00:00Z");
    const ResponseReport r = build_response_report(signals, 5, now);
    CHECK(r.target_days == 5);
    CHECK(r.total.signals == 6);
    CHECK(r.total.responded == 4);
    CHECK(r.total.waiting == 2);
    CHECK(*r.total.median_days == doctest::Approx(2.25)); // 0, 1, 3.5, 10
    CHECK(*r.total.p90_days == doctest::Approx(8.05));    // 3.5 + 0.7 x 6.5
    // Three of the four responses within 5 days; the signal waiting 13 days missed it, the one
    // waiting 3 days is not judged yet.
    CHECK(*r.total.within_target == doctest::Approx(0.6));
    REQUIRE(r.months.size() == 2);
    CHECK(r.months[0].label == "2026-10");
    CHECK(r.months[0].signals == 3);
    CHECK(*r.months[0].median_days == doctest::Approx(3.5));
    CHECK(*r.months[0].within_target == doctest::Approx(0.6667));
    CHECK(r.months[1].label == "2026-11");
    CHECK(r.months[1].waiting == 2);
    CHECK(*r.months[1].median_days == 0);
    CHECK(*r.months[1].within_target == doctest::Approx(0.5));
    // Most signals first.
    REQUIRE(r.channels.size() == 3);
    CHECK(r.channels[0].label == "email");
    CHECK(r.channels[0].responded == 1);
    CHECK(r.channels[1].label == "phone");
    CHECK(*r.channels[1].p90_days == doctest::Approx(3.25)); // 1 + 0.9 x 2.5
    CHECK(r.channels[2].label == "");
    // Equal counts by name, the unset channel ('') first.
    const ResponseReport tied =
        build_response_report({in("phone", "2026-10-01T09:00:00Z", std::nullopt),
                               in("", "2026-10-01T09:00:00Z", std::nullopt)},
                              5, now);
    CHECK(tied.channels[0].label == "");
    CHECK(tied.channels[1].label == "phone");

    const ResponseReport none = build_response_report(signals, std::nullopt, now);
    CHECK_FALSE(none.target_days);
    CHECK_FALSE(none.total.within_target);
    CHECK(*none.total.median_days == doctest::Approx(2.25));
    const ResponseReport empty = build_response_report({}, 5, now);
    CHECK(empty.total.signals == 0);
    CHECK_FALSE(empty.total.median_days);
    CHECK_FALSE(empty.total.within_target);
}

TEST_CASE("fields: most frequent first, shares of all signals") {
    const auto b = build_field_breakdown(
        "channel", {{"email", sums(2, 0, 0, 0)}, {"phone", sums(5, 100, 300, 100000)}}, 2, 10,
        ImpactSettings{});
    REQUIRE(b.values.size() == 2);
    CHECK(b.values[0].value == "phone");
    CHECK(b.values[0].share == doctest::Approx(0.5));
    CHECK(b.values[0].cost_per_year == Decimal::from_whole(12'000));
}

TEST_CASE("customers: disproportionate against the revenue share, care customers") {
    ReportSettings settings; // factor 2, 3 signals in 90 days
    std::vector<CustomerInput> in(3);
    in[0].name = "Big";
    in[0].signals = 2;
    in[0].revenue = Decimal::from_whole(9'000'000);
    in[1].name = "Small";
    in[1].signals = 4;
    in[1].recent_signals = 3;
    in[1].revenue = Decimal::from_whole(1'000'000);
    in[2].name = "Unknown";
    in[2].signals = 1;
    in[2].recent_high_impact = 1;
    const CustomerReport r = build_customer_report(in, Decimal::from_whole(10'000'000), settings);
    CHECK(r.customers == 3);
    CHECK(r.signals == 7);
    CHECK(r.without_revenue == 1);
    REQUIRE(r.lines.size() == 3);
    // Small: 4 of 6 signals (67 %) against 10 % of the revenue: 6.67x.
    CHECK(r.lines[0].name == "Small");
    CHECK(r.lines[0].disproportionate);
    CHECK(*r.lines[0].ratio == doctest::Approx(6.67));
    CHECK(r.lines[0].care);
    CHECK(*r.lines[0].signals_per_million == doctest::Approx(4.0));
    CHECK(r.lines[1].name == "Unknown"); // care: one high-impact signal
    CHECK(r.lines[1].care);
    CHECK(!r.lines[1].ratio);
    CHECK(r.lines[2].name == "Big");
    CHECK(!r.lines[2].disproportionate);
    CHECK(*r.lines[2].ratio == doctest::Approx(0.37));
    CHECK(r.flagged_disproportionate == 1);
    CHECK(r.flagged_care == 2);
}

TEST_CASE("overdue: days past due, unchanged and waiting, counted from now") {
    OverdueActionInput a;
    a.due = *parse_date("2026-11-20");
    StaleSignalInput s{1, "t", State::accepted, at("2026-11-01T12:00:00Z")};
    SilentSubmitterInput u{"a@example.nl", 2, at("2026-10-01T00:00:00Z"), 1};
    const OverdueReport r =
        build_overdue_report({a}, 5, {s}, 1, {u}, 1, at("2026-11-23T12:00:00Z"));
    CHECK(r.actions[0].days_overdue == 3);
    CHECK(r.actions_total == 5);
    CHECK(r.stale[0].days_unchanged == 22);
    CHECK(r.silent[0].days_waiting == 53);
}

TEST_CASE("silent submitters: longest waiting first, then by address, cut at the limit") {
    std::map<std::string, SilentSubmitterInput> by_address{
        {"c@example.nl", {"c@example.nl", 1, at("2026-10-05T00:00:00Z"), 3}},
        {"b@example.nl", {"B@example.nl", 2, at("2026-10-01T00:00:00Z"), 2}},
        {"a@example.nl", {"a@example.nl", 1, at("2026-10-01T00:00:00Z"), 1}},
    };
    std::int64_t total = 0;
    const auto all = rank_silent_submitters(by_address, 0, total);
    REQUIRE(all.size() == 3);
    CHECK(total == 3);
    CHECK(all[0].email == "B@example.nl"); // the same wait: byte order, upper case first
    CHECK(all[1].email == "a@example.nl");
    CHECK(all[2].email == "c@example.nl");
    const auto first = rank_silent_submitters(by_address, 2, total);
    CHECK(first.size() == 2);
    CHECK(total == 3); // the total counts what the limit left out
    CHECK(rank_silent_submitters({}, 5, total).empty());
    CHECK(total == 0);
}

TEST_CASE("effect totals of a billion signals at the bounds come out to the cent") {
    ImpactSettings impact;
    impact.period = "year";
    impact.periods_per_year = 1;
    EffectSums s;
    s.signals = k_bounded_signals;
    // Each signal saves 40,000,000.00 a year and expected 40,000,000.01 (split in thousands of
    // cents and the rest, as storage sums them).
    s.saved_per_period_cents = k_bounded_signals * k_max_cost_per_period.hundredths();
    s.expected_per_year_split = k_bounded_signals * 4'000'000;
    s.expected_per_year_rest_cents = k_bounded_signals * 1;
    s.saved_per_period_expected_cents = s.saved_per_period_cents;
    s.cost_cents = k_bounded_signals * k_max_action_cost.hundredths();
    const EffectReport r = build_effect_report({}, s, impact);
    CHECK(r.total.saved_per_year == Decimal::from_hundredths(4'000'000'000'000'000'000));
    CHECK(r.total.expected_per_year == Decimal::from_hundredths(4'000'000'001'000'000'000));
    CHECK(r.total.cost == Decimal::from_hundredths(4'000'000'000'000'000'000));
    // Per month the same signals save twelve times as much a year: more than 62 bits hold, so
    // the report is refused with the reason rather than showing a wrapped or rounded figure.
    impact.period = "month";
    impact.periods_per_year = 12;
    CHECK_THROWS_WITH_AS(build_effect_report({}, s, impact),
                         doctest::Contains("the savings per year"), sileram::Refused);
    s.expected_per_year_split = k_bounded_signals * 48'000'000;
    s.saved_per_period_cents = 0;
    CHECK_THROWS_WITH_AS(build_effect_report({}, s, impact),
                         doctest::Contains("the expected savings per year"), sileram::Refused);
}

TEST_CASE("report_windows count from now: a year of funnel months, care, stale and silent days") {
    ReportSettings settings;
    settings.care_window_days = 90;
    settings.stale_days = 14;
    settings.silent_days = 30;
    const Timestamp now = at("2026-11-23T12:00:00Z");
    const ReportWindows w = report_windows(now, std::nullopt, settings);
    CHECK(w.funnel_months_since == at("2025-11-01T00:00:00Z"));
    CHECK(w.care_since == at("2026-08-25T12:00:00Z"));
    CHECK(w.today == date("2026-11-23"));
    CHECK(w.stale_before == at("2026-11-09T12:00:00Z"));
    CHECK(w.silent_before == at("2026-10-24T12:00:00Z"));
    CHECK(report_windows(now, at("2026-06-01T00:00:00Z"), settings).funnel_months_since ==
          at("2026-06-01T00:00:00Z"));
    // The first of February a year back, also from a 29 February.
    CHECK(report_windows(at("2028-02-29T08:00:00Z"), std::nullopt, settings).funnel_months_since ==
          at("2027-02-01T00:00:00Z"));
}

TEST_CASE("recurrence: per process bytewise, no process last; days after the closing") {
    const auto pair = [](SignalId closed, std::string process, SignalId signal,
                         const char* closed_at, const char* submitted_at) {
        return RecurrenceInput{
            closed,           std::move(process), "cause", at(closed_at), signal, "title",
            State::submitted, at(submitted_at),   0.6};
    };
    const std::vector<RecurrenceInput> pairs = {
        pair(7, "", 20, "2026-10-01T12:00:00Z", "2026-10-02T11:59:59Z"),
        pair(3, "billing", 21, "2026-10-01T12:00:00Z", "2026-11-01T12:00:00Z"),
        pair(2, "billing", 22, "2026-09-01T12:00:00Z", "2026-09-01T12:00:00Z"),
        pair(2, "billing", 21, "2026-09-01T12:00:00Z", "2026-11-01T12:00:00Z"),
        pair(5, "Delivery", 23, "2026-10-01T12:00:00Z", "2026-10-11T12:00:00Z"),
    };
    const std::vector<ClosedCausesInput> closed = {
        {"billing", 4}, {"", 1}, {"Delivery", 2}, {"support", 3}};
    const RecurrenceReport all = build_recurrence_report(pairs, closed, 0);
    REQUIRE(all.recurrences.size() == 5);
    CHECK(all.recurrences_total == 5);
    // "Delivery" sorts before "billing" bytewise; the signals without a process come last.
    std::vector<std::pair<SignalId, SignalId>> order;
    for (const Recurrence& r : all.recurrences) {
        order.emplace_back(r.input.closed, r.input.signal);
    }
    CHECK(order ==
          std::vector<std::pair<SignalId, SignalId>>{{5, 23}, {2, 21}, {2, 22}, {3, 21}, {7, 20}});
    CHECK(all.recurrences[0].days_since_closing == 10);
    CHECK(all.recurrences[2].days_since_closing == 0);
    CHECK(all.recurrences[4].days_since_closing == 0); // a second short of a day
    CHECK(all.closed == 10);
    CHECK(all.recurred == 4);
    CHECK(all.signals == 4); // 21 recurs two causes: one signal
    REQUIRE(all.processes.size() == 4);
    CHECK(all.processes[0].process == "Delivery");
    CHECK(all.processes[1].process == "billing");
    CHECK(all.processes[1].closed == 4);
    CHECK(all.processes[1].recurred == 2);
    CHECK(all.processes[1].signals == 2);
    CHECK(all.processes[1].share == doctest::Approx(0.5));
    CHECK(all.processes[2].process == "support");
    CHECK(all.processes[2].recurred == 0);
    CHECK(all.processes[3].process.empty());

    const RecurrenceReport two = build_recurrence_report(pairs, closed, 2);
    CHECK(two.recurrences.size() == 2);
    CHECK(two.recurrences_total == 5);
    CHECK(two.recurred == 4);
}

TEST_CASE("trend: months in order, medians per month and over all, money per year") {
    ImpactSettings impact;
    impact.periods_per_year = 12;
    CHECK(median_days_to_close({std::int64_t{36} * 86400, std::int64_t{17} * 86400}) == 26.5);
    CHECK(median_days_to_close({-3600}) == 0.0); // closed "before" submission: 0 days
    CHECK(median_days_to_close({std::int64_t{36} * 86400, std::int64_t{17} * 86400, -3600}) ==
          17.0);
    CHECK_FALSE(median_days_to_close({}).has_value());
    CHECK(median_days_of_middle(2, std::int64_t{17} * 86400, std::int64_t{36} * 86400) == 26.5);
    CHECK(median_days_of_middle(3, std::int64_t{17} * 86400, std::int64_t{17} * 86400) == 17.0);
    TrendMonthInput november{"2026-11", 1, 2, 2, 100000, 26.5};
    TrendMonthInput october{"2026-10", 3, 1, 1, 0, 0.0};
    const TrendReport report = build_trend_report({november, october}, 17.0, impact);
    REQUIRE(report.months.size() == 2);
    CHECK(report.months[0].month == "2026-10");
    CHECK(report.months[0].median_days_to_close == 0.0);
    CHECK(report.months[1].median_days_to_close == 26.5);
    CHECK(report.months[1].saved_per_period == Decimal::from_hundredths(100000));
    CHECK(report.months[1].saved_per_year == Decimal::from_hundredths(1200000));
    CHECK(report.total.signals_in == 4);
    CHECK(report.total.verdicts == 3);
    CHECK(report.total.closed == 3);
    CHECK(report.total.median_days_to_close == 17.0);
    CHECK(report.total.saved_per_year == Decimal::from_hundredths(1200000));
}

TEST_CASE("trend: no months, no median") {
    const TrendReport report = build_trend_report({}, std::nullopt, ImpactSettings{});
    CHECK(report.months.empty());
    CHECK(report.total.signals_in == 0);
    CHECK_FALSE(report.total.median_days_to_close.has_value());
}

TEST_CASE("as of: the figures of an analyse history row") {
    const auto f = parse_analysed_figures("12,000 contacts × impact 4 = score 48,000 (high)");
    REQUIRE(f.has_value());
    CHECK(f->contacts == 12000);
    CHECK(f->satisfaction_impact == 4);
    CHECK(parse_analysed_figures("0 contacts × impact 1 = score 0 (low)")->contacts == 0);
    CHECK_FALSE(parse_analysed_figures("").has_value());
    CHECK_FALSE(parse_analysed_figures("raakt alle klanten").has_value());
    CHECK_FALSE(parse_analysed_figures("12x000 contacts × impact 4").has_value());
    CHECK_FALSE(parse_analysed_figures("12 contacts × impact 9").has_value());
}
