#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sileram::domain {

// Where a signal stands. The order is the main path; the off-path states follow.
enum class State {
    submitted,
    accepted,
    analysed,
    prioritised,
    root_caused,
    planned,
    approved,
    in_progress,
    implemented,
    measured,
    closed,
    rejected,
    duplicate,
    parked,
    dropped,
    needs_info,
};

// What happens to a signal; each event is one row or more of the transition table.
enum class Event {
    submit,
    accept,
    reject,
    mark_duplicate,
    analyse,
    prioritise,
    park,
    drop_at_priority,
    find_root_cause,
    plan_action,
    expect_effect,
    approve,
    drop_at_approval,
    progress,
    cancel_action,
    finish,
    measure,
    close,
    ask_for_info,
    answer,
    revise,
};

struct StateInfo {
    State state;
    std::string_view name;
    int step; // the step a signal in this state has reached (dropped: see Transition)
    std::string_view next_hint; // the command that moves it on; "{id}" stands for the signal's id
};

// Every state, its name in output and JSON, its step and what comes next.
// clang-format off
inline constexpr StateInfo k_states[] = {
    {State::submitted,   "submitted",   1,  "sileram triage {id} --accept | --reject REASON | --duplicate-of ID"},
    {State::accepted,    "accepted",    2,  "sileram impact {id} --contacts N --satisfaction-impact 1-5"},
    {State::analysed,    "analysed",    3,  "sileram impact {id} --go | --drop REASON | --park REASON"},
    {State::prioritised, "prioritised", 4,  "sileram root-cause {id} --cause TEXT"},
    {State::root_caused, "root-caused", 5,  "sileram act {id} --plan TITLE --owner X --due DATE --cost EUR"},
    {State::planned,     "planned",     6,  "sileram act {id} --expect-reduction PCT, then act {id} --go | --drop REASON"},
    {State::approved,    "approved",    7,  "sileram act {id} --progress ACTION=PCT | --done ACTION"},
    {State::in_progress, "in-progress", 8,  "sileram act {id} --progress ACTION=PCT | --done ACTION"},
    {State::implemented, "implemented", 8,  "sileram measure {id} --contacts N --satisfaction SCORE"},
    {State::measured,    "measured",    9,  "sileram close {id} --summary TEXT"},
    {State::closed,      "closed",      10, ""},
    {State::rejected,    "rejected",    2,  "sileram close {id}"},
    {State::duplicate,   "duplicate",   2,  "sileram close {id}"},
    {State::needs_info,  "needs-info",  2,  "sileram answer {id} TEXT --by EMAIL, or triage {id} --accept | --reject REASON"},
    {State::parked,      "parked",      4,  "sileram impact {id} --go | --drop REASON"},
    {State::dropped,     "dropped",     4,  "sileram close {id}"},
};
// clang-format on

// Open: still to be worked on. Closed, rejected, duplicate and dropped signals have their
// outcome (the last three wait only for their feedback mail); `list` shows the open ones by
// default and the duplicate guard of `submit` compares with them.
constexpr bool is_open(State state) {
    return state != State::closed && state != State::rejected && state != State::duplicate &&
           state != State::dropped;
}

// Counted by `report impact` (and its tallies): analysed and not yet measured (steps 3 to 8),
// and still open. The one place the rule lives; storage renders its SQL lists from the list
// below, in this order, which the SQLite partial index of the ranking also spells.
constexpr bool counts_for_impact(State state) {
    for (const StateInfo& s : k_states) {
        if (s.state == state) {
            return is_open(state) && s.step >= 3 && s.step <= 8;
        }
    }
    return false;
}
inline constexpr State k_impact_states[] = {
    State::analysed, State::prioritised, State::parked,      State::root_caused,
    State::planned,  State::approved,    State::in_progress, State::implemented,
};

struct Transition {
    Event event;
    State from;
    State to;
    int step; // the step reached, which for `dropped` depends on the gate
};

// The whole workflow: an event is allowed only from the states listed for it.
// clang-format off
inline constexpr Transition k_transitions[] = {
    {Event::accept,           State::submitted,   State::accepted,    2},
    {Event::reject,           State::submitted,   State::rejected,    2},
    {Event::mark_duplicate,   State::submitted,   State::duplicate,   2},
    {Event::ask_for_info,     State::submitted,   State::needs_info,  2},
    {Event::ask_for_info,     State::needs_info,  State::needs_info,  2},
    {Event::answer,           State::needs_info,  State::submitted,   1},
    {Event::accept,           State::needs_info,  State::accepted,    2},
    {Event::reject,           State::needs_info,  State::rejected,    2},
    {Event::mark_duplicate,   State::needs_info,  State::duplicate,   2},
    {Event::analyse,          State::accepted,    State::analysed,    3},
    {Event::analyse,          State::analysed,    State::analysed,    3},
    {Event::analyse,          State::parked,      State::analysed,    3},
    {Event::prioritise,       State::analysed,    State::prioritised, 4},
    {Event::prioritise,       State::parked,      State::prioritised, 4},
    {Event::park,             State::analysed,    State::parked,      4},
    {Event::drop_at_priority, State::analysed,    State::dropped,     4},
    {Event::drop_at_priority, State::parked,      State::dropped,     4},
    {Event::find_root_cause,  State::prioritised, State::root_caused, 5},
    {Event::find_root_cause,  State::root_caused, State::root_caused, 5},
    {Event::plan_action,      State::root_caused, State::planned,     6},
    {Event::plan_action,      State::planned,     State::planned,     6},
    {Event::plan_action,      State::approved,    State::approved,    7},
    {Event::plan_action,      State::in_progress, State::in_progress, 8},
    {Event::expect_effect,    State::root_caused, State::planned,     6},
    {Event::expect_effect,    State::planned,     State::planned,     6},
    {Event::revise,           State::approved,    State::approved,    7},
    {Event::revise,           State::in_progress, State::in_progress, 8},
    {Event::revise,           State::implemented, State::implemented, 8},
    {Event::revise,           State::measured,    State::measured,    9},
    {Event::approve,          State::planned,     State::approved,    7},
    {Event::drop_at_approval, State::planned,     State::dropped,     7},
    {Event::progress,         State::approved,    State::in_progress, 8},
    {Event::progress,         State::in_progress, State::in_progress, 8},
    {Event::cancel_action,    State::planned,     State::planned,     6},
    {Event::cancel_action,    State::approved,    State::approved,    7},
    {Event::cancel_action,    State::in_progress, State::in_progress, 8},
    {Event::finish,           State::in_progress, State::implemented, 8},
    {Event::finish,           State::approved,    State::implemented, 8},
    {Event::measure,          State::implemented, State::measured,    9},
    {Event::measure,          State::measured,    State::measured,    9},
    {Event::close,            State::measured,    State::closed,      10},
    {Event::close,            State::rejected,    State::closed,      10},
    {Event::close,            State::duplicate,   State::closed,      10},
    {Event::close,            State::dropped,     State::closed,      10},
};
// clang-format on

// States whose actions are being carried out (an action of such a signal can be overdue): the
// states `act --progress` moves on from.
constexpr bool carries_out_actions(State state) {
    for (const Transition& t : k_transitions) {
        if (t.event == Event::progress && t.from == state) {
            return true;
        }
    }
    return false;
}
inline constexpr State k_executing_states[] = {State::approved, State::in_progress};

// Whether `event` is a first response to the submitters: a verdict or a question that takes a
// signal out of `submitted` (accept, reject, duplicate, needs-info), as `report response` counts.
constexpr bool answers_submitter(Event event) {
    for (const Transition& t : k_transitions) {
        if (t.event == event && t.from == State::submitted && t.step == 2) {
            return true;
        }
    }
    return false;
}
inline constexpr Event k_response_events[] = {Event::accept, Event::reject, Event::mark_duplicate,
                                              Event::ask_for_info};

const StateInfo& info(State state);
std::string_view to_string(State state);
std::optional<State> parse_state(std::string_view name);
std::span<const StateInfo> all_states();

// The user's word for an event, as shown in history and in refusals ("triage --accept").
std::string_view command_of(Event event);
// The event's name in the history table ("accept", "root-cause").
std::string_view to_string(Event event);

// The transition `event` takes from `from`, or nullopt when the workflow does not allow it.
std::optional<Transition> find_transition(Event event, State from);

// The transition for `event`, or throws Refused naming where the signal is, which step the
// command needs and the command that comes next for this signal.
Transition require_transition(long long signal_id, State current, int current_step, Event event);

// The command that moves a signal in `state` on, with its id filled in; empty when closed.
std::string next_command(long long signal_id, State state);

} // namespace sileram::domain
