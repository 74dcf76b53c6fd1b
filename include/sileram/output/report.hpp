#pragma once

#include "sileram/domain/decimal.hpp"
#include "sileram/domain/projects.hpp"
#include "sileram/domain/reports.hpp"
#include "sileram/output/terminal.hpp"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sileram::output {

// One value of a report, typed so that text, CSV and JSON show the same number each in its
// own way: text with thousands separators and the currency, CSV and JSON plain.
struct Cell {
    enum class Kind { empty, text, id, count, money, change, number, share, days, flag, counts };
    Kind kind = Kind::empty;
    std::string text;
    std::vector<std::pair<std::string, std::int64_t>> counts; // Kind::counts, in order
    std::int64_t whole = 0;
    domain::Decimal amount;
    double real = 0;
    Hue hue = Hue::none; // the text table's colour on a terminal; JSON and CSV ignore it

    static Cell none() { return {}; }
    // No value, shown as `shown` in the text table ("-"); JSON null, CSV empty.
    static Cell missing(std::string shown);
    static Cell of_text(std::string value);
    static Cell of_count(std::int64_t value);
    static Cell of_id(std::int64_t value); // a number without separators
    static Cell of_money(domain::Decimal value);
    static Cell of_money(const std::optional<domain::Decimal>& value);
    static Cell of_change(const std::optional<domain::Decimal>& value); // "+0.30"
    static Cell of_number(const std::optional<double>& value);          // two decimals
    static Cell of_share(const std::optional<double>& value); // 0-1: a bar and a percentage
    static Cell of_days(const std::optional<double>& value);  // one decimal
    static Cell of_flag(bool value); // text "yes" or blank, JSON true/false, CSV true/false
    // Named counts: text "analysed 3, parked 1", JSON {"analysed": 3, "parked": 1}.
    static Cell of_counts(std::vector<std::pair<std::string, std::int64_t>> value);
};

struct ReportColumn {
    std::string key;    // CSV header and JSON name
    std::string header; // the text table's heading
    bool shrinkable = false;
    std::size_t min_width = 0;
    int drop_rank = 0; // 0: always in the text table; else left out when narrow, highest first
};

// A section whose text shows its rows as a 2x2 grid, each cell one row (its first column as
// the cell's name, then each other column as "header: value").
struct Grid {
    std::string corner;
    std::array<std::string, 2> row_labels;
    std::array<std::string, 2> column_labels;
    std::array<std::array<std::size_t, 2>, 2> row_at; // row_at[r][c]: the section row shown there
};

// One table of a report with an optional line of totals under it.
struct Section {
    std::string name;  // JSON key, and what --section picks for CSV
    std::string title; // shown above the text table
    std::vector<ReportColumn> columns;
    std::vector<std::vector<Cell>> rows;
    std::vector<Cell> totals; // empty: no totals row; else one cell per column
    std::string note;         // a line under the table, e.g. "20 of 1,234 shown"
    std::optional<Grid> grid; // text only: the rows as a 2x2 grid instead of a table
};

// A key figure of a report, shown above its tables.
struct Figure {
    std::string key;   // JSON name
    std::string label; // text
    Cell value;
};

struct ReportDocument {
    std::string report;
    std::string currency;
    std::vector<Figure> summary; // key figures, shown first
    std::vector<Section> sections;
};

struct TextStyle {
    std::size_t width = 100;
    Color color = Color::off;
    std::string currency = "EUR";
};

// The report as aligned tables that fit `width`, leaving out the columns of the highest drop
// rank when they cannot; money in whole units with the currency in the column's heading,
// shares as a percentage and a bar that narrows first.
std::string render_text(const ReportDocument& document, const TextStyle& style);
// One section as RFC 4180 CSV with a header row; totals, if any, as a last row named "total".
std::string render_csv(const Section& section, char delimiter);
// The whole report: {"report", "currency", "summary": {...}, SECTION: [rows], "totals": {...}}.
nlohmann::ordered_json render_json(const ReportDocument& document);

// The text of a cell in a table, and as a CSV field.
std::string cell_text(const Cell& cell, const std::string& currency);
std::string cell_csv(const Cell& cell);
nlohmann::ordered_json cell_json(const Cell& cell);

// The help page of a report from its document without rows: the key figures, then each section
// with its name (what --section takes), its title and its columns (the text table's headings,
// with the JSON and CSV name where it differs), wrapped to `width`.
std::string report_outline(const ReportDocument& document, std::size_t width);

// Documents for each report.
ReportDocument impact_document(const domain::ImpactReport& report, const std::string& by,
                               const domain::ImpactSettings& impact);
ReportDocument funnel_document(const domain::FunnelReport& report);
ReportDocument effect_document(const domain::EffectReport& report,
                               const domain::ImpactSettings& impact);
ReportDocument fields_document(const std::vector<domain::FieldBreakdown>& fields,
                               std::int64_t signals, const domain::ImpactSettings& impact);
ReportDocument customers_document(const domain::CustomerReport& report, std::int64_t limit,
                                  const domain::ReportSettings& settings,
                                  const domain::ImpactSettings& impact);
ReportDocument overdue_document(const domain::OverdueReport& report,
                                const domain::ReportSettings& settings);
ReportDocument response_document(const domain::ResponseReport& report);
ReportDocument recurrence_document(const domain::RecurrenceReport& report);
ReportDocument scope_document(const domain::ScopeReport& report,
                              const domain::ImpactSettings& impact);
ReportDocument trend_document(const domain::TrendReport& report,
                              const domain::ImpactSettings& impact);

} // namespace sileram::output
