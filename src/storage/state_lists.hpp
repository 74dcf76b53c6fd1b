#pragma once

// The state lists both databases' SQL spells, rendered from the domain's tables, so the rule of
// which states a report counts lives in one place (domain/workflow.hpp).

#include "sileram/domain/workflow.hpp"

#include <fmt/format.h>
#include <span>
#include <string>
#include <string_view>

namespace sileram::storage {

// "('a', 'b', …)" for an IN clause: the states' names, quoted, in the order given.
inline std::string sql_state_list(std::span<const domain::State> states) {
    std::string list = "(";
    for (const domain::State state : states) {
        if (list.size() > 1) {
            list += ", ";
        }
        list += '\'';
        list += domain::to_string(state);
        list += '\'';
    }
    return list + ")";
}

// "('a', 'b', …)" for an IN clause: the events' names in the history, quoted, in the order given.
inline std::string sql_event_list(std::span<const domain::Event> events) {
    std::string list = "(";
    for (const domain::Event event : events) {
        if (list.size() > 1) {
            list += ", ";
        }
        list += '\'';
        list += domain::to_string(event);
        list += '\'';
    }
    return list + ")";
}

// The events that are a first response to the submitters (domain::answers_submitter).
inline const std::string& sql_response_events() {
    static const std::string list = sql_event_list(domain::k_response_events);
    return list;
}

// The quality-check verdicts `report trend` counts: the first of them is the signal's verdict.
inline const std::string& sql_verdict_events() {
    static constexpr domain::Event k_verdicts[] = {domain::Event::accept, domain::Event::reject,
                                                   domain::Event::mark_duplicate};
    static const std::string list = sql_event_list(k_verdicts);
    return list;
}

// The states `report impact` ranks (domain::counts_for_impact), as an IN list.
inline const std::string& sql_impact_states() {
    static const std::string list = sql_state_list(domain::k_impact_states);
    return list;
}

// The states whose overdue actions `report overdue` lists (domain::carries_out_actions).
inline const std::string& sql_executing_states() {
    static const std::string list = sql_state_list(domain::k_executing_states);
    return list;
}

// domain::can_recur for the signals aliased `alias`: closed, with a root cause and a
// measurement.
inline std::string sql_can_recur(std::string_view alias) {
    return fmt::format("{0}.state = '{1}' AND EXISTS (SELECT 1 FROM root_causes rc WHERE "
                       "rc.signal_id = {0}.id) AND EXISTS (SELECT 1 FROM measurements me WHERE "
                       "me.signal_id = {0}.id)",
                       alias, domain::to_string(domain::State::closed));
}

// Whether the signal aliased `alias` recurs a closed root cause: submit recorded it as a
// recurrence of a signal that can recur (sql_can_recur), and it came on or after that closing.
// CROSS JOIN keeps SQLite on the signal's own recurrences: left to choose, it scanned every
// closed signal for each one listed.
inline std::string sql_recurs_closed_cause(std::string_view alias) {
    return fmt::format("EXISTS (SELECT 1 FROM recurrences rr CROSS JOIN signals rs WHERE rs.id = "
                       "rr.closed_signal_id AND rr.signal_id = {0}.id AND {1} AND "
                       "{0}.submitted_at >= (SELECT max(rh.at) FROM history rh WHERE "
                       "rh.signal_id = rs.id AND rh.event = '{2}'))",
                       alias, sql_can_recur("rs"), domain::to_string(domain::Event::close));
}

// A CASE expression giving the step a history row leads to, from its `to_column` (and, for a
// state reached at more than one step, such as `dropped`, its `from_column`); `fallback` for a
// state the domain does not know. The history's own record of the funnel's step stays.
inline std::string sql_step_of_history(std::string_view to_column, std::string_view from_column,
                                       std::string_view fallback) {
    std::string sql = "CASE " + std::string(to_column);
    for (const domain::StateInfo& state : domain::k_states) {
        std::string by_origin;
        for (const domain::Transition& t : domain::k_transitions) {
            if (t.to == state.state && t.step != state.step) {
                by_origin += fmt::format(" WHEN '{}' THEN {}", domain::to_string(t.from), t.step);
            }
        }
        if (by_origin.empty()) {
            sql += fmt::format(" WHEN '{}' THEN {}", state.name, state.step);
        } else {
            // Every transition into it, so the step each origin leads to is spelled out.
            by_origin.clear();
            for (const domain::Transition& t : domain::k_transitions) {
                if (t.to == state.state) {
                    by_origin +=
                        fmt::format(" WHEN '{}' THEN {}", domain::to_string(t.from), t.step);
                }
            }
            sql += fmt::format(" WHEN '{}' THEN CASE {}{} ELSE {} END", state.name, from_column,
                               by_origin, fallback);
        }
    }
    return sql + fmt::format(" ELSE {} END", fallback);
}

} // namespace sileram::storage
