#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::output {

// Inline SVG charts for the HTML reports: pure functions from numbers to markup, no script,
// no external reference. Colours are the Okabe-Ito palette (safe for colour-blind readers), and
// every series or mark also differs by shape, dash or label. Every text is XML-escaped.

// `text` with &, <, >, " and ' escaped, for HTML and SVG text and attribute values.
std::string xml_escape(std::string_view text);

// A number as a short axis label: 1.5k, 2M, 3bn, 1,000T; negative values keep their sign.
std::string short_number(double value);

// A linear map of [low, high] onto [from, to] (pixels; from > to for a y axis).
struct Scale {
    double low = 0;
    double high = 1;
    double from = 0;
    double to = 1;
    // The pixel of `value`; a value outside [low, high] maps outside [from, to].
    double at(double value) const;
};

// A scale over the values, widened to round ticks: it includes zero when `with_zero`, never has
// low == high (one value or none gets a unit around it), and ignores non-finite values.
// `ticks` receives the round values from low to high (2 to about 8 of them).
Scale nice_scale(const std::vector<double>& values, double from, double to, bool with_zero,
                 std::vector<double>* ticks = nullptr);

// The Okabe-Ito colour of series `index` (cycling), as "#RRGGBB".
std::string_view series_colour(std::size_t index);

// One signal of the 2x2: x and y place it, `size` gives the bubble's area (proportional).
struct Bubble {
    std::string label;
    double x = 0;
    double y = 0;
    double size = 0;
};

struct BubbleChart {
    std::string title;
    std::string x_label;
    std::string y_label;
    std::vector<Bubble> bubbles;
    std::optional<double> x_cut;  // a vertical quadrant line at this x
    std::optional<double> y_cut;  // a horizontal quadrant line at this y
    std::vector<double> y_extent; // values the y axis covers even without a bubble there
    // Quadrant names: top right, top left, bottom right, bottom left.
    std::array<std::string, 4> quadrant_labels;
};

// Bubbles at (x, y), area proportional to size (non-positive sizes get the smallest bubble),
// quadrant lines and names; an empty chart says "no data".
std::string bubble_chart_svg(const BubbleChart& chart);

struct Bar {
    std::string label;
    double value = 0;
    std::string note; // shown after the bar, e.g. "median 3.5 days"
};

struct BarChart {
    std::string title;
    std::string value_label;
    std::vector<Bar> bars;
};

// Horizontal bars from zero (negative values to the left), each labelled with its value and note.
std::string bar_chart_svg(const BarChart& chart);

// Named series over shared categories (months): a line chart or grouped columns.
struct Series {
    std::string name;
    std::vector<std::optional<double>> values; // one per category; nullopt: no value there
};

struct SeriesChart {
    std::string title;
    std::string value_label;
    std::vector<std::string> categories;
    std::vector<Series> series;
};

// One line per series with a marker of its own shape at each value, and a legend.
std::string line_chart_svg(const SeriesChart& chart);
// Grouped vertical columns from zero, one per series and category, each series hatched or filled
// differently, and a legend.
std::string column_chart_svg(const SeriesChart& chart);

// A point of a scatter plot; `marked` points get another colour, shape and a label.
struct Point {
    std::string label;
    double x = 0;
    double y = 0;
    bool marked = false;
};

struct ScatterChart {
    std::string title;
    std::string x_label;
    std::string y_label;
    std::string marked_name;   // legend text of the marked points, e.g. "care customer"
    std::string unmarked_name; // legend text of the others
    std::vector<Point> points;
};

// Points at (x, y): circles, and marked ones as labelled triangles.
std::string scatter_chart_svg(const ScatterChart& chart);

} // namespace sileram::output
