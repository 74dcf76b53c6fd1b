#include "sileram/output/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace sileram::output {

namespace {

constexpr double k_svg_width = 640;
constexpr double k_svg_height = 360;
constexpr double k_svg_left = 78;
constexpr double k_svg_right = 24;
constexpr double k_svg_top = 34;
constexpr double k_svg_bottom = 56;
constexpr double k_svg_plot_right = k_svg_width - k_svg_right;
constexpr double k_svg_plot_bottom = k_svg_height - k_svg_bottom;

// Okabe & Ito (2008): blue, vermillion, bluish green, orange, reddish purple, sky blue, black.
constexpr std::string_view k_svg_palette[] = {"#0072B2", "#D55E00", "#009E73", "#E69F00",
                                              "#CC79A7", "#56B4E9", "#000000"};
constexpr std::string_view k_svg_dashes[] = {"", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4"};
constexpr std::string_view k_svg_ink = "#1a1a1a";
constexpr std::string_view k_svg_grid = "#d0d0d0";

std::string svg_num(double v) {
    if (!std::isfinite(v)) {
        return "0";
    }
    return fmt::format("{:.1f}", v);
}

std::string svg_open_svg(const std::string& title, double height = k_svg_height) {
    return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" "
                       "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\" "
                       "class=\"chart\">\n<title>{}</title>\n"
                       "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
                       svg_num(k_svg_width), svg_num(height), svg_num(k_svg_width), svg_num(height),
                       xml_escape(title), xml_escape(title), svg_num(k_svg_width), svg_num(height));
}

std::string svg_text_at(double x, double y, std::string_view anchor, const std::string& content,
                        std::string_view extra = "") {
    return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"12\" "
                       "fill=\"{}\"{}>{}</text>\n",
                       svg_num(x), svg_num(y), anchor, k_svg_ink, extra, xml_escape(content));
}

std::string svg_no_data(const std::string& title) {
    return svg_open_svg(title, 80) +
           svg_text_at(k_svg_width / 2, 45, "middle", "No data to chart") + "</svg>\n";
}

std::string svg_line(double x1, double y1, double x2, double y2, std::string_view stroke,
                     std::string_view extra = "") {
    return fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"{}/>\n",
                       svg_num(x1), svg_num(y1), svg_num(x2), svg_num(y2), stroke, extra);
}

// The y axis with grid lines at the ticks and its label; the x axis line at the bottom.
std::string svg_y_axis(const Scale& y, const std::vector<double>& ticks, const std::string& label) {
    std::string out;
    for (const double t : ticks) {
        out += svg_line(k_svg_left, y.at(t), k_svg_plot_right, y.at(t), k_svg_grid);
        out += svg_text_at(k_svg_left - 6, y.at(t) + 4, "end", short_number(t));
    }
    out += svg_line(k_svg_left, k_svg_top, k_svg_left, k_svg_plot_bottom, k_svg_ink);
    out += fmt::format("<text x=\"14\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" "
                       "fill=\"{}\" transform=\"rotate(-90 14 {})\">{}</text>\n",
                       svg_num((k_svg_top + k_svg_plot_bottom) / 2), k_svg_ink,
                       svg_num((k_svg_top + k_svg_plot_bottom) / 2), xml_escape(label));
    return out;
}

std::string svg_x_axis(const Scale& x, const std::vector<double>& ticks, const std::string& label) {
    std::string out;
    for (const double t : ticks) {
        out += svg_line(x.at(t), k_svg_top, x.at(t), k_svg_plot_bottom, k_svg_grid);
        out += svg_text_at(x.at(t), k_svg_plot_bottom + 16, "middle", short_number(t));
    }
    out += svg_line(k_svg_left, k_svg_plot_bottom, k_svg_plot_right, k_svg_plot_bottom, k_svg_ink);
    out += svg_text_at((k_svg_left + k_svg_plot_right) / 2, k_svg_height - 12, "middle", label);
    return out;
}

// A marker of shape `shape` (0 circle, 1 square, 2 triangle, 3 diamond, cycling) at (x, y).
std::string svg_marker(std::size_t shape, double x, double y, double r, std::string_view colour,
                       std::string_view fill_opacity = "1") {
    const std::string paint = fmt::format("fill=\"{}\" fill-opacity=\"{}\" stroke=\"{}\"", colour,
                                          fill_opacity, k_svg_ink);
    switch (shape % 4) {
    case 0:
        return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {}/>\n", svg_num(x), svg_num(y),
                           svg_num(r), paint);
    case 1:
        return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>\n",
                           svg_num(x - r), svg_num(y - r), svg_num(2 * r), svg_num(2 * r), paint);
    case 2:
        return fmt::format("<polygon points=\"{},{} {},{} {},{}\" {}/>\n", svg_num(x),
                           svg_num(y - r * 1.2), svg_num(x - r * 1.1), svg_num(y + r * 0.8),
                           svg_num(x + r * 1.1), svg_num(y + r * 0.8), paint);
    default:
        return fmt::format("<polygon points=\"{},{} {},{} {},{} {},{}\" {}/>\n", svg_num(x),
                           svg_num(y - r * 1.3), svg_num(x + r * 1.3), svg_num(y), svg_num(x),
                           svg_num(y + r * 1.3), svg_num(x - r * 1.3), svg_num(y), paint);
    }
}

// At most `bytes` bytes of `text`, never splitting a UTF-8 code point.
std::string svg_cut(const std::string& text, std::size_t bytes) {
    if (text.size() <= bytes) {
        return text;
    }
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0U) == 0x80U) {
        --bytes;
    }
    return text.substr(0, bytes) + "…";
}

std::vector<double> svg_finite(std::vector<double> values) {
    values.erase(
        std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
        values.end());
    return values;
}

std::string svg_legend(const std::vector<std::string>& names, bool lines) {
    std::string out;
    double x = k_svg_left;
    const double y = 18;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string_view colour = series_colour(i);
        if (lines) {
            out += svg_line(x, y - 4, x + 24, y - 4, colour,
                            fmt::format(" stroke-width=\"2\" stroke-dasharray=\"{}\"",
                                        k_svg_dashes[i % std::size(k_svg_dashes)]));
            out += svg_marker(i, x + 12, y - 4, 4, colour);
        } else {
            out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"12\" fill=\"{}\" "
                               "stroke=\"{}\"/>\n",
                               svg_num(x + 5), svg_num(y - 10), colour, k_svg_ink);
            if (i % 2 == 1) {
                out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"12\" "
                                   "fill=\"url(#hatch)\"/>\n",
                                   svg_num(x + 5), svg_num(y - 10));
            }
        }
        out += svg_text_at(x + 30, y, "start", names[i]);
        x += 40 + 7.0 * static_cast<double>(std::min<std::size_t>(names[i].size(), 40));
    }
    return out;
}

} // namespace

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string short_number(double value) {
    if (!std::isfinite(value)) {
        return "-";
    }
    const double a = std::fabs(value);
    struct Unit {
        double size;
        std::string_view suffix;
    };
    constexpr Unit k_units[] = {{1e12, "T"}, {1e9, "bn"}, {1e6, "M"}, {1e3, "k"}};
    for (const Unit& u : k_units) {
        if (a >= u.size) {
            const double v = value / u.size;
            std::string digits = std::fabs(v) >= 100 || v == std::round(v)
                                     ? fmt::format("{:.0f}", v)
                                     : fmt::format("{:.1f}", v);
            if (std::fabs(v) >= 1000) { // beyond T: group the digits
                std::string grouped;
                const std::size_t start = digits[0] == '-' ? 1 : 0;
                for (std::size_t i = start; i < digits.size(); ++i) {
                    if (i > start && (digits.size() - i) % 3 == 0) {
                        grouped += ',';
                    }
                    grouped += digits[i];
                }
                digits = (start == 1 ? "-" : "") + grouped;
            }
            return digits + std::string(u.suffix);
        }
    }
    if (a == std::round(a)) {
        return fmt::format("{:.0f}", value);
    }
    return a >= 10 ? fmt::format("{:.1f}", value) : fmt::format("{:.2g}", value);
}

double Scale::at(double value) const {
    const double span = high - low;
    if (span == 0 || !std::isfinite(value)) {
        return from;
    }
    return from + (value - low) / span * (to - from);
}

Scale nice_scale(const std::vector<double>& values, double from, double to, bool with_zero,
                 std::vector<double>* ticks) {
    const std::vector<double> v = svg_finite(values);
    double low = v.empty() ? 0 : *std::min_element(v.begin(), v.end());
    double high = v.empty() ? 1 : *std::max_element(v.begin(), v.end());
    if (with_zero) {
        low = std::min(low, 0.0);
        high = std::max(high, 0.0);
    }
    if (low == high) {
        const double pad = low == 0 ? 1 : std::fabs(low) * 0.5;
        low -= with_zero && low >= 0 ? 0 : pad;
        high += with_zero && high < 0 ? 0 : pad;
        if (low == high) {
            high = low + 1;
        }
    }
    // A step of 1, 2 or 5 times a power of ten that gives at most 6 intervals.
    const double raw = (high - low) / 6;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    double step = power;
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * power;
        if (step >= raw) {
            break;
        }
    }
    const double nice_low = std::floor(low / step) * step;
    const double nice_high = std::ceil(high / step) * step;
    if (ticks != nullptr) {
        ticks->clear();
        const auto n = static_cast<long>(std::llround((nice_high - nice_low) / step));
        for (long i = 0; i <= n; ++i) {
            double t = nice_low + static_cast<double>(i) * step;
            if (std::fabs(t) < step * 1e-9) {
                t = 0; // not -0 or 1e-17 from rounding
            }
            ticks->push_back(t);
        }
    }
    return Scale{nice_low, nice_high, from, to};
}

std::string_view series_colour(std::size_t index) {
    return k_svg_palette[index % std::size(k_svg_palette)];
}

std::string bubble_chart_svg(const BubbleChart& chart) {
    if (chart.bubbles.empty()) {
        return svg_no_data(chart.title);
    }
    std::vector<double> xs;
    std::vector<double> ys;
    double largest = 0;
    for (const Bubble& b : chart.bubbles) {
        xs.push_back(b.x);
        ys.push_back(b.y);
        if (std::isfinite(b.size)) {
            largest = std::max(largest, b.size);
        }
    }
    if (chart.x_cut) {
        xs.push_back(*chart.x_cut);
    }
    if (chart.y_cut) {
        ys.push_back(*chart.y_cut);
    }
    ys.insert(ys.end(), chart.y_extent.begin(), chart.y_extent.end());
    std::vector<double> x_ticks;
    std::vector<double> y_ticks;
    // Inset by the largest radius, so that a bubble at the edge stays inside the plot.
    constexpr double k_max_radius = 28;
    constexpr double k_min_radius = 3;
    const Scale x =
        nice_scale(xs, k_svg_left + k_max_radius, k_svg_plot_right - k_max_radius, true, &x_ticks);
    const Scale y =
        nice_scale(ys, k_svg_plot_bottom - k_max_radius, k_svg_top + k_max_radius, true, &y_ticks);
    std::string out = svg_open_svg(chart.title);
    out += svg_y_axis(y, y_ticks, chart.y_label);
    out += svg_x_axis(x, x_ticks, chart.x_label);
    if (chart.x_cut) {
        out += svg_line(x.at(*chart.x_cut), k_svg_top, x.at(*chart.x_cut), k_svg_plot_bottom,
                        k_svg_ink, " stroke-width=\"1.5\" stroke-dasharray=\"6 3\" class=\"cut\"");
    }
    if (chart.y_cut) {
        out += svg_line(k_svg_left, y.at(*chart.y_cut), k_svg_plot_right, y.at(*chart.y_cut),
                        k_svg_ink, " stroke-width=\"1.5\" stroke-dasharray=\"6 3\" class=\"cut\"");
    }
    // Largest first, so that small bubbles stay visible on top.
    std::vector<const Bubble*> order;
    for (const Bubble& b : chart.bubbles) {
        order.push_back(&b);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const Bubble* a, const Bubble* b) { return a->size > b->size; });
    std::vector<std::pair<double, double>> labelled;
    for (const Bubble* b : order) {
        const double share =
            largest > 0 && std::isfinite(b->size) && b->size > 0 ? b->size / largest : 0;
        const double r = std::max(k_min_radius, k_max_radius * std::sqrt(share));
        out += fmt::format("<g class=\"bubble\"><title>{}</title>", xml_escape(b->label));
        out += svg_marker(0, x.at(b->x), y.at(b->y), r, series_colour(0), "0.55");
        out += "</g>\n";
        labelled.emplace_back(x.at(b->x), y.at(b->y));
    }
    // Labels on top, one per place: bubbles on the same spot share the first one's label.
    std::vector<std::pair<double, double>> placed;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const double px = labelled[i].first;
        const double py = labelled[i].second;
        const bool crowded = std::any_of(placed.begin(), placed.end(), [&](const auto& p) {
            return std::fabs(p.first - px) < 30 && std::fabs(p.second - py) < 12;
        });
        if (!crowded) {
            out += svg_text_at(px, py + 4, "middle", svg_cut(order[i]->label, 12),
                               " font-size=\"10\"");
            placed.emplace_back(px, py);
        }
    }
    // The quadrant names last, with a white halo, readable over any bubble.
    constexpr std::string_view k_halo = " font-weight=\"bold\" stroke=\"#ffffff\" "
                                        "stroke-width=\"3\" paint-order=\"stroke\"";
    out +=
        svg_text_at(k_svg_plot_right - 4, k_svg_top + 14, "end", chart.quadrant_labels[0], k_halo);
    out += svg_text_at(k_svg_left + 4, k_svg_top + 14, "start", chart.quadrant_labels[1], k_halo);
    out += svg_text_at(k_svg_plot_right - 4, k_svg_plot_bottom - 6, "end", chart.quadrant_labels[2],
                       k_halo);
    out += svg_text_at(k_svg_left + 4, k_svg_plot_bottom - 6, "start", chart.quadrant_labels[3],
                       k_halo);
    return out + "</svg>\n";
}

std::string bar_chart_svg(const BarChart& chart) {
    if (chart.bars.empty()) {
        return svg_no_data(chart.title);
    }
    constexpr double k_row = 26;
    constexpr double k_label_width = 150;
    constexpr double k_note_width = 170;
    const double height = k_svg_top + k_row * static_cast<double>(chart.bars.size()) + 40;
    std::vector<double> values;
    for (const Bar& b : chart.bars) {
        values.push_back(b.value);
    }
    std::vector<double> ticks;
    const Scale x = nice_scale(values, k_label_width, k_svg_width - k_note_width, true, &ticks);
    const double bottom = k_svg_top + k_row * static_cast<double>(chart.bars.size());
    std::string out = svg_open_svg(chart.title, height);
    for (const double t : ticks) {
        out += svg_line(x.at(t), k_svg_top, x.at(t), bottom, k_svg_grid);
        out += svg_text_at(x.at(t), bottom + 14, "middle", short_number(t));
    }
    out += svg_text_at((k_label_width + k_svg_width - k_note_width) / 2, bottom + 32, "middle",
                       chart.value_label);
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
        const Bar& b = chart.bars[i];
        const double top = k_svg_top + k_row * static_cast<double>(i);
        const double v = std::isfinite(b.value) ? b.value : 0;
        const double x0 = x.at(0);
        const double x1 = x.at(v);
        out += svg_text_at(k_label_width - 6, top + k_row / 2 + 4, "end", svg_cut(b.label, 24));
        out += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                           "fill=\"{}\"><title>{}: {}</title></rect>\n",
                           svg_num(std::min(x0, x1)), svg_num(top + 4), svg_num(std::fabs(x1 - x0)),
                           svg_num(k_row - 8), series_colour(i % 2 == 0 ? 0 : 5),
                           xml_escape(b.label), xml_escape(short_number(v)));
        std::string right = short_number(v);
        if (!b.note.empty()) {
            right += " · " + b.note;
        }
        out += svg_text_at(std::max(x0, x1) + 4, top + k_row / 2 + 4, "start", right);
    }
    out += svg_line(x.at(0), k_svg_top, x.at(0), bottom, k_svg_ink);
    return out + "</svg>\n";
}

namespace {

std::vector<double> svg_series_values(const SeriesChart& chart) {
    std::vector<double> values;
    for (const Series& s : chart.series) {
        for (const auto& v : s.values) {
            if (v) {
                values.push_back(*v);
            }
        }
    }
    return values;
}

std::string svg_category_axis(const SeriesChart& chart, double slot) {
    std::string out;
    const std::size_t every = std::max<std::size_t>(1, chart.categories.size() / 12 + 1);
    for (std::size_t i = 0; i < chart.categories.size(); ++i) {
        if (i % every == 0) {
            out += svg_text_at(k_svg_left + slot * (static_cast<double>(i) + 0.5),
                               k_svg_plot_bottom + 16, "middle", chart.categories[i]);
        }
    }
    return out;
}

bool svg_has_value(const SeriesChart& chart) {
    return !chart.categories.empty() && !svg_series_values(chart).empty();
}

} // namespace

std::string line_chart_svg(const SeriesChart& chart) {
    if (!svg_has_value(chart)) {
        return svg_no_data(chart.title);
    }
    std::vector<double> ticks;
    const Scale y =
        nice_scale(svg_series_values(chart), k_svg_plot_bottom, k_svg_top, true, &ticks);
    const double slot =
        (k_svg_plot_right - k_svg_left) / static_cast<double>(chart.categories.size());
    std::string out = svg_open_svg(chart.title);
    out += svg_y_axis(y, ticks, chart.value_label);
    out += svg_line(k_svg_left, y.at(0), k_svg_plot_right, y.at(0), k_svg_ink);
    out += svg_category_axis(chart, slot);
    std::vector<std::string> names;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
        const Series& series = chart.series[s];
        names.push_back(series.name);
        const std::string_view colour = series_colour(s);
        std::string path;
        std::string marks;
        for (std::size_t i = 0; i < series.values.size() && i < chart.categories.size(); ++i) {
            if (!series.values[i] || !std::isfinite(*series.values[i])) {
                path += ' '; // a gap: the next value starts a new piece
                continue;
            }
            const double px = k_svg_left + slot * (static_cast<double>(i) + 0.5);
            const double py = y.at(*series.values[i]);
            const bool starts = path.empty() || path.back() == ' ';
            path += fmt::format("{}{},{} ", starts ? "M" : "L", svg_num(px), svg_num(py));
            marks += svg_marker(s, px, py, 4, colour);
        }
        out += fmt::format("<path class=\"series\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
                           "stroke-width=\"2\" stroke-dasharray=\"{}\"><title>{}</title></path>\n",
                           path, colour, k_svg_dashes[s % std::size(k_svg_dashes)],
                           xml_escape(series.name));
        out += marks;
    }
    out += svg_legend(names, true);
    return out + "</svg>\n";
}

std::string column_chart_svg(const SeriesChart& chart) {
    if (!svg_has_value(chart) || chart.series.empty()) {
        return svg_no_data(chart.title);
    }
    std::vector<double> ticks;
    const Scale y =
        nice_scale(svg_series_values(chart), k_svg_plot_bottom, k_svg_top, true, &ticks);
    const double slot =
        (k_svg_plot_right - k_svg_left) / static_cast<double>(chart.categories.size());
    const double column = slot * 0.8 / static_cast<double>(chart.series.size());
    std::string out = svg_open_svg(chart.title);
    out += "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
           "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
           "stroke=\"#ffffff\" stroke-width=\"2\"/></pattern></defs>\n";
    out += svg_y_axis(y, ticks, chart.value_label);
    out += svg_category_axis(chart, slot);
    std::vector<std::string> names;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
        const Series& series = chart.series[s];
        names.push_back(series.name);
        for (std::size_t i = 0; i < series.values.size() && i < chart.categories.size(); ++i) {
            if (!series.values[i] || !std::isfinite(*series.values[i])) {
                continue;
            }
            const double x0 = k_svg_left + slot * (static_cast<double>(i) + 0.1) +
                              column * static_cast<double>(s);
            const double y0 = y.at(0);
            const double y1 = y.at(*series.values[i]);
            const std::string box = fmt::format("x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                                                svg_num(x0), svg_num(std::min(y0, y1)),
                                                svg_num(column), svg_num(std::fabs(y1 - y0)));
            out += fmt::format("<rect class=\"column\" {} fill=\"{}\" stroke=\"{}\"><title>{} "
                               "{}: {}</title></rect>\n",
                               box, series_colour(s), k_svg_ink, xml_escape(series.name),
                               xml_escape(chart.categories[i]),
                               xml_escape(short_number(*series.values[i])));
            if (s % 2 == 1) {
                out += fmt::format("<rect {} fill=\"url(#hatch)\"/>\n", box);
            }
        }
    }
    out += svg_line(k_svg_left, y.at(0), k_svg_plot_right, y.at(0), k_svg_ink);
    out += svg_legend(names, false);
    return out + "</svg>\n";
}

std::string scatter_chart_svg(const ScatterChart& chart) {
    if (chart.points.empty()) {
        return svg_no_data(chart.title);
    }
    std::vector<double> xs;
    std::vector<double> ys;
    for (const Point& p : chart.points) {
        xs.push_back(p.x);
        ys.push_back(p.y);
    }
    std::vector<double> x_ticks;
    std::vector<double> y_ticks;
    const Scale x = nice_scale(xs, k_svg_left, k_svg_plot_right, true, &x_ticks);
    const Scale y = nice_scale(ys, k_svg_plot_bottom, k_svg_top, true, &y_ticks);
    std::string out = svg_open_svg(chart.title);
    out += svg_y_axis(y, y_ticks, chart.y_label);
    out += svg_x_axis(x, x_ticks, chart.x_label);
    for (const Point& p : chart.points) {
        const double px = x.at(p.x);
        const double py = y.at(p.y);
        out += fmt::format("<g class=\"{}\"><title>{}</title>", p.marked ? "marked" : "point",
                           xml_escape(p.label));
        out += p.marked ? svg_marker(2, px, py, 7, series_colour(1))
                        : svg_marker(0, px, py, 5, series_colour(0));
        out += "</g>\n";
        if (p.marked) {
            out += svg_text_at(px + 10, py + 4, "start", svg_cut(p.label, 20), " font-size=\"10\"");
        }
    }
    out += svg_marker(0, k_svg_left + 10, 14, 5, series_colour(0));
    out += svg_text_at(k_svg_left + 20, 18, "start", chart.unmarked_name);
    out += svg_marker(2, k_svg_left + 200, 14, 7, series_colour(1));
    out += svg_text_at(k_svg_left + 212, 18, "start", chart.marked_name);
    return out + "</svg>\n";
}

} // namespace sileram::output
