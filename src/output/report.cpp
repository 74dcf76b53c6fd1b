#include "sileram/output/report.hpp"

#include "sileram/domain/rounding.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/output/csv.hpp"
#include "sileram/output/format.hpp"
#include "sileram/output/table.hpp"

#include <cmath>
#include <fmt/format.h>

namespace sileram::output {

namespace {

constexpr std::size_t k_bar_width = 10;

bool is_numeric(Cell::Kind kind) {
    return kind != Cell::Kind::text && kind != Cell::Kind::empty;
}

} // namespace

Cell Cell::of_text(std::string value) {
    Cell c;
    c.kind = Kind::text;
    c.text = std::move(value);
    return c;
}

Cell Cell::of_count(std::int64_t value) {
    Cell c;
    c.kind = Kind::count;
    c.whole = value;
    return c;
}

Cell Cell::of_id(std::int64_t value) {
    Cell c;
    c.kind = Kind::id;
    c.whole = value;
    return c;
}

Cell Cell::of_money(domain::Decimal value) {
    Cell c;
    c.kind = Kind::money;
    c.amount = value;
    return c;
}

Cell Cell::of_money(const std::optional<domain::Decimal>& value) {
    return value ? of_money(*value) : none();
}

Cell Cell::of_change(const std::optional<domain::Decimal>& value) {
    if (!value) {
        return none();
    }
    Cell c;
    c.kind = Kind::change;
    c.amount = *value;
    return c;
}

namespace {

// A real-valued cell rounded to `unit`; none for a missing or non-finite value.
Cell real_cell(Cell::Kind kind, const std::optional<double>& value, double unit) {
    if (!value || !std::isfinite(*value)) {
        return Cell::none();
    }
    Cell c;
    c.kind = kind;
    c.real = domain::rounded(*value, unit);
    return c;
}

} // namespace

Cell Cell::of_number(const std::optional<double>& value) {
    return real_cell(Kind::number, value, 0.01);
}

Cell Cell::of_share(const std::optional<double>& value) {
    return real_cell(Kind::share, value, 0.0001);
}

Cell Cell::of_days(const std::optional<double>& value) {
    return real_cell(Kind::days, value, 0.1);
}

std::string cell_text(const Cell& cell, const std::string& currency) {
    switch (cell.kind) {
    case Cell::Kind::empty:
        return "";
    case Cell::Kind::text:
        return cell.text;
    case Cell::Kind::id:
        return std::to_string(cell.whole);
    case Cell::Kind::count:
        return count(cell.whole);
    case Cell::Kind::money:
        return money(cell.amount, currency);
    case Cell::Kind::change:
        return change(cell.amount);
    case Cell::Kind::number:
        return group_thousands(fmt::format("{:.2f}", cell.real));
    case Cell::Kind::share:
        return fmt::format("{} {:5.1f}%", bar(cell.real, k_bar_width), cell.real * 100.0);
    case Cell::Kind::days:
        return group_thousands(fmt::format("{:.1f}", cell.real));
    }
    return "";
}

std::string cell_csv(const Cell& cell) {
    switch (cell.kind) {
    case Cell::Kind::empty:
        return "";
    case Cell::Kind::text:
        return cell.text;
    case Cell::Kind::id:
    case Cell::Kind::count:
        return std::to_string(cell.whole);
    case Cell::Kind::money:
        return cell.amount.to_fixed();
    case Cell::Kind::change:
        return cell.amount.to_fixed();
    case Cell::Kind::number:
        return fmt::format("{:.2f}", cell.real);
    case Cell::Kind::share:
        return fmt::format("{:.4f}", cell.real);
    case Cell::Kind::days:
        return fmt::format("{:.1f}", cell.real);
    }
    return "";
}

nlohmann::ordered_json cell_json(const Cell& cell) {
    switch (cell.kind) {
    case Cell::Kind::empty:
        return nullptr;
    case Cell::Kind::text:
        return cell.text;
    case Cell::Kind::id:
    case Cell::Kind::count:
        return cell.whole;
    case Cell::Kind::money:
    case Cell::Kind::change:
        return cell.amount.to_double();
    case Cell::Kind::number:
    case Cell::Kind::share:
    case Cell::Kind::days:
        return cell.real;
    }
    return nullptr;
}

std::string render_text(const ReportDocument& document, const TextStyle& style) {
    std::string out;
    const auto heading = [&](const std::string& stored) {
        const std::string text = domain::printable(stored, domain::Lines::single);
        if (style.color == Color::on) {
            out.append(k_style_bold).append(text).append(k_style_reset);
        } else {
            out.append(text);
        }
        out.push_back('\n');
    };
    if (!document.summary.empty()) {
        Table summary({{""}, {"", Align::right}});
        for (const Figure& f : document.summary) {
            summary.add_row({f.label, cell_text(f.value, style.currency)});
        }
        std::string lines = summary.render(style.width, Color::off);
        // The summary has no headings: drop the empty header line.
        lines.erase(0, lines.find('\n') + 1);
        out += lines;
    }
    for (const Section& section : document.sections) {
        if (!out.empty()) {
            out.push_back('\n');
        }
        heading(section.title);
        if (section.rows.empty()) {
            out += "(none)\n";
            continue;
        }
        std::vector<Column> columns;
        // A column is right-aligned when it holds numbers.
        for (std::size_t i = 0; i < section.columns.size(); ++i) {
            bool numeric = false;
            for (const auto& row : section.rows) {
                if (i < row.size() && row[i].kind != Cell::Kind::empty) {
                    numeric = is_numeric(row[i].kind) && row[i].kind != Cell::Kind::share;
                    break;
                }
            }
            const ReportColumn& c = section.columns[i];
            columns.push_back(Column{c.header, numeric ? Align::right : Align::left, c.shrinkable,
                                     c.min_width, Overflow::truncate});
        }
        Table table(columns);
        for (const auto& row : section.rows) {
            std::vector<std::string> cells;
            for (const Cell& cell : row) {
                cells.push_back(cell_text(cell, style.currency));
            }
            table.add_row(std::move(cells));
        }
        if (!section.totals.empty()) {
            std::vector<std::string> cells;
            for (const Cell& cell : section.totals) {
                cells.push_back(cell_text(cell, style.currency));
            }
            table.add_row(std::move(cells));
        }
        out += table.render(style.width, style.color);
        if (!section.note.empty()) {
            out += domain::printable(section.note, domain::Lines::multi) + "\n";
        }
    }
    return out;
}

std::string render_csv(const Section& section, char delimiter) {
    std::vector<std::string> header;
    for (const ReportColumn& c : section.columns) {
        header.push_back(c.key);
    }
    std::string out = csv_record(header, delimiter);
    const auto add = [&](const std::vector<Cell>& row) {
        std::vector<CsvCell> fields;
        for (const Cell& cell : row) {
            fields.push_back(
                CsvCell{cell_csv(cell), is_numeric(cell.kind) ? CsvKind::number : CsvKind::text});
        }
        fields.resize(section.columns.size());
        out += csv_record(fields, delimiter);
    };
    for (const auto& row : section.rows) {
        add(row);
    }
    if (!section.totals.empty()) {
        add(section.totals);
    }
    return out;
}

nlohmann::ordered_json render_json(const ReportDocument& document) {
    nlohmann::ordered_json out;
    out["report"] = document.report;
    out["currency"] = document.currency;
    nlohmann::ordered_json summary = nlohmann::ordered_json::object();
    for (const Figure& f : document.summary) {
        summary[f.key] = cell_json(f.value);
    }
    out["summary"] = summary;
    nlohmann::ordered_json totals = nlohmann::ordered_json::object();
    for (const Section& section : document.sections) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        const auto object = [&](const std::vector<Cell>& row) {
            nlohmann::ordered_json o = nlohmann::ordered_json::object();
            for (std::size_t i = 0; i < section.columns.size(); ++i) {
                o[section.columns[i].key] = i < row.size() ? cell_json(row[i]) : nullptr;
            }
            return o;
        };
        for (const auto& row : section.rows) {
            rows.push_back(object(row));
        }
        out[section.name] = rows;
        if (!section.totals.empty()) {
            totals[section.name] = object(section.totals);
        }
    }
    out["totals"] = totals;
    return out;
}

} // namespace sileram::output
