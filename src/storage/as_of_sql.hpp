#pragma once

// The SQL both databases use to rebuild the past for `report … --as-of`: the report queries run
// unchanged on temporary tables and views of the same names as the real ones (which a temporary
// object shadows in SQLite and PostgreSQL alike), holding what the history says was there just
// before the moment `end`. Only what changes in place needs a table of its own (signals, step
// stays, actions, submitters); what is only ever added is a view on the real table, so that its
// indexes serve.

#include "sileram/domain/signal.hpp"
#include "sileram/domain/workflow.hpp"
#include "state_lists.hpp"

#include <fmt/format.h>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::storage {

// The last history row of every signal before `end` ({0}: its quoted moment; {1}: the schema of
// the real tables, "main." or "sileram."): its state, the state before it and its moment, and
// how many impact analyses and expectations came before. SQLite takes the bare columns from the
// row of max(id) (the one min/max aggregate of the query); PostgreSQL joins that row.
inline std::string as_of_last_sql(std::string_view end, std::string_view schema, bool bare) {
    static constexpr domain::Event k_expect[] = {domain::Event::expect_effect,
                                                 domain::Event::revise};
    static const std::string expect = sql_event_list(k_expect);
    const std::string counts =
        fmt::format("count(CASE WHEN event = 'analyse' THEN 1 END) AS analysed, "
                    "count(CASE WHEN event IN {} THEN 1 END) AS expected",
                    expect);
    if (bare) {
        return fmt::format("CREATE TEMP TABLE as_of_last AS SELECT signal_id, max(id) AS last, "
                           "to_state, from_state, at, {2} FROM {1}history WHERE at < {0} "
                           "GROUP BY signal_id",
                           end, schema, counts);
    }
    return fmt::format("CREATE TEMP TABLE as_of_last AS SELECT l.*, h.to_state, h.from_state, "
                       "h.at FROM (SELECT signal_id, max(id) AS last, {2} FROM {1}history "
                       "WHERE at < {0} GROUP BY signal_id) l JOIN {1}history h ON h.id = l.last",
                       end, schema, counts);
}

// The step of each state (`h` the last history row): a dropped signal's from where it was
// dropped; unchanged when the state is the signal's state now.
inline std::string as_of_step_sql() {
    std::string sql = "CASE WHEN l.to_state = s.state THEN s.step";
    for (const domain::StateInfo& info : domain::all_states()) {
        if (info.state == domain::State::dropped) {
            sql += fmt::format(" WHEN l.to_state = '{}' THEN CASE WHEN l.from_state = '{}' "
                               "THEN 7 ELSE 4 END",
                               info.name, domain::to_string(domain::State::planned));
        } else {
            sql += fmt::format(" WHEN l.to_state = '{}' THEN {}", info.name, info.step);
        }
    }
    return sql + " END";
}

// The expression of each column of `signals` that was different before `end`; every other
// column is as it is now.
inline std::map<std::string, std::string> as_of_signal_columns(std::string_view end) {
    const std::string analysed = "l.analysed = 0";
    const std::string expected = "l.expected = 0";
    const std::string approved = fmt::format("s.approved_at IS NULL OR s.approved_at >= {}", end);
    const auto unless = [](const std::string& condition, std::string_view column) {
        return fmt::format("CASE WHEN {} THEN NULL ELSE s.{} END", condition, column);
    };
    std::map<std::string, std::string> c;
    c["state"] = "l.to_state";
    // No report reads it: not copied, the largest column by far.
    c["description"] = "''";
    c["step"] = as_of_step_sql();
    c["updated_at"] = "l.at";
    for (const char* column :
         {"contacts", "satisfaction_impact", "cost_per_contact_cents", "satisfaction_hundredths"}) {
        c[column] = unless(analysed, column);
    }
    for (const char* column :
         {"expected_reduction_hundredths", "expected_satisfaction_hundredths"}) {
        c[column] = unless(expected, column);
    }
    for (const char* column :
         {"approved_at", "approved_reduction_hundredths", "approved_satisfaction_hundredths",
          "approved_savings_per_year_cents", "approved_cost_cents"}) {
        c[column] = unless(approved, column);
    }
    c["closing_summary"] = "CASE WHEN l.to_state = 'closed' THEN s.closing_summary END";
    c["triage_reason"] = "CASE WHEN l.to_state = 'submitted' THEN NULL ELSE s.triage_reason END";
    c["duplicate_of"] = "CASE WHEN l.to_state = 'duplicate' THEN s.duplicate_of END";
    return c;
}

// The rows of the rebuilt `signals`, its columns in order.
inline std::string as_of_signals_select(std::string_view end, std::string_view schema,
                                        const std::vector<std::string>& columns) {
    const auto changed = as_of_signal_columns(end);
    std::string list;
    for (const std::string& column : columns) {
        const auto it = changed.find(column);
        list += list.empty() ? "" : ", ";
        list += it == changed.end() ? "s." + column : it->second + " AS " + column;
    }
    return fmt::format("SELECT {} FROM as_of_last l JOIN {}signals s ON s.id = l.signal_id", list,
                       schema);
}

// The signals analysed again after `end`: the last analysis before it, whose text holds the
// contacts and satisfaction impact of then.
inline std::string as_of_reanalysed_sql(std::string_view end, std::string_view schema) {
    return fmt::format("SELECT h.signal_id, h.detail FROM {1}history h WHERE h.id IN (SELECT "
                       "max(id) FROM {1}history WHERE event = 'analyse' AND at < {0} AND "
                       "signal_id IN (SELECT signal_id FROM {1}history WHERE event = 'analyse' "
                       "AND at >= {0}) GROUP BY signal_id)",
                       end, schema);
}

// The tables a report reads beyond `signals` and the views: step stays (SQLite's funnel),
// actions (effect, overdue), submitters (overdue).
struct AsOfNeeds {
    bool stays = false;
    bool actions = false;
    bool submitters = false;
};

// The other tables: those that change in place rebuilt, the rest as views ({0}: end, {1}:
// schema).
inline std::vector<std::string> as_of_other_sql(std::string_view end, std::string_view schema,
                                                const AsOfNeeds& needs) {
    std::vector<std::string> sql;
    const auto add = [&](std::string_view text) {
        sql.push_back(fmt::format(fmt::runtime(text), end, schema));
    };
    if (needs.stays) {
        add("CREATE TEMP VIEW step_stays AS SELECT id, signal_id, step, entered_at, CASE WHEN "
            "left_at < {0} THEN left_at END AS left_at, CASE WHEN left_at < {0} THEN seconds END "
            "AS "
            "seconds FROM {1}step_stays WHERE entered_at < {0}");
    }
    if (needs.actions) {
        add("CREATE TEMP TABLE actions AS SELECT id, signal_id, number, parent_number, title, "
            "owner, "
            "due, cost_cents, CASE WHEN status = 'done' AND done_at >= {0} THEN 'in-progress' ELSE "
            "status END AS status, progress, created_at, CASE WHEN done_at < {0} THEN done_at END "
            "AS done_at, project FROM {1}actions WHERE created_at < {0}");
    }
    if (needs.submitters) {
        add("CREATE TEMP TABLE submitters AS SELECT * FROM {1}submitters WHERE joined_at < {0}");
    }
    add("CREATE TEMP VIEW history AS SELECT * FROM {1}history WHERE at < {0}");
    add("CREATE TEMP VIEW measurements AS SELECT * FROM {1}measurements WHERE measured_at < {0}");
    add("CREATE TEMP VIEW decisions AS SELECT * FROM {1}decisions WHERE decided_at < {0}");
    add("CREATE TEMP VIEW root_causes AS SELECT * FROM {1}root_causes WHERE recorded_at < {0}");
    add("CREATE TEMP VIEW feedback AS SELECT * FROM {1}feedback WHERE queued_at < {0}");
    add("CREATE TEMP VIEW projects AS SELECT * FROM {1}projects WHERE created_at < {0}");
    return sql;
}

// What the rebuild creates, to drop it again in reverse order.
inline constexpr std::string_view k_as_of_views[] = {
    "projects", "feedback", "root_causes", "decisions", "measurements", "history", "step_stays"};
inline constexpr std::string_view k_as_of_tables[] = {"submitters", "actions", "signals",
                                                      "as_of_last"};

} // namespace sileram::storage
