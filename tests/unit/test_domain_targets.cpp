#include "sileram/domain/targets.hpp"

#include <chrono>
#include <doctest/doctest.h>

using namespace sileram::domain;
using namespace std::chrono;

namespace {

Timestamp target_moment(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

Date target_day(int y, unsigned mo, unsigned d) {
    return sys_days{year{y} / month{mo} / day{d}};
}

// The local day of a zone an hour ahead of UTC (Amsterdam in winter), and of UTC itself.
const LocalDay k_utc_day = [](Timestamp at) { return floor<days>(at); };
const LocalDay k_plus_one_day = [](Timestamp at) { return floor<days>(at + hours{1}); };

LateFacts submitted_at(Timestamp at) {
    LateFacts facts;
    facts.state = State::submitted;
    facts.submitted_at = at;
    facts.entered_at = at;
    return facts;
}

} // namespace

TEST_CASE("lateness: the first response is due first_response_days local days after submit") {
    Targets targets;
    targets.first_response_days = 2;
    const LateFacts facts = submitted_at(target_moment(2026, 11, 20, 10));
    // Due 2026-11-22: on time through that whole day, late from the next.
    CHECK_FALSE(lateness(facts, targets, target_day(2026, 11, 22), k_utc_day));
    const auto late = lateness(facts, targets, target_day(2026, 11, 25), k_utc_day);
    REQUIRE(late);
    CHECK(late->reason == LateReason::first_response);
    CHECK(late->due == target_day(2026, 11, 22));
    CHECK(late->days_late == 3);
    CHECK(to_string(late->reason) == "first response");
}

TEST_CASE("lateness: a day is the user's local day, not the UTC day") {
    Targets targets;
    targets.first_response_days = 1;
    // 23:30 UTC is already the next day an hour east.
    const LateFacts facts = submitted_at(target_moment(2026, 11, 20, 23, 30));
    CHECK(lateness(facts, targets, target_day(2026, 11, 22), k_utc_day));
    CHECK_FALSE(lateness(facts, targets, target_day(2026, 11, 22), k_plus_one_day));
    CHECK(lateness(facts, targets, target_day(2026, 11, 23), k_plus_one_day)->due ==
          target_day(2026, 11, 22));
}

TEST_CASE("lateness: a signal answered once owes no first response") {
    Targets targets;
    targets.first_response_days = 0;
    LateFacts facts = submitted_at(target_moment(2026, 11, 1));
    facts.responded = true;
    CHECK_FALSE(lateness(facts, targets, target_day(2026, 11, 30), k_utc_day));
}

TEST_CASE("lateness: days_in counts from entering the state; the earliest target wins") {
    Targets targets;
    targets.days_in[State::accepted] = 5;
    LateFacts facts = submitted_at(target_moment(2026, 11, 1));
    facts.state = State::accepted;
    facts.responded = true;
    facts.entered_at = target_moment(2026, 11, 10, 9);
    CHECK_FALSE(lateness(facts, targets, target_day(2026, 11, 15), k_utc_day));
    const auto late = lateness(facts, targets, target_day(2026, 11, 16), k_utc_day);
    REQUIRE(late);
    CHECK(late->reason == LateReason::days_in);
    CHECK(late->state == State::accepted);
    CHECK(late->days_late == 1);

    targets.first_response_days = 3;
    targets.days_in[State::submitted] = 1;
    const auto both = lateness(submitted_at(target_moment(2026, 11, 1)), targets,
                               target_day(2026, 11, 10), k_utc_day);
    REQUIRE(both);
    CHECK(both->reason == LateReason::days_in);
    CHECK(both->due == target_day(2026, 11, 2));
}

TEST_CASE("lateness: a parked signal is due for review the day after its --until") {
    const Targets none;
    LateFacts facts = submitted_at(target_moment(2026, 10, 1));
    facts.state = State::parked;
    facts.parked_until = target_day(2026, 11, 20);
    CHECK_FALSE(lateness(facts, none, target_day(2026, 11, 20), k_utc_day));
    const auto late = lateness(facts, none, target_day(2026, 11, 21), k_utc_day);
    REQUIRE(late);
    CHECK(late->reason == LateReason::review);
    CHECK(late->days_late == 1);
    facts.parked_until.reset();
    CHECK_FALSE(lateness(facts, none, target_day(2026, 12, 31), k_utc_day));
}

TEST_CASE("lateness: a closed signal is never late") {
    Targets targets;
    targets.first_response_days = 0;
    LateFacts facts = submitted_at(target_moment(2026, 1, 1));
    facts.state = State::closed;
    CHECK_FALSE(lateness(facts, targets, target_day(2026, 11, 30), k_utc_day));
}

TEST_CASE("late_facts: entered at the last change of state, responded after a verdict") {
    Signal s;
    s.state = State::submitted;
    s.submitted_at = target_moment(2026, 11, 1);
    s.history.push_back(
        {0, {"a", target_moment(2026, 11, 1)}, "submit", std::nullopt, State::submitted, ""});
    s.history.push_back(
        {0, {"a", target_moment(2026, 11, 2)}, "join", State::submitted, State::submitted, ""});
    CHECK_FALSE(late_facts(s).responded);
    CHECK(late_facts(s).entered_at == target_moment(2026, 11, 1));
    s.history.push_back({0,
                         {"a", target_moment(2026, 11, 3)},
                         "ask for info",
                         State::submitted,
                         State::needs_info,
                         ""});
    s.history.push_back(
        {0, {"a", target_moment(2026, 11, 4)}, "answer", State::needs_info, State::submitted, ""});
    CHECK(late_facts(s).responded);
    CHECK(late_facts(s).entered_at == target_moment(2026, 11, 4));

    s.state = State::parked;
    Decision park;
    park.verdict = Verdict::park;
    park.until = target_day(2026, 12, 1);
    s.decisions.push_back(park);
    CHECK(late_facts(s).parked_until == target_day(2026, 12, 1));
}

TEST_CASE("late_cuts: a moment before the start of local day today - N is late") {
    Targets targets;
    targets.first_response_days = 2;
    targets.days_in[State::analysed] = 7;
    std::vector<int> asked;
    const auto cuts = late_cuts(targets, target_day(2026, 11, 23), [&](int days_ago) {
        asked.push_back(days_ago);
        return target_moment(2026, 11, 23) - days{days_ago};
    });
    CHECK(cuts.first_response_before == target_moment(2026, 11, 21));
    REQUIRE(cuts.entered_before.size() == 1);
    CHECK(cuts.entered_before[0].first == State::analysed);
    CHECK(cuts.entered_before[0].second == target_moment(2026, 11, 16));
    CHECK(cuts.review_before == target_day(2026, 11, 23));
    // The same rule: submitted just before the cut is late today, at it is not.
    CHECK(lateness(submitted_at(target_moment(2026, 11, 20, 23, 59)), targets,
                   target_day(2026, 11, 23), k_utc_day));
    CHECK_FALSE(lateness(submitted_at(target_moment(2026, 11, 21)), targets,
                         target_day(2026, 11, 23), k_utc_day));
}

TEST_CASE("answer_overdue: past answer_days local days after the question") {
    Targets targets;
    CHECK_FALSE(
        answer_overdue(target_moment(2026, 1, 1), targets, target_day(2026, 11, 30), k_utc_day));
    targets.answer_days = 3;
    CHECK_FALSE(answer_overdue(target_moment(2026, 11, 20, 8), targets, target_day(2026, 11, 23),
                               k_utc_day));
    CHECK(answer_overdue(target_moment(2026, 11, 20, 8), targets, target_day(2026, 11, 24),
                         k_utc_day));
}
