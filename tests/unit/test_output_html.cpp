#include "sileram/output/html.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace sileram::output;
using sileram::domain::Decimal;

namespace {

ReportDocument hostile_report(const std::string& name) {
    ReportDocument d;
    d.report = name;
    d.currency = "EUR";
    d.summary = {{"cost_per_year", "Cost & <b>year</b>", Cell::of_money(Decimal::from_whole(12))}};
    Section s;
    s.name = "signals";
    s.title = "Signals \"quoted\"";
    s.columns = {{"id", "id"},
                 {"title", "title"},
                 {"contacts", "contacts"},
                 {"satisfaction_impact", "sat."},
                 {"cost_per_period", "cost/period"},
                 {"quadrant", "quadrant"}};
    s.rows.push_back({Cell::of_id(7), Cell::of_text("<script>alert('x')</script> & co"),
                      Cell::of_count(1500), Cell::of_count(4),
                      Cell::of_money(Decimal::from_hundredths(123456)),
                      Cell::of_text("act first")});
    d.sections.push_back(s);
    return d;
}

} // namespace

TEST_CASE("render_html escapes every text and carries the JSON values") {
    HtmlPage page;
    page.generated_at = "2026-11-23T12:00:00Z";
    page.database = "/tmp/a&b<c>.db";
    page.filters = {{"--channel", "\"phone\""}};
    const std::string html = render_html({hostile_report("impact")}, page);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co") !=
          std::string::npos);
    CHECK(html.find("Cost &amp; &lt;b&gt;year&lt;/b&gt;") != std::string::npos);
    CHECK(html.find("/tmp/a&amp;b&lt;c&gt;.db") != std::string::npos);
    CHECK(html.find("&quot;phone&quot;") != std::string::npos);
    CHECK(html.find("<html lang=\"en\">") != std::string::npos);
    CHECK(html.find("default-src 'none'") != std::string::npos);
    CHECK(html.find("@page { size: A4") != std::string::npos);
    CHECK(html.find("data-key=\"cost_per_period\" data-value=\"1234.56\"") != std::string::npos);
    CHECK(html.find("<th scope=\"col\">") != std::string::npos);
    CHECK(html.find("<th scope=\"row\"") != std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);              // the impact bubble chart
    CHECK(html.find("nav class=\"toc\"") == std::string::npos); // one report: no contents
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("href=\"http") == std::string::npos);
}

TEST_CASE("render_html of several reports has a table of contents") {
    const std::string html =
        render_html({hostile_report("impact"), hostile_report("fields")}, HtmlPage{});
    CHECK(html.find("<a href=\"#report-impact\">") != std::string::npos);
    CHECK(html.find("<a href=\"#report-fields\">") != std::string::npos);
    CHECK(html.find("Filters: none") != std::string::npos);
}
