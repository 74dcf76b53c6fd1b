#pragma once

#include "sileram/domain/reports.hpp"
#include "sileram/output/report.hpp"

#include <string>
#include <utility>
#include <vector>

namespace sileram::output {

// What the page says about itself: when, from which database and with which filters.
struct HtmlPage {
    std::string generated_at; // the time of the report, as ISO 8601
    std::string database;     // the path, or the PostgreSQL URI without its password
    std::vector<std::pair<std::string, std::string>> filters; // option and value, in order
    domain::ReportSettings settings; // the thresholds the impact chart draws
};

// One self-contained HTML5 page holding the documents: a table of contents when there is more
// than one, each report's key figures, its charts (inline SVG, each with its numbers in a table
// beside it) and its sections as tables. No script and no external reference: the page's
// Content-Security-Policy forbids both. Every value is HTML-escaped; cells and key figures carry
// their JSON key and value in data-key and data-value.
std::string render_html(const std::vector<ReportDocument>& documents, const HtmlPage& page);

} // namespace sileram::output
