#include "../scope_sql.hpp"
#include "reports.hpp"
#include "sileram/errors.hpp"

#include <fmt/format.h>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

constexpr const char* k_projects =
    "SELECT name, customer, start_day, starts_at, created_at FROM projects "
    "ORDER BY name COLLATE NOCASE";

Date date_of(const Statement& row, int column) {
    const std::string text = row.text(column);
    if (const auto day = parse_date(text)) {
        return *day;
    }
    throw SystemFailure(fmt::format("the projects table holds the start day '{}', which sileram "
                                    "never writes",
                                    text));
}

} // namespace

std::vector<Project> read_projects(Connection& db) {
    std::vector<Project> projects;
    Statement row = db.prepare(k_projects);
    while (row.step()) {
        projects.push_back(
            Project{row.text(0), row.text(1), date_of(row, 2), time_of(row, 3), time_of(row, 4)});
    }
    return projects;
}

ScopeData scope_report(Connection& db, const ReportFilter& filter) {
    ScopeData data;
    data.projects = read_projects(db);
    const Where signals_where = filter_where(filter, "s.submitted_at");
    Statement signals = db.prepare(fmt::format(fmt::runtime(k_scope_signals), signals_where.sql));
    bind_with_filter(signals, signals_where);
    while (signals.step()) {
        data.signals.push_back(ScopeSignalInput{
            signals.text(0), signals.integer(1), signals.text(2), signals.text(3),
            state_of(signals, 4), time_of(signals, 5), signals.optional_integer(6)});
    }
    const Where actions_where = filter_where(filter, "a.created_at");
    Statement actions = db.prepare(fmt::format(fmt::runtime(k_scope_actions), actions_where.sql));
    bind_with_filter(actions, actions_where);
    while (actions.step()) {
        data.actions.push_back(ScopeActionInput{actions.text(0), actions.integer(1),
                                                static_cast<int>(actions.integer(2)),
                                                actions.text(3), time_of(actions, 4)});
    }
    return data;
}

} // namespace sileram::storage::sqlite
