#include "../as_of_sql.hpp"
#include "reports.hpp"
#include "sileram/domain/reports.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

// The schema sileram's tables live in (connection.cpp sets the search path to it); the
// temporary objects, searched before it, shadow them.
constexpr std::string_view k_schema = "sileram.";

} // namespace

PastView::PastView(Connection& db, const std::optional<Timestamp>& end, const AsOfNeeds& needs)
    : m_db(db) {
    if (!end) {
        return;
    }
    // A moment sileram formats itself: digits, dashes, colons, T and Z only.
    const std::string at = "'" + format_timestamp(*end) + "'";
    m_open = true;
    m_db.exec(as_of_last_sql(at, k_schema, false).c_str());
    const Result info = m_db.exec(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'sileram' AND "
        "table_name = 'signals' ORDER BY ordinal_position");
    std::vector<std::string> columns;
    columns.reserve(static_cast<std::size_t>(info.rows()));
    for (int row = 0; row < info.rows(); ++row) {
        columns.push_back(info.text(row, 0));
    }
    m_db.exec(
        ("CREATE TEMP TABLE signals AS " + as_of_signals_select(at, k_schema, columns)).c_str());
    const AsOfNeeds& tables = needs;
    for (const std::string& sql : as_of_other_sql(at, k_schema, tables)) {
        m_db.exec(sql.c_str());
    }
    m_db.exec("CREATE UNIQUE INDEX ON pg_temp.signals (id)");
    std::string analyse = "ANALYZE pg_temp.signals";
    if (tables.actions) {
        m_db.exec("CREATE INDEX ON pg_temp.actions (signal_id, number)");
        analyse += ", pg_temp.actions";
    }
    if (tables.submitters) {
        m_db.exec("CREATE INDEX ON pg_temp.submitters (signal_id)");
        analyse += ", pg_temp.submitters";
    }
    // The figures of signals analysed again since, from the analysis of then.
    const Result reanalysed = m_db.exec(as_of_reanalysed_sql(at, k_schema).c_str());
    for (int row = 0; row < reanalysed.rows(); ++row) {
        if (const auto figures = parse_analysed_figures(reanalysed.text(row, 1))) {
            m_db.exec("UPDATE pg_temp.signals SET contacts = $1, satisfaction_impact = $2 "
                      "WHERE id = $3",
                      Params(figures->contacts, figures->satisfaction_impact,
                             reanalysed.integer(row, 0)));
        }
    }
    // Autovacuum never analyses a temporary table: without statistics the planner guesses.
    m_db.exec(analyse.c_str());
}

PastView::~PastView() {
    if (!m_open) {
        return;
    }
    try {
        for (const std::string_view view : k_as_of_views) {
            m_db.exec(fmt::format("DROP VIEW IF EXISTS pg_temp.{}", view).c_str());
        }
        for (const std::string_view table : k_as_of_tables) {
            m_db.exec(fmt::format("DROP TABLE IF EXISTS pg_temp.{}", table).c_str());
        }
    } catch (...) {
        // The session ends with the command; what is left goes with it.
    }
}

} // namespace sileram::storage::postgres
