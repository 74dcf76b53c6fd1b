#include "../as_of_sql.hpp"
#include "reports.hpp"
#include "sileram/domain/reports.hpp"

#include <fmt/format.h>
#include <span>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

// The indexes the report queries name in INDEXED BY, made again on the rebuilt tables.
constexpr std::string_view k_named_indexes[] = {
    "signals_open_impact", "signals_open_score",   "signals_open_submitted", "actions_open_due",
    "actions_signal_cost", "submitters_joined_at", "submitters_joined_email"};

std::vector<std::string> columns_of(Connection& db, std::string_view table) {
    Statement info = db.prepare(fmt::format("PRAGMA main.table_info({})", table));
    std::vector<std::string> columns;
    while (info.step()) {
        columns.push_back(info.text(1));
    }
    return columns;
}

} // namespace

PastView::PastView(Connection& db, const std::optional<Timestamp>& end, const AsOfNeeds& needs,
                   bool indexes)
    : m_db(db) {
    if (!end) {
        return;
    }
    // A moment sileram formats itself: digits, dashes, colons, T and Z only.
    const std::string at = "'" + format_timestamp(*end) + "'";
    m_open = true;
    m_db.exec(as_of_last_sql(at, "main.", true));
    // The id as the rowid, as in the real table: filled in its order, looked up without an index.
    const std::vector<std::string> columns = columns_of(m_db, "signals");
    std::string declared;
    for (const std::string& column : columns) {
        declared += declared.empty() ? "" : ", ";
        declared += column == "id" ? std::string("id INTEGER PRIMARY KEY") : '"' + column + '"';
    }
    m_db.exec(fmt::format("CREATE TEMP TABLE signals ({})", declared));
    m_db.exec("INSERT INTO temp.signals " + as_of_signals_select(at, "main.", columns));
    for (const std::string& sql : as_of_other_sql(at, "main.", needs)) {
        m_db.exec(sql);
    }
    if (needs.actions) {
        m_db.exec("CREATE INDEX temp.as_of_actions_signal ON actions (signal_id, number)");
    }
    if (needs.submitters) {
        m_db.exec("CREATE INDEX temp.as_of_submitters_signal ON submitters (signal_id, email)");
    }
    for (const std::string_view name : indexes ? std::span<const std::string_view>(k_named_indexes)
                                               : std::span<const std::string_view>()) {
        Statement index =
            m_db.prepare("SELECT sql FROM main.sqlite_master WHERE type = 'index' AND name = ?");
        index.bind(1, std::string(name));
        // Only on the tables made: an index of a view's table is the real one already.
        if (index.step() && !index.is_null(0) && !name.starts_with("step_stays") &&
            (needs.actions || !name.starts_with("actions")) &&
            (needs.submitters || !name.starts_with("submitters"))) {
            std::string sql = index.text(0);
            const std::string head = fmt::format("CREATE INDEX {} ", name);
            if (sql.starts_with(head)) {
                m_db.exec(fmt::format("CREATE INDEX temp.{} {}", name, sql.substr(head.size())));
            }
        }
    }
    // The figures of signals analysed again since, from the analysis of then.
    Statement reanalysed = m_db.prepare(as_of_reanalysed_sql(at, "main."));
    Statement update =
        m_db.prepare("UPDATE temp.signals SET contacts = ?, satisfaction_impact = ? WHERE id = ?");
    while (reanalysed.step()) {
        if (const auto figures = parse_analysed_figures(reanalysed.text(1))) {
            update.reset();
            update.bind_all(figures->contacts, std::int64_t{figures->satisfaction_impact},
                            reanalysed.integer(0));
            update.run();
        }
    }
}

PastView::~PastView() {
    if (!m_open) {
        return;
    }
    try {
        for (const std::string_view view : k_as_of_views) {
            m_db.exec(fmt::format("DROP VIEW IF EXISTS temp.{}", view));
        }
        for (const std::string_view table : k_as_of_tables) {
            m_db.exec(fmt::format("DROP TABLE IF EXISTS temp.{}", table));
        }
    } catch (...) {
        // The connection ends with the command; what is left goes with it.
    }
}

} // namespace sileram::storage::sqlite
