#include "../scope_sql.hpp"
#include "reports.hpp"
#include "sileram/errors.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

constexpr const char* k_projects =
    "SELECT name, customer, start_day, starts_at, created_at FROM projects "
    "ORDER BY ascii_lower(name) COLLATE \"C\"";

Date date_at(const Result& r, int row, int column) {
    const std::string text = r.text(row, column);
    if (const auto day = parse_date(text)) {
        return *day;
    }
    throw SystemFailure(fmt::format("the projects table holds the start day '{}', which sileram "
                                    "never writes",
                                    text));
}

} // namespace

std::vector<Project> read_projects(Connection& db) {
    const Result r = db.exec(k_projects);
    std::vector<Project> projects;
    projects.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
        projects.push_back(Project{r.text(row, 0), r.text(row, 1), date_at(r, row, 2),
                                   time_at(r, row, 3), time_at(r, row, 4)});
    }
    return projects;
}

ScopeData scope_report(Connection& db, const ReportFilter& filter) {
    ScopeData data;
    data.projects = read_projects(db);
    const Where signals_where = filter_where(filter, "s.submitted_at", Params());
    const Result signals =
        db.exec(fmt::format(fmt::runtime(k_scope_signals), signals_where.sql).c_str(),
                signals_where.params);
    for (int row = 0; row < signals.rows(); ++row) {
        data.signals.push_back(ScopeSignalInput{signals.text(row, 0), signals.integer(row, 1),
                                                signals.text(row, 2), signals.text(row, 3),
                                                state_at(signals, row, 4), time_at(signals, row, 5),
                                                signals.optional_integer(row, 6)});
    }
    const Where actions_where = filter_where(filter, "a.created_at", Params());
    const Result actions =
        db.exec(fmt::format(fmt::runtime(k_scope_actions), actions_where.sql).c_str(),
                actions_where.params);
    for (int row = 0; row < actions.rows(); ++row) {
        data.actions.push_back(ScopeActionInput{actions.text(row, 0), actions.integer(row, 1),
                                                static_cast<int>(actions.integer(row, 2)),
                                                actions.text(row, 3), time_at(actions, row, 4)});
    }
    return data;
}

} // namespace sileram::storage::postgres
