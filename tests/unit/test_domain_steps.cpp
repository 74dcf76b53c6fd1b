#include "sileram/domain/figures.hpp"
#include "sileram/domain/limits.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/errors.hpp"
#include "support.hpp"

#include <cstdint>
#include <doctest/doctest.h>
#include <limits>
#include <string>

using namespace sileram::domain;
using sileram::InvalidInput;
using sileram::Refused;

using namespace test_support;

namespace {

Stamp stamp(std::string_view when, std::string by = "lead@example.org") {
    return Stamp{std::move(by), at(when)};
}

const ImpactSettings k_settings{};

// A freshly submitted signal with the given id.
Signal submitted(SignalId id, std::string by = "anna@example.org") {
    NewSignal input;
    input.title = "The invoice is unclear";
    input.description = "Customers call about the invoice layout.";
    input.submitted_by = std::move(by);
    input.fields = {{"channel", "phone"}, {"process", "billing"}};
    Signal signal = new_signal(std::move(input), stamp("2026-01-05T09:00:00Z", "anna"));
    signal.id = id;
    return signal;
}

ImpactInput worked_example_impact() {
    ImpactInput input;
    input.contacts = 12000;
    input.satisfaction_impact = 4;
    input.cost_per_contact = Decimal::from_whole(10);
    input.satisfaction = dec("6.9");
    return input;
}

Signal analysed(SignalId id) {
    Signal signal = submitted(id);
    accept(signal, stamp("2026-01-06T09:00:00Z"));
    analyse(signal, worked_example_impact(), k_settings, stamp("2026-01-07T09:00:00Z"));
    return signal;
}

Signal root_caused(SignalId id) {
    Signal signal = analysed(id);
    prioritise(signal, Verdict::go, "", std::nullopt, stamp("2026-01-08T09:00:00Z"));
    RootCause cause;
    cause.cause = "The invoice does not say which period it covers";
    record_root_cause(signal, cause, stamp("2026-01-09T09:00:00Z"));
    return signal;
}

// Planned with one action of 30,000 and a sub-activity of 2,000 under it, reduction 40 %.
Signal planned(SignalId id) {
    Signal signal = root_caused(id);
    plan_action(signal,
                NewAction{"Redesign the invoice", "billing team", date("2026-03-01"),
                          Decimal::from_whole(30000), std::nullopt},
                stamp("2026-01-10T09:00:00Z"));
    plan_action(signal,
                NewAction{"Test the layout with customers", "ux", date("2026-02-15"),
                          Decimal::from_whole(2000), 1},
                stamp("2026-01-10T09:30:00Z"));
    set_expectation(signal, Decimal::from_whole(40), std::nullopt, ImpactSettings{},
                    stamp("2026-01-10T10:00:00Z"));
    return signal;
}

Signal approved(SignalId id) {
    Signal signal = planned(id);
    decide_go(signal, Verdict::go, "worth it", k_settings, stamp("2026-01-11T09:00:00Z"));
    return signal;
}

Signal implemented(SignalId id) {
    Signal signal = approved(id);
    finish_action(signal, 2, stamp("2026-02-10T09:00:00Z"));
    finish_action(signal, 1, stamp("2026-02-20T09:00:00Z"));
    return signal;
}

void check_entry(const HistoryEntry& entry, std::string_view event, std::optional<State> from,
                 State to, std::string_view by, std::string_view when) {
    CAPTURE(event);
    CHECK(entry.event == event);
    CHECK(entry.from == from);
    CHECK(entry.to == to);
    CHECK(entry.stamp.by == by);
    CHECK(entry.stamp.at == at(when));
}

} // namespace

TEST_CASE("new_signal validates its input and starts the history") {
    Signal signal = submitted(1);
    CHECK(signal.state == State::submitted);
    CHECK(signal.step == 1);
    CHECK(signal.title == "The invoice is unclear");
    CHECK(signal.submitted_by == "anna@example.org");
    CHECK(signal.submitted_at == at("2026-01-05T09:00:00Z"));
    CHECK(signal.fields.at("channel") == "phone");
    REQUIRE(signal.submitters.size() == 1);
    CHECK(signal.submitters[0].email == "anna@example.org");
    CHECK(signal.submitters[0].via == "submit");
    REQUIRE(signal.history.size() == 1);
    check_entry(signal.history[0], "submit", std::nullopt, State::submitted, "anna",
                "2026-01-05T09:00:00Z");

    NewSignal earlier;
    earlier.title = "Delivery times";
    earlier.submitted_by = "bob@example.org";
    earlier.submitted_at = at("2025-12-24T08:00:00Z");
    const Signal back_dated = new_signal(earlier, stamp("2026-01-05T09:00:00Z"));
    CHECK(back_dated.submitted_at == at("2025-12-24T08:00:00Z"));
    CHECK(back_dated.updated_at == at("2026-01-05T09:00:00Z"));

    NewSignal no_title = earlier;
    no_title.title = "";
    CHECK_THROWS_AS(new_signal(no_title, stamp("2026-01-05T09:00:00Z")), InvalidInput);
    NewSignal bad_email = earlier;
    bad_email.submitted_by = "bob";
    CHECK_THROWS_AS(new_signal(bad_email, stamp("2026-01-05T09:00:00Z")), InvalidInput);
    NewSignal broken_field = earlier;
    broken_field.fields = {{"channel", "phone\nBcc: x@y.nl"}};
    CHECK_THROWS_AS(new_signal(broken_field, stamp("2026-01-05T09:00:00Z")), InvalidInput);
    NewSignal nul_external = earlier;
    nul_external.external_id = std::string("a\0b", 3);
    CHECK_THROWS_AS(new_signal(nul_external, stamp("2026-01-05T09:00:00Z")), InvalidInput);
}

TEST_CASE("the main path from submitted to closed with the worked example") {
    Signal signal = submitted(42);
    join(signal, "Bert@Example.org", "me too", stamp("2026-01-05T12:00:00Z", "bert"));

    accept(signal, stamp("2026-01-06T09:00:00Z", "tess"));
    CHECK(signal.state == State::accepted);
    CHECK(signal.step == 2);

    analyse(signal, worked_example_impact(), k_settings, stamp("2026-01-07T09:00:00Z", "ian"));
    CHECK(signal.state == State::analysed);
    CHECK(signal.step == 3);
    REQUIRE(signal.impact.has_value());
    CHECK(signal.impact->contacts == 12000);
    CHECK(signal.impact->satisfaction_impact == 4);
    CHECK(signal.impact->cost_per_contact == Decimal::from_whole(10));
    CHECK(signal.impact->satisfaction == Decimal::from_hundredths(690));
    const ImpactFigures figures = impact_figures(*signal.impact, k_settings);
    CHECK(figures.score == 48000);
    CHECK(figures.impact_class == ImpactClass::high);
    CHECK(figures.cost_per_period == Decimal::from_whole(120000));
    CHECK(figures.cost_per_year == Decimal::from_whole(1440000));
    CHECK(
        contains(signal.history.back().detail, "12,000 contacts × impact 4 = score 48,000 (high)"));

    prioritise(signal, Verdict::go, "billing is a top complaint", std::nullopt,
               stamp("2026-01-08T09:00:00Z", "pat"));
    CHECK(signal.state == State::prioritised);
    CHECK(signal.step == 4);
    REQUIRE(signal.decisions.size() == 1);
    CHECK(signal.decisions[0].gate == Gate::prioritise);
    CHECK(signal.decisions[0].verdict == Verdict::go);
    CHECK(signal.decisions[0].reason == "billing is a top complaint");
    CHECK(signal.decisions[0].stamp.by == "pat");

    RootCause cause;
    cause.cause = "The invoice does not say which period it covers";
    cause.method = "5 whys";
    cause.whys = {"customers do not understand the amount", "the period is missing"};
    record_root_cause(signal, cause, stamp("2026-01-09T09:00:00Z", "rita"));
    CHECK(signal.state == State::root_caused);
    CHECK(signal.step == 5);
    REQUIRE(signal.root_cause.has_value());
    CHECK(signal.root_cause->method == "5 whys");
    CHECK(signal.root_cause->whys.size() == 2);
    CHECK(signal.root_cause->stamp.by == "rita");

    const int action =
        plan_action(signal,
                    NewAction{"Redesign the invoice", "billing team", date("2026-03-01"),
                              Decimal::from_whole(30000), std::nullopt},
                    stamp("2026-01-10T09:00:00Z", "olga"));
    CHECK(action == 1);
    CHECK(signal.state == State::planned);
    CHECK(signal.step == 6);
    const int sub = plan_action(
        signal,
        NewAction{"Test the layout", "ux", date("2026-02-15"), Decimal::from_whole(2000), 1},
        stamp("2026-01-10T09:30:00Z", "olga"));
    CHECK(sub == 2);
    REQUIRE(signal.actions.size() == 2);
    CHECK(signal.actions[1].parent == 1);
    CHECK(signal.actions[1].status == ActionStatus::planned);
    CHECK(signal.actions[1].changed);

    set_expectation(signal, Decimal::from_whole(40), dec("0.5"), ImpactSettings{},
                    stamp("2026-01-10T10:00:00Z", "olga"));
    CHECK(signal.state == State::planned);
    CHECK(signal.expected_reduction == Decimal::from_whole(40));
    CHECK(signal.expected_satisfaction == Decimal::from_hundredths(50));

    const BusinessCase bc = business_case(signal, k_settings);
    CHECK(bc.expected_savings_per_year == Decimal::from_whole(576000));
    CHECK(bc.cost == Decimal::from_whole(32000));
    REQUIRE(bc.roi.has_value());
    CHECK(*bc.roi == doctest::Approx(17.0));

    decide_go(signal, Verdict::go, "business case holds", k_settings,
              stamp("2026-01-11T09:00:00Z", "dora"));
    CHECK(signal.state == State::approved);
    CHECK(signal.step == 7);
    REQUIRE(signal.decisions.size() == 2);
    CHECK(signal.decisions[1].gate == Gate::go_no_go);
    CHECK(signal.decisions[1].verdict == Verdict::go);

    progress_action(signal, 1, 50, stamp("2026-01-20T09:00:00Z", "olga"));
    CHECK(signal.state == State::in_progress);
    CHECK(signal.step == 8);
    CHECK(signal.actions[0].progress == 50);
    CHECK(signal.actions[0].status == ActionStatus::in_progress);

    finish_action(signal, 2, stamp("2026-02-10T09:00:00Z", "ux"));
    CHECK(signal.state == State::in_progress);
    CHECK(signal.actions[1].status == ActionStatus::done);
    CHECK(signal.actions[1].progress == 100);
    CHECK(signal.actions[1].done_at == at("2026-02-10T09:00:00Z"));

    finish_action(signal, 1, stamp("2026-02-20T09:00:00Z", "olga"));
    CHECK(signal.state == State::implemented);
    CHECK(signal.step == 8);

    measure(signal, 7000, dec("7.2"), "three months after", k_settings,
            stamp("2026-05-20T09:00:00Z", "mia"));
    CHECK(signal.state == State::measured);
    CHECK(signal.step == 9);
    REQUIRE(signal.measurements.size() == 1);
    CHECK(signal.measurements[0].contacts == 7000);
    CHECK(signal.measurements[0].satisfaction == Decimal::from_hundredths(720));
    const Effect e =
        effect(*signal.impact, signal.measurements[0], bc.expected_savings_per_year, k_settings);
    CHECK(e.contacts_saved == 5000);
    CHECK(e.saved_per_period == Decimal::from_whole(50000));
    CHECK(e.saved_per_year == Decimal::from_whole(600000));
    CHECK(e.satisfaction_delta == Decimal::from_hundredths(30));

    // The closed mail tells what was done: a measured signal needs the summary.
    CHECK_THROWS_AS(close(signal, std::nullopt, stamp("2026-05-21T09:00:00Z", "carl")),
                    InvalidInput);
    CHECK_THROWS_AS(close(signal, std::string("  "), stamp("2026-05-21T09:00:00Z", "carl")),
                    InvalidInput);
    CHECK(signal.state == State::measured);
    CHECK(signal.feedback.empty());
    close(signal, std::string("Invoices now name their period"),
          stamp("2026-05-21T09:00:00Z", "carl"));
    CHECK(signal.state == State::closed);
    CHECK(signal.step == 10);
    CHECK(signal.closing_summary == "Invoices now name their period");
    REQUIRE(signal.feedback.size() == 2);
    CHECK(signal.feedback[0].recipient == "anna@example.org");
    CHECK(signal.feedback[1].recipient == "Bert@Example.org");
    for (const Feedback& mail : signal.feedback) {
        CHECK(mail.outcome == Outcome::closed);
        CHECK(mail.status == DeliveryStatus::queued);
        CHECK(mail.queued_at == at("2026-05-21T09:00:00Z"));
    }
    CHECK(signal.updated_at == at("2026-05-21T09:00:00Z"));

    REQUIRE(signal.history.size() == 15);
    const auto& h = signal.history;
    check_entry(h[0], "submit", std::nullopt, State::submitted, "anna", "2026-01-05T09:00:00Z");
    check_entry(h[1], "join", State::submitted, State::submitted, "bert", "2026-01-05T12:00:00Z");
    check_entry(h[2], "accept", State::submitted, State::accepted, "tess", "2026-01-06T09:00:00Z");
    check_entry(h[3], "analyse", State::accepted, State::analysed, "ian", "2026-01-07T09:00:00Z");
    check_entry(h[4], "go", State::analysed, State::prioritised, "pat", "2026-01-08T09:00:00Z");
    check_entry(h[5], "root-cause", State::prioritised, State::root_caused, "rita",
                "2026-01-09T09:00:00Z");
    check_entry(h[6], "plan", State::root_caused, State::planned, "olga", "2026-01-10T09:00:00Z");
    check_entry(h[7], "plan", State::planned, State::planned, "olga", "2026-01-10T09:30:00Z");
    check_entry(h[8], "expect", State::planned, State::planned, "olga", "2026-01-10T10:00:00Z");
    check_entry(h[9], "approve", State::planned, State::approved, "dora", "2026-01-11T09:00:00Z");
    check_entry(h[10], "progress", State::approved, State::in_progress, "olga",
                "2026-01-20T09:00:00Z");
    check_entry(h[11], "progress", State::in_progress, State::in_progress, "ux",
                "2026-02-10T09:00:00Z");
    check_entry(h[12], "implemented", State::in_progress, State::implemented, "olga",
                "2026-02-20T09:00:00Z");
    check_entry(h[13], "measure", State::implemented, State::measured, "mia",
                "2026-05-20T09:00:00Z");
    check_entry(h[14], "close", State::measured, State::closed, "carl", "2026-05-21T09:00:00Z");
    CHECK(contains(h[14].detail, "feedback queued for 2 submitters"));
}

TEST_CASE("a step command refuses a signal at the wrong step and changes nothing") {
    Signal signal = submitted(8);
    const std::size_t history = signal.history.size();
    CHECK_THROWS_AS(
        analyse(signal, worked_example_impact(), k_settings, stamp("2026-01-06T09:00:00Z")),
        Refused);
    CHECK_THROWS_AS(
        prioritise(signal, Verdict::go, "", std::nullopt, stamp("2026-01-06T09:00:00Z")), Refused);
    CHECK_THROWS_AS(plan_action(signal, NewAction{"x", "", std::nullopt, Decimal{}, std::nullopt},
                                stamp("2026-01-06T09:00:00Z")),
                    Refused);
    CHECK_THROWS_AS(decide_go(signal, Verdict::go, "", k_settings, stamp("2026-01-06T09:00:00Z")),
                    Refused);
    CHECK_THROWS_AS(close(signal, std::nullopt, stamp("2026-01-06T09:00:00Z")), Refused);
    CHECK(signal.state == State::submitted);
    CHECK(signal.step == 1);
    CHECK(signal.history.size() == history);
    CHECK(signal.decisions.empty());
    CHECK(signal.actions.empty());
    CHECK(signal.feedback.empty());

    const std::string message = message_of([&] {
        RootCause cause;
        cause.cause = "x";
        record_root_cause(signal, cause, stamp("2026-01-06T09:00:00Z"));
    });
    CHECK(contains(message, "signal 8 is at step 1 (submitted)"));
    CHECK(contains(message, "Next: sileram triage 8"));
}

TEST_CASE("reject needs a reason and ends at step 2") {
    Signal signal = submitted(3);
    CHECK_THROWS_AS(reject(signal, "", stamp("2026-01-06T09:00:00Z")), InvalidInput);
    CHECK_THROWS_AS(reject(signal, "  \n\t", stamp("2026-01-06T09:00:00Z")), InvalidInput);
    CHECK(
        contains(message_of([&] { reject(signal, "", stamp("2026-01-06T09:00:00Z")); }), "empty"));
    CHECK(signal.state == State::submitted);
    CHECK(signal.history.size() == 1);

    reject(signal, "not a customer signal", stamp("2026-01-06T09:00:00Z", "tess"));
    CHECK(signal.state == State::rejected);
    CHECK(signal.step == 2);
    CHECK(signal.triage_reason == "not a customer signal");
    check_entry(signal.history.back(), "reject", State::submitted, State::rejected, "tess",
                "2026-01-06T09:00:00Z");
    CHECK(signal.history.back().detail == "not a customer signal");

    CHECK_THROWS_AS(accept(signal, stamp("2026-01-07T09:00:00Z")), Refused);
    CHECK_THROWS_AS(reject(signal, "again", stamp("2026-01-07T09:00:00Z")), Refused);
}

TEST_CASE("accept clears an earlier triage reason") {
    Signal signal = submitted(4);
    signal.triage_reason = "stale";
    accept(signal, stamp("2026-01-06T09:00:00Z"));
    CHECK_FALSE(signal.triage_reason.has_value());
}

TEST_CASE("a duplicate hands its submitters to the original without doubles") {
    Signal original = submitted(10, "anna@example.org");
    join(original, "bert@example.org", "", stamp("2026-01-05T10:00:00Z"));
    Signal dup = submitted(11, "ANNA@example.org");
    join(dup, "carl@example.org", "", stamp("2026-01-05T11:00:00Z"));
    join(dup, "Carl@Example.org", "", stamp("2026-01-05T11:30:00Z")); // same address: no-op
    CHECK(dup.submitters.size() == 2);

    mark_duplicate(dup, original, stamp("2026-01-06T09:00:00Z", "tess"));
    CHECK(dup.state == State::duplicate);
    CHECK(dup.step == 2);
    CHECK(dup.duplicate_of == 10);
    REQUIRE(dup.triage_reason.has_value());
    CHECK(contains(*dup.triage_reason, "10"));
    check_entry(dup.history.back(), "duplicate", State::submitted, State::duplicate, "tess",
                "2026-01-06T09:00:00Z");

    CHECK(original.state == State::submitted);
    REQUIRE(original.submitters.size() == 3);
    CHECK(original.submitters[0].email == "anna@example.org");
    CHECK(original.submitters[1].email == "bert@example.org");
    CHECK(original.submitters[2].email == "carl@example.org");
    CHECK(contains(original.submitters[2].via, "11"));
    CHECK(original.submitters[2].joined_at == at("2026-01-06T09:00:00Z"));
    CHECK(original.history.back().event == "merge");
    CHECK(original.history.back().from == State::submitted);
    CHECK(original.history.back().to == State::submitted);

    // Joining the duplicate sends people to the original.
    CHECK_THROWS_AS(join(dup, "dirk@example.org", "", stamp("2026-01-07T09:00:00Z")), Refused);
    CHECK(contains(
        message_of([&] { join(dup, "dirk@example.org", "", stamp("2026-01-07T09:00:00Z")); }),
        "--join 10"));

    // The duplicate closes with its own outcome, to its own submitters.
    close(dup, std::nullopt, stamp("2026-01-08T09:00:00Z"));
    CHECK(dup.state == State::closed);
    REQUIRE(dup.feedback.size() == 2);
    CHECK(dup.feedback[0].outcome == Outcome::duplicate);
    CHECK(dup.feedback[1].outcome == Outcome::duplicate);
}

TEST_CASE("a duplicate of an accepted original moves submitters along") {
    Signal original = submitted(20);
    accept(original, stamp("2026-01-06T09:00:00Z"));
    Signal dup = submitted(21, "new@example.org");
    mark_duplicate(dup, original, stamp("2026-01-07T09:00:00Z"));
    CHECK(original.state == State::accepted);
    CHECK(original.has_submitter("NEW@example.org"));
}

TEST_CASE("mark_duplicate refuses bad originals") {
    SUBCASE("itself") {
        Signal signal = submitted(5);
        CHECK_THROWS_AS(mark_duplicate(signal, signal, stamp("2026-01-06T09:00:00Z")),
                        InvalidInput);
        Signal copy = signal;
        CHECK(contains(
            message_of([&] { mark_duplicate(signal, copy, stamp("2026-01-06T09:00:00Z")); }),
            "itself"));
        CHECK(signal.state == State::submitted);
    }
    SUBCASE("a duplicate of a duplicate") {
        Signal first = submitted(1);
        Signal second = submitted(2, "bert@example.org");
        mark_duplicate(second, first, stamp("2026-01-06T09:00:00Z"));
        Signal third = submitted(3, "carl@example.org");
        CHECK_THROWS_AS(mark_duplicate(third, second, stamp("2026-01-06T10:00:00Z")), Refused);
        const std::string message =
            message_of([&] { mark_duplicate(third, second, stamp("2026-01-06T10:00:00Z")); });
        CHECK(contains(message, "signal 2 is itself a duplicate of signal 1"));
        CHECK(contains(message, "--duplicate-of 1"));
        CHECK(third.state == State::submitted);
        CHECK_FALSE(second.has_submitter("carl@example.org"));
    }
    SUBCASE("a closed original") {
        Signal original = submitted(1);
        reject(original, "noise", stamp("2026-01-06T09:00:00Z"));
        close(original, std::nullopt, stamp("2026-01-07T09:00:00Z"));
        Signal signal = submitted(2, "bert@example.org");
        CHECK_THROWS_AS(mark_duplicate(signal, original, stamp("2026-01-08T09:00:00Z")), Refused);
        CHECK(contains(
            message_of([&] { mark_duplicate(signal, original, stamp("2026-01-08T09:00:00Z")); }),
            "closed"));
        CHECK(signal.state == State::submitted);
        CHECK_FALSE(original.has_submitter("bert@example.org"));
    }
    SUBCASE("a rejected or dropped original") {
        Signal rejected = submitted(1);
        reject(rejected, "noise", stamp("2026-01-06T09:00:00Z"));
        Signal signal = submitted(2, "bert@example.org");
        CHECK_THROWS_AS(mark_duplicate(signal, rejected, stamp("2026-01-08T09:00:00Z")), Refused);
        Signal dropped = analysed(3);
        prioritise(dropped, Verdict::drop, "discontinued", std::nullopt,
                   stamp("2026-01-08T09:00:00Z"));
        CHECK_THROWS_AS(mark_duplicate(signal, dropped, stamp("2026-01-08T09:00:00Z")), Refused);
        CHECK(signal.state == State::submitted);
    }
    SUBCASE("a signal past triage cannot become a duplicate") {
        Signal original = submitted(1);
        Signal signal = submitted(2, "bert@example.org");
        accept(signal, stamp("2026-01-06T09:00:00Z"));
        CHECK_THROWS_AS(mark_duplicate(signal, original, stamp("2026-01-07T09:00:00Z")), Refused);
        CHECK_FALSE(original.has_submitter("bert@example.org"));
    }
}

TEST_CASE("impact input is validated") {
    Signal signal = submitted(6);
    accept(signal, stamp("2026-01-06T09:00:00Z"));
    const Stamp when = stamp("2026-01-07T09:00:00Z");

    ImpactInput input = worked_example_impact();
    SUBCASE("satisfaction impact 0 and 6 are out of range") {
        input.satisfaction_impact = 0;
        CHECK_THROWS_AS(analyse(signal, input, k_settings, when), InvalidInput);
        input.satisfaction_impact = 6;
        CHECK_THROWS_AS(analyse(signal, input, k_settings, when), InvalidInput);
        CHECK(contains(message_of([&] { analyse(signal, input, k_settings, when); }), "6"));
        input.satisfaction_impact = 1;
        analyse(signal, input, k_settings, when);
        CHECK(signal.impact->satisfaction_impact == 1);
        input.satisfaction_impact = 5;
        analyse(signal, input, k_settings, when);
        CHECK(signal.impact->satisfaction_impact == 5);
    }
    SUBCASE("negative contacts") {
        input.contacts = -1;
        CHECK_THROWS_AS(analyse(signal, input, k_settings, when), InvalidInput);
        CHECK(contains(message_of([&] { analyse(signal, input, k_settings, when); }), "-1"));
        input.contacts = 0;
        analyse(signal, input, k_settings, when);
        CHECK(signal.impact->contacts == 0);
    }
    SUBCASE("negative cost per contact") {
        input.cost_per_contact = dec("-0.01");
        CHECK_THROWS_AS(analyse(signal, input, k_settings, when), InvalidInput);
    }
    SUBCASE("the first analysis needs both axes") {
        ImpactInput only_contacts;
        only_contacts.contacts = 100;
        CHECK_THROWS_AS(analyse(signal, only_contacts, k_settings, when), InvalidInput);
        ImpactInput only_impact;
        only_impact.satisfaction_impact = 3;
        CHECK_THROWS_AS(analyse(signal, only_impact, k_settings, when), InvalidInput);
        CHECK(contains(message_of([&] { analyse(signal, only_impact, k_settings, when); }),
                       "--contacts"));
        CHECK_FALSE(signal.impact.has_value());
        CHECK(signal.state == State::accepted);
    }
    SUBCASE("satisfaction off the scale") {
        input.satisfaction = dec("10.01");
        CHECK_THROWS_AS(analyse(signal, input, k_settings, when), InvalidInput);
        input.satisfaction = dec("0.99");
        CHECK_THROWS_AS(analyse(signal, input, k_settings, when), InvalidInput);
        CHECK(contains(message_of([&] { analyse(signal, input, k_settings, when); }),
                       "satisfaction scale 1–10"));
        input.satisfaction = Decimal::from_whole(10);
        analyse(signal, input, k_settings, when);
        CHECK(signal.impact->satisfaction == Decimal::from_whole(10));
    }
    SUBCASE("the cost per contact defaults to the configured one") {
        ImpactSettings settings;
        settings.cost_per_contact = dec("2.50");
        ImpactInput no_cost;
        no_cost.contacts = 100;
        no_cost.satisfaction_impact = 2;
        analyse(signal, no_cost, settings, when);
        CHECK(signal.impact->cost_per_contact == dec("2.5"));
        CHECK_FALSE(signal.impact->satisfaction.has_value());
    }
    CHECK((signal.state == State::accepted || signal.state == State::analysed));
}

TEST_CASE("a later analysis corrects only what is given") {
    Signal signal = analysed(7);
    ImpactInput correction;
    correction.contacts = 15000;
    analyse(signal, correction, k_settings, stamp("2026-01-08T09:00:00Z"));
    CHECK(signal.state == State::analysed);
    CHECK(signal.impact->contacts == 15000);
    CHECK(signal.impact->satisfaction_impact == 4);
    CHECK(signal.impact->cost_per_contact == Decimal::from_whole(10));
    CHECK(signal.impact->satisfaction == dec("6.9"));

    // An invalid correction keeps the earlier figures.
    ImpactInput bad;
    bad.satisfaction_impact = 9;
    CHECK_THROWS_AS(analyse(signal, bad, k_settings, stamp("2026-01-09T09:00:00Z")), InvalidInput);
    CHECK(signal.impact->satisfaction_impact == 4);
}

TEST_CASE("contacts so large the score overflows are refused") {
    Signal signal = submitted(9);
    accept(signal, stamp("2026-01-06T09:00:00Z"));
    ImpactInput input;
    input.contacts = std::numeric_limits<std::int64_t>::max() / 10;
    input.satisfaction_impact = 1;
    input.cost_per_contact = Decimal::from_whole(10);
    CHECK_THROWS_AS(analyse(signal, input, k_settings, stamp("2026-01-07T09:00:00Z")),
                    InvalidInput);
    CHECK_FALSE(signal.impact.has_value());
}

TEST_CASE("impact figures at their bounds are taken, one above is refused") {
    Signal signal = submitted(10);
    accept(signal, stamp("2026-01-06T09:00:00Z"));
    const Stamp when = stamp("2026-01-07T09:00:00Z");
    ImpactInput input;
    input.satisfaction_impact = 5;
    input.contacts = k_max_contacts + 1;
    input.cost_per_contact = dec("0.01");
    CHECK_THROWS_WITH_AS(analyse(signal, input, k_settings, when),
                         doctest::Contains("--contacts 10000001 is too large; at most 10000000"),
                         InvalidInput);
    input.contacts = 1;
    input.cost_per_contact = k_max_cost_per_contact + dec("0.01");
    CHECK_THROWS_WITH_AS(analyse(signal, input, k_settings, when),
                         doctest::Contains("--cost-per-contact 10000.01 is too large"),
                         InvalidInput);
    // 4,000 contacts at 10,000 and 10,000,000 at 4 cost 40,000,000 a period: the bound.
    input.contacts = 4'001;
    input.cost_per_contact = k_max_cost_per_contact;
    CHECK_THROWS_WITH_AS(analyse(signal, input, k_settings, when),
                         doctest::Contains("sileram counts at most 40000000 per month"),
                         InvalidInput);
    CHECK_FALSE(signal.impact.has_value());
    input.contacts = 4'000;
    analyse(signal, input, k_settings, when);
    CHECK(impact_figures(*signal.impact, k_settings).cost_per_period == k_max_cost_per_period);
    input.contacts = k_max_contacts;
    input.cost_per_contact = dec("4.01");
    CHECK_THROWS_AS(analyse(signal, input, k_settings, when), InvalidInput);
    input.cost_per_contact = dec("4");
    analyse(signal, input, k_settings, when);
    CHECK(signal.impact->contacts == k_max_contacts);
    CHECK(impact_figures(*signal.impact, k_settings).score == 5 * k_max_contacts);
}

TEST_CASE("a measurement beyond the cost bound is refused") {
    Signal done = implemented(96); // baseline cost per contact 10
    CHECK_THROWS_WITH_AS(
        measure(done, 4'000'001, std::nullopt, "", k_settings, stamp("2026-03-01T09:00:00Z")),
        doctest::Contains("at most 40000000 per month"), InvalidInput);
    CHECK_THROWS_AS(measure(done, k_max_contacts + 1, std::nullopt, "", k_settings,
                            stamp("2026-03-01T09:00:00Z")),
                    InvalidInput);
    CHECK(done.measurements.empty());
    measure(done, 4'000'000, std::nullopt, "", k_settings, stamp("2026-03-01T09:00:00Z"));
    CHECK(done.measurements.size() == 1);
}

TEST_CASE("an action cost at its bound is taken, one cent above is refused") {
    Signal signal = root_caused(95);
    const Stamp when = stamp("2026-01-10T09:00:00Z");
    CHECK_THROWS_WITH_AS(plan_action(signal,
                                     NewAction{"Too dear", "", std::nullopt,
                                               k_max_action_cost + dec("0.01"), std::nullopt},
                                     when),
                         doctest::Contains("--cost 40000000.01 is too large"), InvalidInput);
    CHECK(signal.actions.empty());
    plan_action(signal, NewAction{"All of it", "", std::nullopt, k_max_action_cost, std::nullopt},
                when);
    CHECK(total_action_cost(signal) == k_max_action_cost);
}

TEST_CASE("park, revive with go; analyse again from parked") {
    Signal signal = analysed(12);
    CHECK_THROWS_AS(
        prioritise(signal, Verdict::park, " ", std::nullopt, stamp("2026-01-08T09:00:00Z")),
        InvalidInput);
    CHECK_THROWS_AS(
        prioritise(signal, Verdict::go, "", date("2026-06-01"), stamp("2026-01-08T09:00:00Z")),
        InvalidInput);
    CHECK(signal.state == State::analysed);
    CHECK(signal.decisions.empty());

    prioritise(signal, Verdict::park, "waiting for the new billing system", date("2026-06-01"),
               stamp("2026-01-08T09:00:00Z", "pat"));
    CHECK(signal.state == State::parked);
    CHECK(signal.step == 4);
    REQUIRE(signal.decisions.size() == 1);
    CHECK(signal.decisions[0].verdict == Verdict::park);
    CHECK(signal.decisions[0].until == date("2026-06-01"));
    check_entry(signal.history.back(), "park", State::analysed, State::parked, "pat",
                "2026-01-08T09:00:00Z");

    CHECK_THROWS_AS(close(signal, std::nullopt, stamp("2026-01-09T09:00:00Z")), Refused);
    CHECK_THROWS_AS(
        prioritise(signal, Verdict::park, "again", std::nullopt, stamp("2026-01-09T09:00:00Z")),
        Refused);

    SUBCASE("go revives it") {
        prioritise(signal, Verdict::go, "", std::nullopt, stamp("2026-06-02T09:00:00Z", "pat"));
        CHECK(signal.state == State::prioritised);
        CHECK(signal.step == 4);
        CHECK(signal.decisions.size() == 2);
        check_entry(signal.history.back(), "go", State::parked, State::prioritised, "pat",
                    "2026-06-02T09:00:00Z");
    }
    SUBCASE("new figures bring it back to analysed") {
        ImpactInput input;
        input.contacts = 20000;
        analyse(signal, input, k_settings, stamp("2026-06-02T09:00:00Z"));
        CHECK(signal.state == State::analysed);
        CHECK(signal.step == 3);
    }
    SUBCASE("it can be dropped from parked") {
        prioritise(signal, Verdict::drop, "never mind", std::nullopt,
                   stamp("2026-06-02T09:00:00Z"));
        CHECK(signal.state == State::dropped);
        CHECK(signal.step == 4);
    }
}

TEST_CASE("drop at priority (step 4) and close with outcome dropped") {
    Signal signal = analysed(13);
    join(signal, "bert@example.org", "", stamp("2026-01-07T10:00:00Z"));
    CHECK_THROWS_AS(
        prioritise(signal, Verdict::drop, "", std::nullopt, stamp("2026-01-08T09:00:00Z")),
        InvalidInput);
    prioritise(signal, Verdict::drop, "product is being discontinued", std::nullopt,
               stamp("2026-01-08T09:00:00Z", "pat"));
    CHECK(signal.state == State::dropped);
    CHECK(signal.step == 4);
    CHECK(signal.decisions.back().verdict == Verdict::drop);
    CHECK(signal.decisions.back().gate == Gate::prioritise);
    check_entry(signal.history.back(), "drop", State::analysed, State::dropped, "pat",
                "2026-01-08T09:00:00Z");
    CHECK_THROWS_AS(record_root_cause(signal, RootCause{"x", "", "", "", "", {}, {}, {}, {}},
                                      stamp("2026-01-09T09:00:00Z")),
                    Refused);

    close(signal, std::nullopt, stamp("2026-01-09T09:00:00Z", "carl"));
    CHECK(signal.state == State::closed);
    CHECK(signal.step == 10);
    REQUIRE(signal.feedback.size() == 2);
    CHECK(signal.feedback[0].outcome == Outcome::dropped);
    CHECK(signal.feedback[1].outcome == Outcome::dropped);
    check_entry(signal.history.back(), "close", State::dropped, State::closed, "carl",
                "2026-01-09T09:00:00Z");
}

TEST_CASE("drop at go/no-go (step 7) and close with outcome dropped") {
    Signal signal = planned(14);
    CHECK_THROWS_AS(decide_go(signal, Verdict::drop, "", k_settings, stamp("2026-01-11T09:00:00Z")),
                    InvalidInput);
    decide_go(signal, Verdict::drop, "department is being reorganised", k_settings,
              stamp("2026-01-11T09:00:00Z", "dora"));
    CHECK(signal.state == State::dropped);
    CHECK(signal.step == 7);
    REQUIRE(signal.decisions.size() == 2);
    CHECK(signal.decisions[1].gate == Gate::go_no_go);
    CHECK(signal.decisions[1].verdict == Verdict::drop);
    CHECK(signal.decisions[1].reason == "department is being reorganised");
    check_entry(signal.history.back(), "drop", State::planned, State::dropped, "dora",
                "2026-01-11T09:00:00Z");
    CHECK_THROWS_AS(progress_action(signal, 1, 10, stamp("2026-01-12T09:00:00Z")), Refused);

    close(signal, std::string("Reorganisation first"), stamp("2026-01-12T09:00:00Z"));
    CHECK(signal.state == State::closed);
    REQUIRE(signal.feedback.size() == 1);
    CHECK(signal.feedback[0].outcome == Outcome::dropped);
    CHECK(signal.feedback[0].recipient == "anna@example.org");
}

TEST_CASE("close queues one mail per distinct submitter with the right outcome") {
    SUBCASE("rejected") {
        Signal signal = submitted(30);
        join(signal, "bert@example.org", "", stamp("2026-01-05T10:00:00Z"));
        CHECK_FALSE(join(signal, "BERT@EXAMPLE.ORG", "", stamp("2026-01-05T11:00:00Z")));
        // Even if an address sneaks in twice with another case, one mail goes out.
        signal.submitters.push_back(Submitter{0, "Anna@Example.org", signal.submitted_at, "join"});
        reject(signal, "not about customers", stamp("2026-01-06T09:00:00Z"));
        close(signal, std::nullopt, stamp("2026-01-07T09:00:00Z"));
        CHECK(signal.state == State::closed);
        REQUIRE(signal.feedback.size() == 2);
        CHECK(signal.feedback[0].recipient == "anna@example.org");
        CHECK(signal.feedback[1].recipient == "bert@example.org");
        CHECK(signal.feedback[0].outcome == Outcome::rejected);
        CHECK(signal.feedback[1].outcome == Outcome::rejected);
        CHECK_FALSE(signal.closing_summary.has_value());
    }
    SUBCASE("measured") {
        Signal signal = implemented(31);
        measure(signal, 7000, dec("7.2"), "", k_settings, stamp("2026-05-01T09:00:00Z"));
        // The feedback mail tells what was done: a measured signal needs a summary to close.
        CHECK_THROWS_AS(close(signal, std::nullopt, stamp("2026-05-02T09:00:00Z")), InvalidInput);
        CHECK_THROWS_AS(close(signal, std::string("  "), stamp("2026-05-02T09:00:00Z")),
                        InvalidInput);
        CHECK(signal.feedback.empty());
        close(signal, std::string("New invoice layout"), stamp("2026-05-02T09:00:00Z"));
        REQUIRE(signal.feedback.size() == 1);
        CHECK(signal.feedback[0].outcome == Outcome::closed);
    }
    SUBCASE("a closed signal cannot close again") {
        Signal signal = submitted(32);
        reject(signal, "noise", stamp("2026-01-06T09:00:00Z"));
        close(signal, std::nullopt, stamp("2026-01-07T09:00:00Z"));
        CHECK_THROWS_AS(close(signal, std::nullopt, stamp("2026-01-08T09:00:00Z")), Refused);
        CHECK(signal.feedback.size() == 1);
    }
    SUBCASE("a summary with a NUL is refused before anything is queued") {
        Signal signal = submitted(33);
        reject(signal, "noise", stamp("2026-01-06T09:00:00Z"));
        CHECK_THROWS_AS(close(signal, std::string("a\0b", 3), stamp("2026-01-07T09:00:00Z")),
                        InvalidInput);
        CHECK(signal.feedback.empty());
        CHECK(signal.state == State::rejected);
    }
}

TEST_CASE("act: planning actions and sub-activities") {
    Signal signal = root_caused(40);
    const Stamp when = stamp("2026-01-10T09:00:00Z");
    CHECK_THROWS_AS(plan_action(signal, NewAction{"Sub", "", std::nullopt, Decimal{}, 1}, when),
                    Refused);
    CHECK(contains(message_of([&] {
                       plan_action(signal, NewAction{"Sub", "", std::nullopt, Decimal{}, 1}, when);
                   }),
                   "signal 40 has no action 1"));
    CHECK(signal.state == State::root_caused);
    CHECK(signal.actions.empty());

    CHECK_THROWS_AS(
        plan_action(signal, NewAction{" ", "", std::nullopt, Decimal{}, std::nullopt}, when),
        InvalidInput);
    CHECK_THROWS_AS(
        plan_action(signal, NewAction{"x", "", std::nullopt, dec("-1"), std::nullopt}, when),
        InvalidInput);
    CHECK_THROWS_AS(
        plan_action(signal, NewAction{"a\nb", "", std::nullopt, Decimal{}, std::nullopt}, when),
        InvalidInput);

    CHECK(plan_action(signal, NewAction{"One", "o", std::nullopt, Decimal{}, std::nullopt}, when) ==
          1);
    CHECK(plan_action(signal, NewAction{"Two", "o", std::nullopt, Decimal{}, std::nullopt}, when) ==
          2);
    CHECK(contains(message_of([&] {
                       plan_action(signal, NewAction{"Sub", "", std::nullopt, Decimal{}, 7}, when);
                   }),
                   "its actions are 1, 2"));
    CHECK(plan_action(signal, NewAction{"Under two", "o", std::nullopt, Decimal{}, 2}, when) == 3);
    CHECK(signal.find_action(3)->parent == 2);

    cancel_action(signal, 1, when);
    CHECK(signal.find_action(1)->status == ActionStatus::cancelled);
    CHECK(signal.state == State::planned);
    CHECK_THROWS_AS(
        plan_action(signal, NewAction{"Under one", "", std::nullopt, Decimal{}, 1}, when), Refused);
    // Numbers are never reused.
    CHECK(plan_action(signal, NewAction{"Four", "o", std::nullopt, Decimal{}, std::nullopt},
                      when) == 4);
}

TEST_CASE("act: expectations") {
    Signal signal = root_caused(41);
    const Stamp when = stamp("2026-01-10T09:00:00Z");
    CHECK_THROWS_AS(set_expectation(signal, std::nullopt, std::nullopt, ImpactSettings{}, when),
                    InvalidInput);
    CHECK_THROWS_AS(set_expectation(signal, dec("100.01"), std::nullopt, ImpactSettings{}, when),
                    InvalidInput);
    CHECK_THROWS_AS(set_expectation(signal, dec("-1"), std::nullopt, ImpactSettings{}, when),
                    InvalidInput);
    // On the default scale 1–10 a score changes by at most 9 either way.
    CHECK_THROWS_WITH_AS(set_expectation(signal, std::nullopt, dec("9.01"), ImpactSettings{}, when),
                         doctest::Contains("from -9 to 9"), InvalidInput);
    CHECK_THROWS_AS(set_expectation(signal, std::nullopt, dec("-9.01"), ImpactSettings{}, when),
                    InvalidInput);
    CHECK_THROWS_AS(set_expectation(signal, std::nullopt, dec("100"), ImpactSettings{}, when),
                    InvalidInput);
    CHECK(signal.state == State::root_caused);
    set_expectation(signal, std::nullopt, dec("0.3"), ImpactSettings{}, when);
    CHECK(signal.state == State::planned);
    CHECK_FALSE(signal.expected_reduction.has_value());
    CHECK(signal.expected_satisfaction == Decimal::from_hundredths(30));
    set_expectation(signal, Decimal::from_whole(100), std::nullopt, ImpactSettings{}, when);
    CHECK(signal.expected_reduction == Decimal::from_whole(100));
    CHECK(signal.expected_satisfaction == Decimal::from_hundredths(30));
}

TEST_CASE("act: approval needs a live action and an expected reduction") {
    const Stamp when = stamp("2026-01-11T09:00:00Z");
    SUBCASE("no action at all") {
        Signal signal = root_caused(50);
        set_expectation(signal, Decimal::from_whole(40), std::nullopt, ImpactSettings{}, when);
        CHECK_THROWS_AS(decide_go(signal, Verdict::go, "", k_settings, when), Refused);
        CHECK(contains(message_of([&] { decide_go(signal, Verdict::go, "", k_settings, when); }),
                       "--plan"));
        CHECK(signal.state == State::planned);
        CHECK(signal.decisions.size() == 1); // only the step-4 go
    }
    SUBCASE("only cancelled actions") {
        Signal signal = root_caused(51);
        plan_action(signal, NewAction{"One", "", std::nullopt, Decimal{}, std::nullopt}, when);
        set_expectation(signal, Decimal::from_whole(40), std::nullopt, ImpactSettings{}, when);
        cancel_action(signal, 1, when);
        CHECK_THROWS_AS(decide_go(signal, Verdict::go, "", k_settings, when), Refused);
        CHECK(signal.state == State::planned);
    }
    SUBCASE("no expected reduction") {
        Signal signal = root_caused(52);
        plan_action(signal, NewAction{"One", "", std::nullopt, Decimal{}, std::nullopt}, when);
        CHECK_THROWS_AS(decide_go(signal, Verdict::go, "", k_settings, when), Refused);
        CHECK(contains(message_of([&] { decide_go(signal, Verdict::go, "", k_settings, when); }),
                       "--expect-reduction"));
        set_expectation(signal, std::nullopt, dec("0.5"), ImpactSettings{}, when);
        CHECK_THROWS_AS(decide_go(signal, Verdict::go, "", k_settings, when), Refused);
        set_expectation(signal, Decimal::from_whole(10), std::nullopt, ImpactSettings{}, when);
        decide_go(signal, Verdict::go, "", k_settings, when);
        CHECK(signal.state == State::approved);
    }
}

TEST_CASE("act: executing actions") {
    const Stamp when = stamp("2026-02-01T09:00:00Z", "olga");
    SUBCASE("an action with open sub-activities cannot finish") {
        Signal signal = approved(60);
        CHECK_THROWS_AS(finish_action(signal, 1, when), Refused);
        CHECK(contains(message_of([&] { finish_action(signal, 1, when); }),
                       "open sub-activities (2)"));
        CHECK_THROWS_AS(progress_action(signal, 1, 100, when), Refused);
        CHECK(signal.find_action(1)->status == ActionStatus::planned);
        CHECK(signal.state == State::approved);
    }
    SUBCASE("progress 100 finishes an action") {
        Signal signal = approved(61);
        progress_action(signal, 2, 100, when);
        CHECK(signal.find_action(2)->status == ActionStatus::done);
        CHECK(signal.find_action(2)->progress == 100);
        CHECK(signal.find_action(2)->done_at == when.at);
        CHECK(signal.state == State::in_progress);
        progress_action(signal, 1, 100, when);
        CHECK(signal.find_action(1)->status == ActionStatus::done);
        CHECK(signal.state == State::implemented);
        check_entry(signal.history.back(), "implemented", State::in_progress, State::implemented,
                    "olga", "2026-02-01T09:00:00Z");
    }
    SUBCASE("progress outside 0-100 and on finished actions is refused") {
        Signal signal = approved(62);
        CHECK_THROWS_AS(progress_action(signal, 1, 101, when), InvalidInput);
        CHECK_THROWS_AS(progress_action(signal, 1, -1, when), InvalidInput);
        CHECK_THROWS_AS(progress_action(signal, 9, 10, when), Refused);
        finish_action(signal, 2, when);
        CHECK_THROWS_AS(progress_action(signal, 2, 50, when), Refused);
        CHECK_THROWS_AS(finish_action(signal, 2, when), Refused);
        CHECK_THROWS_AS(cancel_action(signal, 2, when), Refused);
    }
    SUBCASE("cancel cascades to sub-activities and can make the signal implemented") {
        Signal signal = approved(63);
        plan_action(signal,
                    NewAction{"Letter", "", std::nullopt, Decimal::from_whole(500), std::nullopt},
                    when);
        CHECK(signal.state == State::approved);
        plan_action(signal, NewAction{"Sub of sub", "", std::nullopt, Decimal{}, 2}, when);
        REQUIRE(signal.actions.size() == 4);
        finish_action(signal, 3, when);
        CHECK(signal.state == State::in_progress);

        cancel_action(signal, 1, when);
        CHECK(signal.find_action(1)->status == ActionStatus::cancelled);
        CHECK(signal.find_action(2)->status == ActionStatus::cancelled);
        CHECK(signal.find_action(4)->status == ActionStatus::cancelled);
        CHECK(signal.find_action(3)->status == ActionStatus::done);
        CHECK(signal.find_action(4)->changed);
        CHECK(signal.state == State::implemented);
        CHECK(signal.history.back().event == "implemented");
        CHECK(contains(signal.history.back().detail, "1, 2, 4"));

        const BusinessCase bc = business_case(signal, k_settings);
        CHECK(bc.cost == Decimal::from_whole(500));
    }
    SUBCASE("cancelling a sub-activity leaves its parent open") {
        Signal signal = approved(64);
        cancel_action(signal, 2, when);
        CHECK(signal.find_action(2)->status == ActionStatus::cancelled);
        CHECK(signal.find_action(1)->status == ActionStatus::planned);
        CHECK(signal.state == State::approved);
        finish_action(signal, 1, when);
        CHECK(signal.state == State::implemented);
    }
    SUBCASE("actions can still be planned while executing") {
        Signal signal = approved(65);
        progress_action(signal, 2, 10, when);
        CHECK(signal.state == State::in_progress);
        CHECK(plan_action(signal, NewAction{"Extra", "", std::nullopt, Decimal{}, std::nullopt},
                          when) == 3);
        CHECK(signal.state == State::in_progress);
    }
}

TEST_CASE("join") {
    Signal signal = submitted(70);
    const Stamp when = stamp("2026-01-05T10:00:00Z", "bert");
    CHECK(join(signal, "bert@example.org", "also seen by phone", when));
    REQUIRE(signal.submitters.size() == 2);
    CHECK(signal.submitters[1].email == "bert@example.org");
    CHECK(signal.submitters[1].via == "join");
    CHECK(signal.submitters[1].joined_at == when.at);
    CHECK(signal.history.back().event == "join");
    CHECK(signal.history.back().detail == "bert@example.org: also seen by phone");

    const std::size_t history = signal.history.size();
    CHECK_FALSE(join(signal, "ANNA@example.org", "", when));
    CHECK_FALSE(join(signal, "bert@example.org", "", when));
    CHECK(signal.submitters.size() == 2);
    CHECK(signal.history.size() == history);

    CHECK_THROWS_AS(join(signal, "not-an-email", "", when), InvalidInput);
    CHECK_THROWS_AS(join(signal, "carl@example.org", "a\nb", when), InvalidInput);

    reject(signal, "noise", stamp("2026-01-06T09:00:00Z"));
    CHECK(join(signal, "carl@example.org", "", when));
    close(signal, std::nullopt, stamp("2026-01-07T09:00:00Z"));
    CHECK_THROWS_AS(join(signal, "dirk@example.org", "", when), Refused);
    CHECK(contains(message_of([&] { join(signal, "dirk@example.org", "", when); }), "closed"));
    CHECK_FALSE(signal.has_submitter("dirk@example.org"));
}

TEST_CASE("measure") {
    SUBCASE("refused before implemented") {
        Signal signal = approved(80);
        CHECK_THROWS_AS(
            measure(signal, 7000, std::nullopt, "", k_settings, stamp("2026-03-01T09:00:00Z")),
            Refused);
        CHECK(contains(message_of([&] {
                           measure(signal, 7000, std::nullopt, "", k_settings,
                                   stamp("2026-03-01T09:00:00Z"));
                       }),
                       "(approved)"));
        CHECK(signal.measurements.empty());
        Signal fresh = submitted(81);
        CHECK_THROWS_AS(
            measure(fresh, 1, std::nullopt, "", k_settings, stamp("2026-03-01T09:00:00Z")),
            Refused);
    }
    SUBCASE("validated and repeatable") {
        Signal signal = implemented(82);
        CHECK_THROWS_AS(
            measure(signal, -1, std::nullopt, "", k_settings, stamp("2026-03-01T09:00:00Z")),
            InvalidInput);
        CHECK_THROWS_AS(
            measure(signal, 7000, dec("11"), "", k_settings, stamp("2026-03-01T09:00:00Z")),
            InvalidInput);
        CHECK(signal.measurements.empty());
        CHECK(signal.state == State::implemented);

        measure(signal, 8000, std::nullopt, "first", k_settings, stamp("2026-03-01T09:00:00Z"));
        measure(signal, 7000, dec("7.2"), "second", k_settings, stamp("2026-04-01T09:00:00Z"));
        CHECK(signal.state == State::measured);
        CHECK(signal.step == 9);
        REQUIRE(signal.measurements.size() == 2);
        CHECK(signal.measurements[0].note == "first");
        CHECK_FALSE(signal.measurements[0].satisfaction.has_value());
        CHECK(signal.measurements[1].stamp.at == at("2026-04-01T09:00:00Z"));
        CHECK(contains(signal.history.back().detail, "7,000 contacts (baseline 12,000)"));
    }
}

TEST_CASE("require_on_scale uses the configured bounds") {
    ImpactSettings settings;
    settings.satisfaction_min = Decimal::from_whole(0);
    settings.satisfaction_max = Decimal::from_whole(5);
    CHECK_NOTHROW(require_on_scale(Decimal::from_whole(0), settings, "--satisfaction"));
    CHECK_NOTHROW(require_on_scale(Decimal::from_whole(5), settings, "--satisfaction"));
    CHECK_THROWS_AS(require_on_scale(dec("5.01"), settings, "--satisfaction"), InvalidInput);
    CHECK_THROWS_AS(require_on_scale(dec("-0.01"), settings, "--satisfaction"), InvalidInput);
    CHECK(contains(message_of([&] { require_on_scale(dec("6.5"), settings, "--satisfaction"); }),
                   "--satisfaction 6.5 is off the satisfaction scale 0–5"));
}

// Contacts × satisfaction impact would overflow a 64-bit score: refused before it is computed
// (the ASan+UBSan build would abort on the overflow otherwise).
TEST_CASE("contacts whose score does not fit are refused before any arithmetic") {
    Signal signal = submitted(90);
    accept(signal, stamp("2026-01-06T09:00:00Z"));
    ImpactInput input;
    input.contacts = std::numeric_limits<std::int64_t>::max() / 2;
    input.satisfaction_impact = 5;
    input.cost_per_contact = Decimal{};
    CHECK_THROWS_AS(analyse(signal, input, k_settings, stamp("2026-01-07T09:00:00Z")),
                    InvalidInput);
    CHECK_FALSE(signal.impact.has_value());
    CHECK(signal.state == State::accepted);
}

TEST_CASE("an action that makes the total cost too large is refused") {
    Signal signal = root_caused(97);
    const Stamp when = stamp("2026-01-10T09:00:00Z");
    const Decimal huge = k_max_action_cost;
    plan_action(signal, NewAction{"Everything", "", std::nullopt, huge, std::nullopt}, when);
    CHECK_THROWS_AS(
        plan_action(signal, NewAction{"One cent more", "", std::nullopt, dec("0.01"), std::nullopt},
                    when),
        InvalidInput);
    CHECK(contains(message_of([&] {
                       plan_action(
                           signal,
                           NewAction{"One cent more", "", std::nullopt, dec("0.01"), std::nullopt},
                           when);
                   }),
                   "at most 40000000 together"));
}

TEST_CASE("an action that makes the total cost too large is not kept") {
    // Nothing is written by a failed command: the refused action must not stay on the signal.
    Signal signal = root_caused(99);
    const Stamp when = stamp("2026-01-10T09:00:00Z");
    const Decimal huge = k_max_action_cost;
    plan_action(signal, NewAction{"Everything", "", std::nullopt, huge, std::nullopt}, when);
    CHECK_THROWS_AS(
        plan_action(signal, NewAction{"One cent more", "", std::nullopt, dec("0.01"), std::nullopt},
                    when),
        InvalidInput);
    CHECK(signal.actions.size() == 1);
    CHECK(business_case(signal, k_settings).cost == huge);
}

TEST_CASE("a measurement whose savings cannot be counted is refused") {
    Signal done = implemented(98);
    CHECK_THROWS_AS(measure(done, std::numeric_limits<std::int64_t>::max(), std::nullopt, "",
                            k_settings, stamp("2026-03-01T09:00:00Z")),
                    InvalidInput);
    CHECK(done.measurements.empty());
    CHECK(done.state == State::implemented);
}

TEST_CASE("analyse refuses a signal at the wrong step before judging the figures") {
    // SPEC: a step command refuses a signal that is not at the step before it (exit 1), saying
    // where it is and what comes next; a half-given first analysis must not mask that (exit 2).
    Signal signal = submitted(91);
    ImpactInput only_contacts;
    only_contacts.contacts = 100;
    CHECK_THROWS_AS(analyse(signal, only_contacts, k_settings, stamp("2026-01-06T09:00:00Z")),
                    Refused);
    CHECK(contains(message_of([&] {
                       analyse(signal, only_contacts, k_settings, stamp("2026-01-06T09:00:00Z"));
                   }),
                   "Next: sileram triage 91"));

    Signal done = implemented(92);
    ImpactInput bad;
    bad.satisfaction_impact = 7;
    CHECK_THROWS_AS(analyse(done, bad, k_settings, stamp("2026-03-01T09:00:00Z")), Refused);
}

TEST_CASE("a refused analyse or expectation leaves the signal as it was") {
    Signal fresh = submitted(93);
    CHECK_THROWS_AS(
        analyse(fresh, worked_example_impact(), k_settings, stamp("2026-01-06T09:00:00Z")),
        Refused);
    CHECK_FALSE(fresh.impact.has_value());

    Signal done = implemented(94);
    ImpactInput correction;
    correction.contacts = 1;
    CHECK_THROWS_AS(analyse(done, correction, k_settings, stamp("2026-03-01T09:00:00Z")), Refused);
    CHECK(done.impact->contacts == 12000);

    Signal go = approved(95);
    CHECK_THROWS_AS(set_expectation(go, Decimal::from_whole(90), dec("1"), ImpactSettings{},
                                    stamp("2026-03-01T09:00:00Z")),
                    Refused);
    CHECK(go.expected_reduction == Decimal::from_whole(40));
    CHECK_FALSE(go.expected_satisfaction.has_value());
}

TEST_CASE("join names the note, not the title, when the note is bad") {
    Signal signal = submitted(96);
    const std::string message = message_of(
        [&] { join(signal, "bert@example.org", "line\nbreak", stamp("2026-01-06T09:00:00Z")); });
    CHECK(contains(message, "line break"));
    CHECK_FALSE(contains(message, "title"));
}

TEST_CASE("a question moves the signal to needs-info and mails every submitter once per question") {
    Signal signal = submitted(7);
    CHECK(join(signal, "bert@example.org", "", stamp("2026-01-05T10:00:00Z")));
    CHECK_THROWS_AS(ask_for_info(signal, " ", stamp("2026-01-06T09:00:00Z")), InvalidInput);
    ask_for_info(signal, "Which invoice?", stamp("2026-01-06T09:00:00Z"));
    CHECK(signal.state == State::needs_info);
    CHECK(signal.step == 2);
    REQUIRE(signal.feedback.size() == 2);
    for (const Feedback& f : signal.feedback) {
        CHECK(f.outcome == Outcome::needs_info);
        CHECK(f.question == 1);
        CHECK(f.detail == "Which invoice?");
        CHECK(stage_text(f) == "1");
    }
    CHECK(signal.history.back().event == "needs-info");
    CHECK(signal.history.back().detail == "Which invoice?");
    ask_for_info(signal, "Which page?", stamp("2026-01-06T10:00:00Z"));
    CHECK(signal.feedback.back().question == 2);

    CHECK_THROWS_AS(answer(signal, "", "", stamp("2026-01-07T09:00:00Z")), InvalidInput);
    CHECK_THROWS_AS(answer(signal, "Invoice 42", "not an address", stamp("2026-01-07T09:00:00Z")),
                    InvalidInput);
    answer(signal, "Invoice 42", "anna@example.org", stamp("2026-01-07T09:00:00Z"));
    CHECK(signal.state == State::submitted);
    CHECK(signal.step == 1);
    CHECK(signal.history.back().detail == "anna@example.org: Invoice 42");
    CHECK_THROWS_AS(answer(signal, "again", "", stamp("2026-01-07T10:00:00Z")), Refused);
}

TEST_CASE("triage decides straight from needs-info; a closed signal takes no question") {
    Signal signal = submitted(8);
    ask_for_info(signal, "Which invoice?", stamp("2026-01-06T09:00:00Z"));
    accept(signal, stamp("2026-01-07T09:00:00Z"));
    CHECK(signal.state == State::accepted);

    Signal rejected = submitted(9);
    ask_for_info(rejected, "Which invoice?", stamp("2026-01-06T09:00:00Z"));
    reject(rejected, "not a customer signal", stamp("2026-01-07T09:00:00Z"));
    close(rejected, std::nullopt, stamp("2026-01-08T09:00:00Z"));
    CHECK_THROWS_AS(ask_for_info(rejected, "Anything?", stamp("2026-01-09T09:00:00Z")), Refused);
}

TEST_CASE("an acknowledgement goes once to each submitter and names the day to hear by") {
    Signal signal = submitted(10);
    CHECK(acknowledge(signal, "anna@example.org", 5, stamp("2026-01-05T23:30:00Z")));
    CHECK_FALSE(acknowledge(signal, "ANNA@example.org", 5, stamp("2026-01-06T09:00:00Z")));
    CHECK(acknowledge(signal, "bert@example.org", std::nullopt, stamp("2026-01-06T09:00:00Z")));
    REQUIRE(signal.feedback.size() == 2);
    CHECK(signal.feedback[0].outcome == Outcome::acknowledged);
    CHECK(signal.feedback[0].detail == "2026-01-10");
    CHECK(stage_text(signal.feedback[0]).empty());
    CHECK(signal.feedback[1].detail.empty());
}

TEST_CASE("go keeps the business case as approved; a later expectation needs a revision") {
    Signal signal = root_caused(11);
    plan_action(signal,
                NewAction{"New layout", "billing", std::nullopt, dec("30000"), std::nullopt},
                stamp("2026-01-10T09:00:00Z"));
    set_expectation(signal, dec("40"), std::nullopt, k_settings, stamp("2026-01-10T10:00:00Z"));
    CHECK_THROWS_AS(set_expectation(signal, dec("30"), std::nullopt, k_settings,
                                    stamp("2026-01-10T11:00:00Z"), std::string("other")),
                    Refused);
    decide_go(signal, Verdict::go, "", k_settings, stamp("2026-01-11T09:00:00Z"));
    REQUIRE(signal.approved_case.has_value());
    CHECK(*signal.approved_case->expected_reduction == dec("40"));
    CHECK(*signal.approved_case->expected_savings_per_year == dec("576000"));
    CHECK(signal.approved_case->cost == dec("30000"));

    CHECK_THROWS_AS(
        set_expectation(signal, dec("30"), std::nullopt, k_settings, stamp("2026-01-12T09:00:00Z")),
        Refused);
    CHECK(contains(message_of([&] {
                       set_expectation(signal, dec("30"), std::nullopt, k_settings,
                                       stamp("2026-01-12T09:00:00Z"));
                   }),
                   "--revise REASON"));
    CHECK_THROWS_AS(set_expectation(signal, dec("30"), std::nullopt, k_settings,
                                    stamp("2026-01-12T09:00:00Z"), std::string("  ")),
                    InvalidInput);
    set_expectation(signal, dec("30"), std::nullopt, k_settings, stamp("2026-01-12T09:00:00Z"),
                    std::string("fewer customers affected"));
    CHECK(signal.state == State::approved);
    CHECK(signal.history.back().event == "revise");
    CHECK(contains(signal.history.back().detail, "fewer customers affected"));
    CHECK(*signal.approved_case->expected_reduction == dec("40"));

    const BusinessCase approved = approved_business_case(*signal.approved_case);
    const BusinessCase current = business_case(signal, k_settings);
    const BusinessCase d = case_difference(approved, current);
    CHECK(*d.expected_reduction == dec("-10"));
    CHECK(*d.expected_savings_per_year == dec("-144000"));
    CHECK(d.cost == Decimal());
    CHECK(approved.roi.has_value());
}
