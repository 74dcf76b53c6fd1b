#include "sileram/output/report.hpp"
#include "sileram/output/terminal.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace sileram::output;
using sileram::domain::Decimal;

using namespace test_support;

namespace {

ReportDocument sample_report() {
    ReportDocument d;
    d.report = "sample";
    d.currency = "€";
    d.summary = {{"total", "Totaal", Cell::of_money(Decimal::from_whole(1'234'567))}};
    Section s;
    s.name = "rows";
    s.title = "Rijen";
    s.columns = {
        {"name", "naam", true, 4}, {"signals", "signals"}, {"cost", "kosten"}, {"share", "share"}};
    s.rows.push_back({Cell::of_text("Café Ïda"), Cell::of_count(1234),
                      Cell::of_money(Decimal::from_hundredths(123456789)), Cell::of_share(0.5)});
    s.rows.push_back({Cell::of_text("é"), Cell::of_count(7), Cell::of_money(Decimal::from_whole(5)),
                      Cell::of_share(1.0)});
    s.totals = {Cell::of_text("total"), Cell::of_count(1241), Cell::none(), Cell::none()};
    d.sections.push_back(s);
    return d;
}

} // namespace

TEST_CASE("report text: numbers right-aligned with separators and currency, by display width") {
    const std::string text = render_text(sample_report(), TextStyle{100, Color::off, "€"});
    const auto lines = lines_of(text);
    REQUIRE(lines.size() == 7);
    // Whole units in text, the currency once in the summary and in the money column's heading.
    CHECK(lines[0] == "Totaal  € 1,234,567");
    CHECK(lines[2] == "Rijen");
    CHECK(lines[3].find("kosten €") != std::string::npos);
    CHECK(lines[4].find("1,234") != std::string::npos);
    CHECK(lines[4].find(" 1,234,568 ") != std::string::npos); // 1,234,567.89 rounded
    CHECK(lines[4].find("€") == std::string::npos);
    // Right-aligned: the count of the second row ends where the first one's does.
    const std::size_t end4 = display_width(lines[4].substr(0, lines[4].find("1,234") + 5));
    const std::size_t end5 = display_width(lines[5].substr(0, lines[5].find(" 7 ") + 2));
    CHECK(end4 == end5);
    CHECK(lines[5].find("100.0% ██████████") != std::string::npos);
    CHECK(lines[4].find("50.0% █████") != std::string::npos);
    CHECK(lines[6].rfind("total", 0) == 0);
}

TEST_CASE("report text: a narrow terminal cuts text with an ellipsis, never numbers") {
    const std::string text = render_text(sample_report(), TextStyle{50, Color::off, "€"});
    for (const std::string& line : lines_of(text)) {
        CHECK(display_width(line) <= 50);
    }
    CHECK(text.find("1,234,568") != std::string::npos);
}

TEST_CASE("report text: colour only when asked") {
    CHECK(render_text(sample_report(), TextStyle{100, Color::off, "€"}).find('\x1b') ==
          std::string::npos);
    CHECK(render_text(sample_report(), TextStyle{100, Color::on, "€"}).find("\x1b[1m") !=
          std::string::npos);
}

TEST_CASE("report CSV and JSON carry the same numbers, plain") {
    const ReportDocument d = sample_report();
    CHECK(render_csv(d.sections[0], ',') == "name,signals,cost,share\r\n"
                                            "Café Ïda,1234,1234567.89,0.5000\r\n"
                                            "é,7,5.00,1.0000\r\n"
                                            "total,1241,,\r\n");
    CHECK(render_csv(d.sections[0], ';').rfind("name;signals;cost;share\r\n", 0) == 0);
    const auto json = render_json(d);
    CHECK(json["summary"]["total"] == 1234567.0);
    CHECK(json["rows"][0]["signals"] == 1234);
    CHECK(json["rows"][0]["cost"] == 1234567.89);
    CHECK(json["rows"][0]["share"] == 0.5);
    CHECK(json["totals"]["rows"]["signals"] == 1241);
    CHECK(json["totals"]["rows"]["cost"].is_null());
}

TEST_CASE("cells: days one decimal, numbers two, changes signed") {
    CHECK(cell_text(Cell::of_days(12.345), "EUR") == "12.3");
    CHECK(cell_text(Cell::of_number(1234.5), "EUR") == "1,234.50");
    CHECK(cell_text(Cell::of_change(Decimal::from_hundredths(30)), "EUR") == "+0.30");
    CHECK(cell_csv(Cell::of_change(Decimal::from_hundredths(-5))) == "-0.05");
    CHECK(cell_text(Cell::none(), "EUR").empty());
    CHECK(cell_json(Cell::of_share(std::nullopt)).is_null());
}
