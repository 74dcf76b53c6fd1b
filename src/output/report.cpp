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
// " 40.0%": the part of a share cell that is never cut.
constexpr std::size_t k_share_number_width = 6;

bool is_numeric(Cell::Kind kind) {
    return kind != Cell::Kind::text && kind != Cell::Kind::empty && kind != Cell::Kind::flag &&
           kind != Cell::Kind::counts;
}

std::string counts_text(const Cell& cell, bool grouped) {
    std::string out;
    for (const auto& [name, n] : cell.counts) {
        if (!out.empty()) {
            out += ", ";
        }
        out += fmt::format("{} {}", name, grouped ? count(n) : std::to_string(n));
    }
    return out;
}

} // namespace

Cell Cell::of_text(std::string value) {
    Cell c;
    c.kind = Kind::text;
    c.text = std::move(value);
    return c;
}

Cell Cell::missing(std::string shown) {
    Cell c;
    c.text = std::move(shown);
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

Cell Cell::of_flag(bool value) {
    Cell c;
    c.kind = Kind::flag;
    c.whole = value ? 1 : 0;
    return c;
}

Cell Cell::of_counts(std::vector<std::pair<std::string, std::int64_t>> value) {
    Cell c;
    c.kind = Kind::counts;
    c.counts = std::move(value);
    return c;
}

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
        return fmt::format("{:5.1f}% {}", cell.real * 100.0, bar(cell.real, k_bar_width));
    case Cell::Kind::days:
        return group_thousands(fmt::format("{:.1f}", cell.real));
    case Cell::Kind::flag:
        return cell.whole != 0 ? "yes" : "";
    case Cell::Kind::counts:
        return counts_text(cell, true);
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
    case Cell::Kind::change:
        return cell.amount.to_fixed();
    case Cell::Kind::number:
        return fmt::format("{:.2f}", cell.real);
    case Cell::Kind::share:
        return fmt::format("{:.4f}", cell.real);
    case Cell::Kind::days:
        return fmt::format("{:.1f}", cell.real);
    case Cell::Kind::flag:
        return cell.whole != 0 ? "true" : "false";
    case Cell::Kind::counts:
        return counts_text(cell, false);
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
    case Cell::Kind::flag:
        return cell.whole != 0;
    case Cell::Kind::counts: {
        nlohmann::ordered_json object = nlohmann::ordered_json::object();
        for (const auto& [name, n] : cell.counts) {
            object[name] = n;
        }
        return object;
    }
    }
    return nullptr;
}

namespace {

// The cell text of every column after the first, "header: value", one per line.
std::string grid_cell(const Section& section, const std::vector<Cell>& row,
                      const std::string& currency, std::string_view separator) {
    std::string text;
    for (std::size_t i = 1; i < row.size() && i < section.columns.size(); ++i) {
        if (i > 1) {
            text.append(separator);
        }
        const bool money = row[i].kind == Cell::Kind::money;
        // A bar in a wrapped cell would break over lines: the percentage alone says it.
        const std::string value = money ? whole_money(row[i].amount)
                                  : row[i].kind == Cell::Kind::share
                                      ? fmt::format("{:.1f}%", row[i].real * 100.0)
                                      : cell_text(row[i], currency);
        text +=
            fmt::format("{}{}: {}", section.columns[i].header, money ? " " + currency : "", value);
    }
    return text;
}

std::string render_grid(const Section& section, const Grid& grid, const TextStyle& style) {
    Table table({{grid.corner},
                 {grid.column_labels[0], Align::left, true, 12, Overflow::wrap},
                 {grid.column_labels[1], Align::left, true, 12, Overflow::wrap}});
    for (std::size_t r = 0; r < 2; ++r) {
        std::vector<std::string> cells{grid.row_labels[r]};
        for (std::size_t c = 0; c < 2; ++c) {
            const std::size_t index = grid.row_at[r][c];
            if (index >= section.rows.size() || section.rows[index].empty()) {
                cells.emplace_back();
                continue;
            }
            const std::vector<Cell>& row = section.rows[index];
            cells.push_back(cell_text(row[0], style.currency) + "\n" +
                            grid_cell(section, row, style.currency, "\n"));
        }
        table.add_row(std::move(cells));
    }
    std::string out = table.render(style.width, style.color);
    if (!section.totals.empty()) {
        const std::string total = cell_text(section.totals[0], style.currency) + ": " +
                                  grid_cell(section, section.totals, style.currency, ", ");
        for (const std::string& line : wrap_to_width(total, style.width)) {
            out.append(line).push_back('\n');
        }
    }
    return out;
}

} // namespace

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
            // One figure per line: the currency stands with it, in whole units like the tables.
            summary.add_row(
                {f.label, f.value.kind == Cell::Kind::money
                              ? fmt::format("{} {}", style.currency, whole_money(f.value.amount))
                              : cell_text(f.value, style.currency)});
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
        if (section.grid) {
            out += render_grid(section, *section.grid, style);
            continue;
        }
        std::vector<Column> columns;
        std::vector<bool> money_columns;
        // A column is right-aligned when it holds numbers.
        for (std::size_t i = 0; i < section.columns.size(); ++i) {
            Cell::Kind kind = Cell::Kind::empty;
            for (const auto& row : section.rows) {
                if (i < row.size() && row[i].kind != Cell::Kind::empty) {
                    kind = row[i].kind;
                    break;
                }
            }
            const ReportColumn& c = section.columns[i];
            const bool money = kind == Cell::Kind::money;
            money_columns.push_back(money);
            Column column{money ? fmt::format("{} {}", c.header, style.currency) : c.header,
                          is_numeric(kind) && kind != Cell::Kind::share ? Align::right
                                                                        : Align::left,
                          c.shrinkable,
                          c.min_width,
                          Overflow::truncate,
                          c.drop_rank};
            if (kind == Cell::Kind::share) {
                // "100.0%" stays; the bar after it goes first when room is short.
                column.overflow = Overflow::clip;
                column.shrinkable = true;
                column.min_width = k_share_number_width;
            }
            columns.push_back(std::move(column));
        }
        const auto table_cell = [&](const Cell& cell, std::size_t i) {
            return money_columns[i] && cell.kind == Cell::Kind::money
                       ? whole_money(cell.amount)
                       : cell_text(cell, style.currency);
        };
        Table table(columns);
        for (const auto& row : section.rows) {
            std::vector<std::string> cells;
            std::vector<Hue> hues;
            for (std::size_t i = 0; i < row.size(); ++i) {
                cells.push_back(table_cell(row[i], i));
                hues.push_back(row[i].hue);
            }
            table.add_row(std::move(cells), std::move(hues));
        }
        if (!section.totals.empty()) {
            std::vector<std::string> cells;
            for (std::size_t i = 0; i < section.totals.size(); ++i) {
                cells.push_back(table_cell(section.totals[i], i));
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
        fields.reserve(std::max(row.size(), section.columns.size()));
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

std::string report_outline(const ReportDocument& document, std::size_t width) {
    const std::size_t room = std::max<std::size_t>(width, 40) - 4;
    std::string out;
    const auto paragraph = [&](const std::string& text, std::string_view indent) {
        for (const std::string& line : wrap_to_width(text, room)) {
            out.append(indent).append(line).push_back('\n');
        }
    };
    out += fmt::format("Report {}\n", document.report);
    if (!document.summary.empty()) {
        std::vector<std::string> labels;
        for (const Figure& f : document.summary) {
            labels.push_back(f.label);
        }
        paragraph(fmt::format("Key figures: {}.", fmt::join(labels, "; ")), "  ");
    }
    for (const Section& section : document.sections) {
        out += fmt::format("  Section {}: {}\n", section.name, section.title);
        std::vector<std::string> columns;
        for (const ReportColumn& c : section.columns) {
            columns.push_back(c.header == c.key ? c.key : fmt::format("{} ({})", c.header, c.key));
        }
        paragraph(fmt::format("Columns: {}.", fmt::join(columns, ", ")), "    ");
    }
    return out;
}

} // namespace sileram::output
