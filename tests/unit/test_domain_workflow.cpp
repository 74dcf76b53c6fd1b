#include "sileram/domain/workflow.hpp"
#include "sileram/errors.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <set>
#include <string>
#include <utility>

using namespace sileram::domain;

using namespace test_support;

namespace {

constexpr Event k_all_events[] = {
    Event::submit,           Event::accept,      Event::reject,        Event::mark_duplicate,
    Event::analyse,          Event::prioritise,  Event::park,          Event::drop_at_priority,
    Event::find_root_cause,  Event::plan_action, Event::expect_effect, Event::approve,
    Event::drop_at_approval, Event::progress,    Event::cancel_action, Event::finish,
    Event::measure,          Event::close,       Event::ask_for_info,  Event::answer,
    Event::revise,
};

bool in_table(Event event, State from) {
    for (const Transition& t : k_transitions) {
        if (t.event == event && t.from == from) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_CASE("every state has a name, a step and round-trips through parse_state") {
    // clang-format off
    const std::pair<State, std::pair<std::string_view, int>> expected[] = {
        {State::submitted,   {"submitted",   1}},
        {State::accepted,    {"accepted",    2}},
        {State::analysed,    {"analysed",    3}},
        {State::prioritised, {"prioritised", 4}},
        {State::root_caused, {"root-caused", 5}},
        {State::planned,     {"planned",     6}},
        {State::approved,    {"approved",    7}},
        {State::in_progress, {"in-progress", 8}},
        {State::implemented, {"implemented", 8}},
        {State::measured,    {"measured",    9}},
        {State::closed,      {"closed",      10}},
        {State::rejected,    {"rejected",    2}},
        {State::duplicate,   {"duplicate",   2}},
        {State::parked,      {"parked",      4}},
        {State::dropped,     {"dropped",     4}},
        {State::needs_info,  {"needs-info",  2}},
    };
    // clang-format on
    CHECK(all_states().size() == std::size(expected));
    for (const auto& [state, expected_name_step] : expected) {
        const auto& name_step =
            expected_name_step; // CAPTURE cannot take a structured binding (clang 14)
        CAPTURE(name_step.first);
        CHECK(to_string(state) == name_step.first);
        CHECK(info(state).step == name_step.second);
        CHECK(info(state).state == state);
        const auto parsed = parse_state(name_step.first);
        REQUIRE(parsed.has_value());
        CHECK(*parsed == state);
    }
}

TEST_CASE("parse_state refuses unknown and differently spelled names") {
    CHECK_FALSE(parse_state("").has_value());
    CHECK_FALSE(parse_state("Submitted").has_value());
    CHECK_FALSE(parse_state("root_caused").has_value());
    CHECK_FALSE(parse_state("in progress").has_value());
    CHECK_FALSE(parse_state("open").has_value());
}

TEST_CASE("the state names are unique") {
    std::set<std::string_view> names;
    for (const StateInfo& s : all_states()) {
        CHECK(names.insert(s.name).second);
    }
    CHECK(names.size() == 16);
}

TEST_CASE("every event has a history name and a command") {
    for (Event event : k_all_events) {
        CHECK_FALSE(to_string(event).empty());
        CHECK_FALSE(command_of(event).empty());
    }
    CHECK(to_string(Event::accept) == "accept");
    CHECK(to_string(Event::find_root_cause) == "root-cause");
    CHECK(to_string(Event::prioritise) == "go");
    CHECK(to_string(Event::finish) == "implemented");
    CHECK(command_of(Event::accept) == "triage --accept");
    CHECK(command_of(Event::drop_at_approval) == "act --drop");
    CHECK(command_of(Event::park) == "impact --park");
}

TEST_CASE("every row of the transition table is allowed") {
    CHECK(std::size(k_transitions) == 44);
    for (const Transition& row : k_transitions) {
        CAPTURE(to_string(row.event));
        CAPTURE(to_string(row.from));
        const auto found = find_transition(row.event, row.from);
        REQUIRE(found.has_value());
        CHECK(found->event == row.event);
        CHECK(found->from == row.from);
        CHECK(found->to == row.to);
        CHECK(found->step == row.step);

        const Transition required = require_transition(7, row.from, info(row.from).step, row.event);
        CHECK(required.to == row.to);
        CHECK(required.step == row.step);
    }
}

TEST_CASE("no (event, state) pair appears twice in the table") {
    std::set<std::pair<int, int>> seen;
    for (const Transition& row : k_transitions) {
        CHECK(seen.insert({static_cast<int>(row.event), static_cast<int>(row.from)}).second);
    }
}

TEST_CASE("the steps reached by the main path and the off-path states") {
    CHECK(find_transition(Event::accept, State::submitted)->to == State::accepted);
    CHECK(find_transition(Event::reject, State::submitted)->to == State::rejected);
    CHECK(find_transition(Event::mark_duplicate, State::submitted)->to == State::duplicate);
    CHECK(find_transition(Event::prioritise, State::parked)->to == State::prioritised);
    CHECK(find_transition(Event::drop_at_priority, State::analysed)->step == 4);
    CHECK(find_transition(Event::drop_at_approval, State::planned)->step == 7);
    CHECK(find_transition(Event::drop_at_approval, State::planned)->to == State::dropped);
    CHECK(find_transition(Event::finish, State::approved)->to == State::implemented);
    for (State from : {State::measured, State::rejected, State::duplicate, State::dropped}) {
        const auto t = find_transition(Event::close, from);
        REQUIRE(t.has_value());
        CHECK(t->to == State::closed);
        CHECK(t->step == 10);
    }
    CHECK_FALSE(find_transition(Event::close, State::parked).has_value());
    CHECK_FALSE(find_transition(Event::close, State::closed).has_value());
    CHECK_FALSE(find_transition(Event::submit, State::submitted).has_value());
}

TEST_CASE("every pair outside the table is refused with where the signal is and what is next") {
    int refused = 0;
    for (Event event : k_all_events) {
        for (const StateInfo& state : all_states()) {
            if (in_table(event, state.state)) {
                continue;
            }
            CAPTURE(to_string(event));
            CAPTURE(state.name);
            CHECK_FALSE(find_transition(event, state.state).has_value());
            CHECK_THROWS_AS(require_transition(42, state.state, state.step, event),
                            sileram::Refused);
            try {
                require_transition(42, state.state, state.step, event);
            } catch (const sileram::Refused& e) {
                ++refused;
                const std::string message = e.what();
                CHECK(e.code() == sileram::ExitCode::refused);
                CHECK(contains(message, "signal 42"));
                CHECK(contains(message, fmt::format("step {}", state.step)));
                CHECK(contains(message, fmt::format("({})", state.name)));
                CHECK(contains(message, command_of(event)));
                const std::string next = next_command(42, state.state);
                if (state.state == State::closed) {
                    CHECK(next.empty());
                    CHECK(contains(message, "closed"));
                } else {
                    CHECK_FALSE(next.empty());
                    CHECK(contains(message, "Next: " + next));
                }
            }
        }
    }
    CHECK(refused == static_cast<int>(std::size(k_all_events) * all_states().size() -
                                      std::size(k_transitions)));
}

TEST_CASE("a refusal names the states the command needs and the command that comes next") {
    try {
        require_transition(3, State::submitted, 1, Event::find_root_cause);
        FAIL("expected a refusal");
    } catch (const sileram::Refused& e) {
        const std::string message = e.what();
        CHECK(contains(message, "signal 3 is at step 1 (submitted)"));
        CHECK(contains(message, "`root-cause`"));
        CHECK(contains(message, "prioritised or root-caused"));
        CHECK(contains(message, "triage"));
        CHECK(contains(message, "Next: sileram triage 3 --accept"));
    }
    try {
        require_transition(9, State::closed, 10, Event::close);
        FAIL("expected a refusal");
    } catch (const sileram::Refused& e) {
        const std::string message = e.what();
        CHECK(contains(message, "signal 9 is at step 10 (closed)"));
        CHECK(contains(message, "measured or rejected or duplicate or dropped"));
        CHECK(contains(message, "nothing comes next"));
        CHECK_FALSE(contains(message, "Next:"));
    }
    try {
        // A dropped signal carries the step of the gate it was dropped at.
        require_transition(5, State::dropped, 7, Event::measure);
        FAIL("expected a refusal");
    } catch (const sileram::Refused& e) {
        const std::string message = e.what();
        CHECK(contains(message, "signal 5 is at step 7 (dropped)"));
        CHECK(contains(message, "Next: sileram close 5"));
    }
}

TEST_CASE("next_command fills in the id everywhere and is empty when closed") {
    CHECK(next_command(12, State::submitted) ==
          "sileram triage 12 --accept | --reject REASON | --duplicate-of ID");
    CHECK(next_command(12, State::accepted) ==
          "sileram impact 12 --contacts N --satisfaction-impact 1-5");
    CHECK(next_command(7, State::planned) ==
          "sileram act 7 --expect-reduction PCT, then act 7 --go | --drop REASON");
    CHECK(next_command(1234567, State::measured) == "sileram close 1234567 --summary TEXT");
    CHECK(next_command(3, State::rejected) == "sileram close 3");
    CHECK(next_command(3, State::parked) == "sileram impact 3 --go | --drop REASON");
    CHECK(next_command(3, State::closed).empty());
    for (const StateInfo& s : all_states()) {
        const std::string next = next_command(99, s.state);
        CAPTURE(s.name);
        CHECK_FALSE(contains(next, "{id}"));
        if (s.state != State::closed) {
            CHECK(contains(next, "sileram "));
            CHECK(contains(next, " 99"));
        }
    }
}

TEST_CASE("a signal waiting for an answer goes back to submitted, or is triaged straight away") {
    CHECK(find_transition(Event::ask_for_info, State::submitted)->to == State::needs_info);
    CHECK(find_transition(Event::ask_for_info, State::submitted)->step == 2);
    CHECK(find_transition(Event::ask_for_info, State::needs_info)->to == State::needs_info);
    CHECK(find_transition(Event::answer, State::needs_info)->to == State::submitted);
    CHECK(find_transition(Event::answer, State::needs_info)->step == 1);
    for (const Event verdict : {Event::accept, Event::reject, Event::mark_duplicate}) {
        CHECK(find_transition(verdict, State::needs_info).has_value());
    }
    CHECK(is_open(State::needs_info));
    CHECK_FALSE(find_transition(Event::ask_for_info, State::closed).has_value());
    CHECK_FALSE(find_transition(Event::answer, State::submitted).has_value());
}

TEST_CASE("after approval the expectation changes only by a revision") {
    for (const State state :
         {State::approved, State::in_progress, State::implemented, State::measured}) {
        CAPTURE(to_string(state));
        CHECK_FALSE(find_transition(Event::expect_effect, state).has_value());
        CHECK(find_transition(Event::revise, state)->to == state);
    }
    CHECK_FALSE(find_transition(Event::revise, State::planned).has_value());
}

TEST_CASE("the impact report counts the open states from analysed until measured") {
    std::set<State> listed(std::begin(k_impact_states), std::end(k_impact_states));
    CHECK(listed.size() == std::size(k_impact_states));
    for (const StateInfo& s : k_states) {
        CAPTURE(s.name);
        CHECK(counts_for_impact(s.state) == (listed.count(s.state) == 1));
    }
    CHECK(counts_for_impact(State::parked));
    CHECK(counts_for_impact(State::implemented));
    CHECK_FALSE(counts_for_impact(State::accepted));
    CHECK_FALSE(counts_for_impact(State::measured));
    // Dropped has a step within the range but its outcome: not open.
    CHECK_FALSE(counts_for_impact(State::dropped));
}

TEST_CASE("actions can be overdue while the signal is carried out: approved and in progress") {
    std::set<State> listed(std::begin(k_executing_states), std::end(k_executing_states));
    for (const StateInfo& s : k_states) {
        CAPTURE(s.name);
        CHECK(carries_out_actions(s.state) == (listed.count(s.state) == 1));
    }
    CHECK(listed == std::set<State>{State::approved, State::in_progress});
}

TEST_CASE("a first response is a verdict or a question on a submitted signal") {
    std::set<Event> listed(std::begin(k_response_events), std::end(k_response_events));
    CHECK(listed.size() == std::size(k_response_events));
    for (const Transition& t : k_transitions) {
        CAPTURE(to_string(t.event));
        CHECK(answers_submitter(t.event) == (listed.count(t.event) == 1));
    }
    CHECK(listed == std::set<Event>{Event::accept, Event::reject, Event::mark_duplicate,
                                    Event::ask_for_info});
    // The answer to a question and the steps after triage are no response to the submitter.
    CHECK_FALSE(answers_submitter(Event::answer));
    CHECK_FALSE(answers_submitter(Event::analyse));
    CHECK_FALSE(answers_submitter(Event::submit));
}
