#include "sileram/output/html.hpp"

#include "sileram/output/svg_chart.hpp"

#include <fmt/format.h>
#include <optional>

namespace sileram::output {

namespace html_page {
namespace {

// Dark text on white (contrast above 12:1), Okabe-Ito accents, A4 print styles.
constexpr std::string_view k_page_style = R"(
:root { color: #1a1a1a; background: #ffffff; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.4;
  margin: 1.5em auto; max-width: 70em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #0072B2; padding-bottom: 0.1em; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
a { color: #005a8c; }
.meta { color: #333333; }
dl.figures { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
dl.figures dt { font-weight: bold; }
dl.figures dd { margin: 0; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 0.92em; }
caption { text-align: left; font-weight: bold; font-size: 1.1em; padding: 0.8em 0 0.3em; }
th, td { border: 1px solid #b0b0b0; padding: 0.2em 0.5em; vertical-align: top; }
thead th { background: #e8eef4; }
tfoot th, tfoot td { font-weight: bold; background: #f2f2f2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.note { color: #333333; font-size: 0.9em; margin-top: -0.6em; }
figure.chart-box { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; margin: 1em 0; }
figure.chart-box figcaption { flex-basis: 100%; font-weight: bold; }
svg.chart { max-width: 100%; height: auto; border: 1px solid #d0d0d0; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  nav.toc { break-after: page; }
  section.report + section.report { break-before: page; }
  figure.chart-box, tr, dl.figures { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; }
  thead { display: table-header-group; }
  svg.chart { max-width: 17cm; }
  a { color: inherit; text-decoration: none; }
}
)";

struct ReportTitle {
    std::string_view name;
    std::string_view title;
};

constexpr ReportTitle k_titles[] = {
    {"impact", "Impact: where the money is"},
    {"fields", "Signals per field"},
    {"funnel", "Funnel: where the process stalls"},
    {"effect", "Effect: what improvement brought"},
    {"customers", "Customers: who asks disproportionately"},
    {"overdue", "Overdue: what waits too long"},
    {"response", "Response times"},
    {"recurrence", "Recurrence: problems that came back"},
    {"trend", "Trend: the flow per month"},
    {"scope", "Scope: what was asked after a project started"},
};

std::string report_title(const std::string& name) {
    for (const ReportTitle& t : k_titles) {
        if (t.name == name) {
            return std::string(t.title);
        }
    }
    return "Report " + name;
}

std::string e(std::string_view text) {
    return xml_escape(text);
}

bool numeric(const Cell& cell) {
    return cell.kind == Cell::Kind::id || cell.kind == Cell::Kind::count ||
           cell.kind == Cell::Kind::money || cell.kind == Cell::Kind::change ||
           cell.kind == Cell::Kind::number || cell.kind == Cell::Kind::share ||
           cell.kind == Cell::Kind::days;
}

// A cell's shown text: as the terminal's, but a share without its text bar.
std::string shown(const Cell& cell, const std::string& currency) {
    if (cell.kind == Cell::Kind::share) {
        return fmt::format("{:.1f}%", cell.real * 100.0);
    }
    return cell_text(cell, currency);
}

std::string data_attributes(const std::string& key, const Cell& cell) {
    return fmt::format(
        " data-key=\"{}\" data-value=\"{}\"", e(key),
        e(cell_json(cell).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)));
}

std::string cell_html(const std::string& tag, const std::string& key, const Cell& cell,
                      const std::string& currency, std::string_view scope = "") {
    return fmt::format("<{}{}{}{}>{}</{}>", tag,
                       scope.empty() ? "" : fmt::format(" scope=\"{}\"", scope),
                       numeric(cell) ? " class=\"num\"" : "", data_attributes(key, cell),
                       e(shown(cell, currency)), tag);
}

// A section as a table: a caption, column headings, one row per line (the first cell as the
// row's heading) and the totals in a footer.
std::string section_table(const Section& s, const std::string& currency, const std::string& id) {
    std::string out = fmt::format("<table id=\"{}\" data-section=\"{}\">\n<caption>{}</caption>\n"
                                  "<thead><tr>",
                                  e(id), e(s.name), e(s.title));
    for (const ReportColumn& c : s.columns) {
        out += fmt::format("<th scope=\"col\">{}</th>", e(c.header));
    }
    out += "</tr></thead>\n<tbody>\n";
    for (const std::vector<Cell>& row : s.rows) {
        out += "<tr>";
        for (std::size_t i = 0; i < row.size() && i < s.columns.size(); ++i) {
            out += i == 0 ? cell_html("th", s.columns[i].key, row[i], currency, "row")
                          : cell_html("td", s.columns[i].key, row[i], currency);
        }
        out += "</tr>\n";
    }
    if (s.rows.empty()) {
        out += fmt::format("<tr><td colspan=\"{}\">None.</td></tr>\n", s.columns.size());
    }
    out += "</tbody>\n";
    if (!s.totals.empty()) {
        out += "<tfoot><tr>";
        for (std::size_t i = 0; i < s.totals.size() && i < s.columns.size(); ++i) {
            out += i == 0 ? cell_html("th", s.columns[i].key, s.totals[i], currency, "row")
                          : cell_html("td", s.columns[i].key, s.totals[i], currency);
        }
        out += "</tr></tfoot>\n";
    }
    out += "</table>\n";
    if (!s.note.empty()) {
        out += fmt::format("<p class=\"note\">{}</p>\n", e(s.note));
    }
    return out;
}

const Section* find_section(const ReportDocument& d, std::string_view name) {
    for (const Section& s : d.sections) {
        if (s.name == name) {
            return &s;
        }
    }
    return nullptr;
}

// The cell of `row` in the column `key`; an empty cell when the section has no such column.
const Cell& at(const Section& s, const std::vector<Cell>& row, std::string_view key) {
    static const Cell k_none;
    for (std::size_t i = 0; i < s.columns.size() && i < row.size(); ++i) {
        if (s.columns[i].key == key) {
            return row[i];
        }
    }
    return k_none;
}

std::optional<double> value_of(const Cell& cell) {
    switch (cell.kind) {
    case Cell::Kind::id:
    case Cell::Kind::count:
    case Cell::Kind::flag:
        return static_cast<double>(cell.whole);
    case Cell::Kind::money:
    case Cell::Kind::change:
        return cell.amount.to_double();
    case Cell::Kind::number:
    case Cell::Kind::share:
    case Cell::Kind::days:
        return cell.real;
    default:
        return std::nullopt;
    }
}

double number_of(const Cell& cell) {
    return value_of(cell).value_or(0);
}

// A chart beside the table of the numbers it draws (the same cells as the report's JSON).
std::string chart_box(const std::string& caption, const std::string& svg, const Section& numbers,
                      const std::string& currency, const std::string& id) {
    return fmt::format("<figure class=\"chart-box\" id=\"{}\">\n<figcaption>{}</figcaption>\n{}"
                       "<div class=\"chart-numbers\">\n{}</div>\n</figure>\n",
                       e(id), e(caption), svg, section_table(numbers, currency, id + "-numbers"));
}

// A section with only the columns `keys` of `source` (in that order), for a chart's table.
Section pick_columns(const Section& source, std::initializer_list<std::string_view> keys,
                     const std::string& title) {
    Section s;
    s.name = source.name;
    s.title = title;
    for (const std::string_view key : keys) {
        for (const ReportColumn& c : source.columns) {
            if (c.key == key) {
                s.columns.push_back(c);
            }
        }
    }
    for (const std::vector<Cell>& row : source.rows) {
        std::vector<Cell> picked;
        for (const ReportColumn& c : s.columns) {
            picked.push_back(at(source, row, c.key));
        }
        s.rows.push_back(std::move(picked));
    }
    return s;
}

std::string impact_chart(const ReportDocument& d, const HtmlPage& page) {
    const Section* s = find_section(d, "signals");
    if (s == nullptr) {
        return "";
    }
    BubbleChart chart;
    chart.title = "Contacts against satisfaction impact; bubble area is the cost per period";
    chart.x_label = "contacts per period";
    chart.y_label = "satisfaction impact (1-5)";
    chart.x_cut = static_cast<double>(page.settings.many_contacts);
    // Satisfaction impact is a whole number from 1 to 5: the line runs between the last low
    // value and the first high one, so that no bubble sits on it.
    chart.y_cut = page.settings.high_satisfaction_impact - 0.5;
    chart.y_extent = {1, 5};
    chart.quadrant_labels = {std::string(domain::to_string(domain::Quadrant::act_first)),
                             std::string(domain::to_string(domain::Quadrant::plan)),
                             std::string(domain::to_string(domain::Quadrant::delegate)),
                             std::string(domain::to_string(domain::Quadrant::avoid))};
    for (const std::vector<Cell>& row : s->rows) {
        chart.bubbles.push_back(Bubble{fmt::format("#{}", at(*s, row, "id").whole),
                                       number_of(at(*s, row, "contacts")),
                                       number_of(at(*s, row, "satisfaction_impact")),
                                       number_of(at(*s, row, "cost_per_period"))});
    }
    return chart_box(
        fmt::format("Impact 2x2: one bubble per signal (area: cost per period); dashed lines at "
                    "the quadrant thresholds: {} contacts, satisfaction impact {}",
                    page.settings.many_contacts, page.settings.high_satisfaction_impact),
        bubble_chart_svg(chart),
        pick_columns(*s, {"id", "contacts", "satisfaction_impact", "cost_per_period", "quadrant"},
                     "Bubbles"),
        d.currency, "chart-impact");
}

std::string funnel_chart(const ReportDocument& d) {
    const Section* s = find_section(d, "steps");
    if (s == nullptr) {
        return "";
    }
    BarChart chart;
    chart.title = "Signals per step, with the median days a signal spent there";
    chart.value_label = "signals";
    for (const std::vector<Cell>& row : s->rows) {
        const Cell& median = at(*s, row, "median_days");
        chart.bars.push_back(Bar{
            fmt::format("{} {}", number_of(at(*s, row, "step")), at(*s, row, "name").text),
            number_of(at(*s, row, "signals")),
            value_of(median) ? fmt::format("median {:.1f} days", *value_of(median)) : "no median"});
    }
    return chart_box("Funnel: signals per step and median days per step", bar_chart_svg(chart),
                     pick_columns(*s, {"step", "name", "signals", "median_days"}, "Bars"),
                     d.currency, "chart-funnel");
}

std::string effect_chart(const ReportDocument& d) {
    const Section* s = find_section(d, "months");
    if (s == nullptr) {
        return "";
    }
    SeriesChart chart;
    chart.title = "Realised against expected savings per month";
    chart.value_label = fmt::format("{} per month", d.currency);
    chart.series = {Series{"expected", {}}, Series{"realised", {}}};
    for (const std::vector<Cell>& row : s->rows) {
        chart.categories.push_back(at(*s, row, "month").text);
        chart.series[0].values.push_back(value_of(at(*s, row, "expected_per_month")));
        chart.series[1].values.push_back(value_of(at(*s, row, "saved_per_month")));
    }
    return chart_box("Effect: realised against expected savings per month of measurement",
                     column_chart_svg(chart), *s, d.currency, "chart-effect");
}

std::string customers_chart(const ReportDocument& d) {
    const Section* s = find_section(d, "customers");
    if (s == nullptr) {
        return "";
    }
    ScatterChart chart;
    chart.title = "Signals against revenue per customer; care customers as labelled triangles";
    chart.x_label = fmt::format("revenue ({})", d.currency);
    chart.y_label = "signals";
    chart.marked_name = "care customer";
    chart.unmarked_name = "other customer";
    for (const std::vector<Cell>& row : s->rows) {
        const std::optional<double> revenue = value_of(at(*s, row, "revenue"));
        if (!revenue) {
            continue; // no revenue known: it has no place on this axis
        }
        chart.points.push_back(Point{at(*s, row, "customer").text, *revenue,
                                     number_of(at(*s, row, "signals")),
                                     at(*s, row, "care").whole != 0});
    }
    return chart_box(
        "Customers: signals per revenue, care customers marked", scatter_chart_svg(chart),
        pick_columns(*s, {"customer", "revenue", "signals", "signals_per_million", "care"},
                     "Points (customers without a revenue are not drawn)"),
        d.currency, "chart-customers");
}

std::string trend_chart(const ReportDocument& d) {
    const Section* s = find_section(d, "months");
    if (s == nullptr) {
        return "";
    }
    SeriesChart chart;
    chart.title = "Signals in, verdicts and closings per month";
    chart.value_label = "signals";
    chart.series = {Series{"in", {}}, Series{"verdicts", {}}, Series{"closed", {}}};
    for (const std::vector<Cell>& row : s->rows) {
        chart.categories.push_back(at(*s, row, "month").text);
        chart.series[0].values.push_back(number_of(at(*s, row, "signals_in")));
        chart.series[1].values.push_back(number_of(at(*s, row, "verdicts")));
        chart.series[2].values.push_back(number_of(at(*s, row, "closed")));
    }
    return chart_box(
        "Trend: the flow through the process per month", line_chart_svg(chart),
        pick_columns(*s, {"month", "signals_in", "verdicts", "closed"}, "Points per month"),
        d.currency, "chart-trend");
}

std::string charts(const ReportDocument& d, const HtmlPage& page) {
    if (d.report == "impact") {
        return impact_chart(d, page);
    }
    if (d.report == "funnel") {
        return funnel_chart(d);
    }
    if (d.report == "effect") {
        return effect_chart(d);
    }
    if (d.report == "customers") {
        return customers_chart(d);
    }
    if (d.report == "trend") {
        return trend_chart(d);
    }
    return "";
}

std::string report_html(const ReportDocument& d, const HtmlPage& page) {
    std::string out = fmt::format("<section class=\"report\" id=\"report-{}\" data-report=\"{}\">\n"
                                  "<h2>{}</h2>\n",
                                  e(d.report), e(d.report), e(report_title(d.report)));
    if (!d.summary.empty()) {
        out += "<h3>Key figures</h3>\n<dl class=\"figures\">\n";
        for (const Figure& f : d.summary) {
            out += fmt::format("<dt>{}</dt><dd{}>{}</dd>\n", e(f.label),
                               data_attributes(f.key, f.value), e(shown(f.value, d.currency)));
        }
        out += "</dl>\n";
    }
    out += charts(d, page);
    for (const Section& s : d.sections) {
        if (d.report == "effect" && s.name == "months") {
            continue; // the chart's table beside it holds the whole section
        }
        out += section_table(s, d.currency, fmt::format("{}-{}", d.report, s.name));
    }
    return out + "</section>\n";
}

} // namespace
} // namespace html_page

std::string render_html(const std::vector<ReportDocument>& documents, const HtmlPage& page) {
    using namespace html_page;
    const std::string title = documents.size() == 1
                                  ? "sileram: " + report_title(documents.front().report)
                                  : std::string("sileram: all reports");
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                      "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                      "form-action 'none'\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"generator\" content=\"sileram\">\n";
    out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<header>\n"
                       "<h1>{}</h1>\n",
                       e(title), k_page_style, e(title));
    out +=
        fmt::format("<p class=\"meta\">Generated <time id=\"generated\" datetime=\"{}\">{}</time> "
                    "from the database <code id=\"database\">{}</code>.</p>\n",
                    e(page.generated_at), e(page.generated_at), e(page.database));
    if (page.filters.empty()) {
        out += "<p class=\"meta\" id=\"filters\">Filters: none (every signal).</p>\n";
    } else {
        out += "<p class=\"meta\" id=\"filters\">Filters: ";
        for (std::size_t i = 0; i < page.filters.size(); ++i) {
            out += fmt::format("{}<code>{} {}</code>", i == 0 ? "" : ", ", e(page.filters[i].first),
                               e(page.filters[i].second));
        }
        out += ".</p>\n";
    }
    out += "</header>\n<main>\n";
    if (documents.size() > 1) {
        out += "<nav class=\"toc\" aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">Contents"
               "</h2>\n<ol>\n";
        for (const ReportDocument& d : documents) {
            out += fmt::format("<li><a href=\"#report-{}\">{}</a></li>\n", e(d.report),
                               e(report_title(d.report)));
        }
        out += "</ol>\n</nav>\n";
    }
    for (const ReportDocument& d : documents) {
        out += report_html(d, page);
    }
    return out + "</main>\n</body>\n</html>\n";
}

} // namespace sileram::output
