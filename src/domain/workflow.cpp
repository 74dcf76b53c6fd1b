#include "sileram/domain/workflow.hpp"

#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <string>

namespace sileram::domain {

namespace {

struct EventInfo {
    Event event;
    std::string_view name;
    std::string_view command;
};

// clang-format off
constexpr EventInfo k_events[] = {
    {Event::submit,           "submit",          "submit"},
    {Event::accept,           "accept",          "triage --accept"},
    {Event::reject,           "reject",          "triage --reject"},
    {Event::mark_duplicate,   "duplicate",       "triage --duplicate-of"},
    {Event::analyse,          "analyse",         "impact"},
    {Event::prioritise,       "go",              "impact --go"},
    {Event::park,             "park",            "impact --park"},
    {Event::drop_at_priority, "drop",            "impact --drop"},
    {Event::find_root_cause,  "root-cause",      "root-cause"},
    {Event::plan_action,      "plan",            "act --plan"},
    {Event::expect_effect,    "expect",          "act --expect-reduction"},
    {Event::approve,          "approve",         "act --go"},
    {Event::drop_at_approval, "drop",            "act --drop"},
    {Event::progress,         "progress",        "act --progress"},
    {Event::cancel_action,    "cancel",          "act --cancel"},
    {Event::finish,           "implemented",     "act --done"},
    {Event::measure,          "measure",         "measure"},
    {Event::close,            "close",           "close"},
    {Event::ask_for_info,     "needs-info",      "triage --needs-info"},
    {Event::answer,           "answer",          "answer"},
    {Event::revise,           "revise",          "act --revise"},
};
// clang-format on

const EventInfo& event_info(Event event) {
    return *std::find_if(std::begin(k_events), std::end(k_events),
                         [event](const EventInfo& e) { return e.event == event; });
}

std::string join_state_names(Event event) {
    std::string names;
    for (const Transition& t : k_transitions) {
        if (t.event != event) {
            continue;
        }
        const std::string name{to_string(t.from)};
        if (names.find(name) != std::string::npos) {
            continue;
        }
        names += names.empty() ? name : " or " + name;
    }
    return names;
}

} // namespace

const StateInfo& info(State state) {
    return *std::find_if(std::begin(k_states), std::end(k_states),
                         [state](const StateInfo& s) { return s.state == state; });
}

std::string_view to_string(State state) {
    return info(state).name;
}

std::optional<State> parse_state(std::string_view name) {
    for (const StateInfo& s : k_states) {
        if (s.name == name) {
            return s.state;
        }
    }
    return std::nullopt;
}

std::span<const StateInfo> all_states() {
    return k_states;
}

std::string_view command_of(Event event) {
    return event_info(event).command;
}

std::string_view to_string(Event event) {
    return event_info(event).name;
}

std::optional<Transition> find_transition(Event event, State from) {
    for (const Transition& t : k_transitions) {
        if (t.event == event && t.from == from) {
            return t;
        }
    }
    return std::nullopt;
}

Transition require_transition(long long signal_id, State current, int current_step, Event event) {
    if (auto t = find_transition(event, current)) {
        return *t;
    }
    std::string message =
        fmt::format("signal {} is at step {} ({}); `{}` needs a signal that is {}", signal_id,
                    current_step, to_string(current), command_of(event), join_state_names(event));
    const std::string next = next_command(signal_id, current);
    message += next.empty() ? ". It is closed: nothing comes next." : ". Next: " + next;
    throw Refused(message);
}

std::string next_command(long long signal_id, State state) {
    std::string hint{info(state).next_hint};
    const std::string id = std::to_string(signal_id);
    for (auto pos = hint.find("{id}"); pos != std::string::npos; pos = hint.find("{id}", pos)) {
        hint.replace(pos, 4, id);
        pos += id.size();
    }
    return hint;
}

} // namespace sileram::domain
