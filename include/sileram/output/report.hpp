#pragma once

#include "sileram/domain/decimal.hpp"
#include "sileram/domain/reports.hpp"
#include "sileram/output/terminal.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sileram::output {

// One value of a report, typed so that text, CSV and JSON show the same number each in its
// own way: text with thousands separators and the currency, CSV and JSON plain.
struct Cell {
    enum class Kind { empty, text, id, count, money, change, number, share, days };
    Kind kind = Kind::empty;
    std::string text;
    std::int64_t whole = 0;
    domain::Decimal amount;
    double real = 0;

    static Cell none() { return {}; }
    static Cell of_text(std::string value);
    static Cell of_count(std::int64_t value);
    static Cell of_id(std::int64_t value); // a number without separators
    static Cell of_money(domain::Decimal value);
    static Cell of_money(const std::optional<domain::Decimal>& value);
    static Cell of_change(const std::optional<domain::Decimal>& value); // "+0.30"
    static Cell of_number(const std::optional<double>& value);          // two decimals
    static Cell of_share(const std::optional<double>& value); // 0-1: a bar and a percentage
    static Cell of_days(const std::optional<double>& value);  // one decimal
};

struct ReportColumn {
    std::string key;    // CSV header and JSON name
    std::string header; // the text table's heading
    bool shrinkable = false;
    std::size_t min_width = 0;
};

// One table of a report with an optional line of totals under it.
struct Section {
    std::string name;  // JSON key, and what --section picks for CSV
    std::string title; // shown above the text table
    std::vector<ReportColumn> columns;
    std::vector<std::vector<Cell>> rows;
    std::vector<Cell> totals; // empty: no totals row; else one cell per column
    std::string note;         // a line under the table, e.g. "20 of 1,234 shown"
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

// The report as aligned tables that fit `width`; shares as bars.
std::string render_text(const ReportDocument& document, const TextStyle& style);
// One section as RFC 4180 CSV with a header row; totals, if any, as a last row named "total".
std::string render_csv(const Section& section, char delimiter);
// The whole report: {"report", "currency", "summary": {...}, SECTION: [rows], "totals": {...}}.
nlohmann::ordered_json render_json(const ReportDocument& document);

// The text of a cell in a table, and as a CSV field.
std::string cell_text(const Cell& cell, const std::string& currency);
std::string cell_csv(const Cell& cell);
nlohmann::ordered_json cell_json(const Cell& cell);

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

} // namespace sileram::output
