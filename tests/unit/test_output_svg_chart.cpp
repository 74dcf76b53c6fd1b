#include "sileram/output/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>
#include <limits>
#include <regex>
#include <string>
#include <vector>

using namespace sileram::output;

namespace {

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos;
         at = text.find(part, at + part.size())) {
        ++n;
    }
    return n;
}

// Every number in an attribute of the SVG: none may be nan or inf, and all stay in a sane range.
void check_coordinates(const std::string& svg) {
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
    static const std::regex k_attribute(
        R"re((?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="(-?[0-9.]+)")re");
    for (std::sregex_iterator it(svg.begin(), svg.end(), k_attribute), end; it != end; ++it) {
        const double v = std::stod((*it)[1].str());
        CHECK(v >= -1.0);
        CHECK(v <= 1000.0);
    }
}

} // namespace

TEST_CASE("xml_escape escapes markup, quotes and ampersands") {
    CHECK(xml_escape("<script>alert(\"x\")</script> & 'y'") ==
          "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    CHECK(xml_escape("plain €") == "plain €");
}

TEST_CASE("short_number keeps axis labels short up to 10^15 and keeps the sign") {
    CHECK(short_number(0) == "0");
    CHECK(short_number(12) == "12");
    CHECK(short_number(1500) == "1.5k");
    CHECK(short_number(2'000'000) == "2M");
    CHECK(short_number(-3e9) == "-3bn");
    CHECK(short_number(1e15) == "1,000T");
    CHECK(short_number(-2.5e15) == "-2,500T");
    CHECK(short_number(0.25) == "0.25");
    CHECK(short_number(std::numeric_limits<double>::quiet_NaN()) == "-");
}

TEST_CASE("nice_scale maps values onto pixels with round ticks") {
    std::vector<double> ticks;
    const Scale s = nice_scale({3, 97}, 0, 100, true, &ticks);
    CHECK(s.low == 0);
    CHECK(s.high == 100);
    CHECK(s.at(0) == doctest::Approx(0));
    CHECK(s.at(50) == doctest::Approx(50));
    CHECK(s.at(100) == doctest::Approx(100));
    REQUIRE(ticks.size() >= 2);
    CHECK(ticks.front() == 0);
    CHECK(ticks.back() == 100);

    SUBCASE("a y axis runs from bottom to top") {
        const Scale y = nice_scale({0, 10}, 300, 20, true);
        CHECK(y.at(0) == doctest::Approx(300));
        CHECK(y.at(10) == doctest::Approx(20));
    }
    SUBCASE("no values and one value still give a scale with width") {
        const Scale empty = nice_scale({}, 0, 100, true, &ticks);
        CHECK(empty.high > empty.low);
        const Scale one = nice_scale({42}, 0, 100, false, &ticks);
        CHECK(one.low < 42);
        CHECK(one.high > 42);
        CHECK(std::isfinite(one.at(42)));
        const Scale zero = nice_scale({0}, 0, 100, true, &ticks);
        CHECK(zero.high > zero.low);
    }
    SUBCASE("negative values widen the scale below zero") {
        const Scale n = nice_scale({-250, 80}, 0, 100, true, &ticks);
        CHECK(n.low <= -250);
        CHECK(n.high >= 80);
        CHECK(std::find(ticks.begin(), ticks.end(), 0.0) != ticks.end());
        CHECK(n.at(0) > 0);
    }
    SUBCASE("huge values up to 10^15") {
        const Scale h = nice_scale({1e15, 3}, 0, 500, true, &ticks);
        CHECK(h.high >= 1e15);
        CHECK(h.at(1e15) <= 500);
        CHECK(h.at(1e15) > 400);
        CHECK(ticks.size() <= 8);
    }
    SUBCASE("non-finite values are ignored") {
        const Scale f = nice_scale({std::nan(""), 5, INFINITY}, 0, 100, true, &ticks);
        CHECK(f.high == doctest::Approx(5));
    }
}

TEST_CASE("the bubble chart draws one bubble per signal with area by cost") {
    BubbleChart chart;
    chart.title = "Impact <2x2>";
    chart.x_cut = 1000;
    chart.y_cut = 3;
    chart.quadrant_labels = {"act-first", "plan", "delegate", "avoid"};
    chart.bubbles = {{"#1", 12000, 4, 120000}, {"#2", 10, 1, 30000}, {"#3", 500, 5, 0}};
    const std::string svg = bubble_chart_svg(chart);
    CHECK(occurrences(svg, "<circle") == 3);
    CHECK(occurrences(svg, "class=\"cut\"") == 2);
    CHECK(svg.find("Impact &lt;2x2&gt;") != std::string::npos);
    CHECK(svg.find("<2x2>") == std::string::npos);
    check_coordinates(svg);
    // area proportional: a quarter of the cost has half the radius
    const std::regex radius(R"re(r="([0-9.]+)")re");
    std::vector<double> radii;
    for (std::sregex_iterator it(svg.begin(), svg.end(), radius), end; it != end; ++it) {
        radii.push_back(std::stod((*it)[1].str()));
    }
    REQUIRE(radii.size() == 3);
    CHECK(radii[0] == doctest::Approx(2 * radii[1]).epsilon(0.01));
    CHECK(radii[2] >= 3); // no cost: still visible

    SUBCASE("empty") {
        chart.bubbles.clear();
        const std::string none = bubble_chart_svg(chart);
        CHECK(none.find("No data") != std::string::npos);
        CHECK(occurrences(none, "<circle") == 0);
    }
    SUBCASE("one signal, huge and negative figures stay inside the picture") {
        chart.bubbles = {{"#9", 1e15, 5, 1e15}};
        check_coordinates(bubble_chart_svg(chart));
        chart.bubbles = {{"#9", -50, -2, -10}};
        check_coordinates(bubble_chart_svg(chart));
    }
}

TEST_CASE("the bar chart draws one bar per step with its note") {
    BarChart chart;
    chart.title = "Funnel";
    chart.bars = {{"1 submitted", 40, "median 2.0 days"},
                  {"2 accepted", 10, ""},
                  {"3 analysed", 0, "no median"}};
    const std::string svg = bar_chart_svg(chart);
    CHECK(occurrences(svg, "class=\"bar\"") == 3);
    CHECK(svg.find("median 2.0 days") != std::string::npos);
    check_coordinates(svg);
    const std::regex width(R"re(class="bar" x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)")re");
    std::vector<double> widths;
    for (std::sregex_iterator it(svg.begin(), svg.end(), width), end; it != end; ++it) {
        widths.push_back(std::stod((*it)[1].str()));
    }
    REQUIRE(widths.size() == 3);
    CHECK(widths[0] == doctest::Approx(4 * widths[1]));
    CHECK(widths[2] == 0);

    chart.bars = {{"x", -1e15, ""}, {"y", 1e15, ""}};
    check_coordinates(bar_chart_svg(chart));
    chart.bars.clear();
    CHECK(bar_chart_svg(chart).find("No data") != std::string::npos);
}

TEST_CASE("the line chart draws each named series over the months") {
    SeriesChart chart;
    chart.title = "Trend";
    chart.categories = {"2026-09", "2026-10", "2026-11"};
    chart.series = {{"signals in", {5, 8, 2}}, {"closed", {1, std::nullopt, 4}}};
    const std::string svg = line_chart_svg(chart);
    CHECK(occurrences(svg, "class=\"series\"") == 2);
    CHECK(svg.find("signals in") != std::string::npos);
    CHECK(svg.find("2026-10") != std::string::npos);
    // the gap splits the second series into two pieces
    CHECK(svg.find("d=\"M") != std::string::npos);
    CHECK(occurrences(svg, "M") >= 3);
    check_coordinates(svg);

    SUBCASE("one month, one point") {
        chart.categories = {"2026-11"};
        chart.series = {{"only", {7}}};
        check_coordinates(line_chart_svg(chart));
        CHECK(occurrences(line_chart_svg(chart), "<circle") >= 1);
    }
    SUBCASE("no values") {
        chart.series = {{"empty", {std::nullopt, std::nullopt, std::nullopt}}};
        CHECK(line_chart_svg(chart).find("No data") != std::string::npos);
        chart.categories.clear();
        CHECK(line_chart_svg(chart).find("No data") != std::string::npos);
    }
    SUBCASE("huge and negative values") {
        chart.series = {{"money", {-3e14, 1e15, 0}}};
        check_coordinates(line_chart_svg(chart));
    }
}

TEST_CASE("the column chart sets realised against expected per month") {
    SeriesChart chart;
    chart.title = "Effect";
    chart.categories = {"2026-10", "2026-11"};
    chart.series = {{"expected", {100, 200}}, {"realised", {50, std::nullopt}}};
    const std::string svg = column_chart_svg(chart);
    CHECK(occurrences(svg, "class=\"column\"") == 3);
    CHECK(svg.find("url(#hatch)") != std::string::npos); // a second cue besides colour
    check_coordinates(svg);
    chart.series = {{"expected", {-1e15, 1e15}}};
    check_coordinates(column_chart_svg(chart));
}

TEST_CASE("the scatter chart marks care customers with another shape and a label") {
    ScatterChart chart;
    chart.title = "Customers";
    chart.marked_name = "care customer";
    chart.unmarked_name = "other";
    chart.points = {{"Acme & Co", 1e6, 12, true}, {"Bakker", 5e5, 2, false}};
    const std::string svg = scatter_chart_svg(chart);
    CHECK(occurrences(svg, "class=\"marked\"") == 1);
    CHECK(occurrences(svg, "class=\"point\"") == 1);
    CHECK(svg.find("Acme &amp; Co") != std::string::npos);
    check_coordinates(svg);
    chart.points = {{"huge", 1e15, 1, false}};
    check_coordinates(scatter_chart_svg(chart));
    chart.points.clear();
    CHECK(scatter_chart_svg(chart).find("No data") != std::string::npos);
}

TEST_CASE("series colours are the Okabe-Ito palette") {
    CHECK(series_colour(0) == "#0072B2");
    CHECK(series_colour(1) == "#D55E00");
    CHECK(series_colour(7) == series_colour(0));
}
