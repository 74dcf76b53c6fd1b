#include "sileram/domain/projects.hpp"
#include "sileram/errors.hpp"

#include <doctest/doctest.h>

using namespace sileram;
using namespace sileram::domain;

namespace {

Timestamp moment(const char* text) {
    return *parse_timestamp(text);
}

Project project(const char* name, const char* customer, const char* starts_at) {
    return Project{name, customer, std::chrono::floor<std::chrono::days>(moment(starts_at)),
                   moment(starts_at), moment(starts_at)};
}

} // namespace

TEST_CASE("projects: names are found ignoring case and spaces; an unknown one names the known") {
    const std::vector<Project> projects = {project("Portal 2.0", "Acme", "2026-03-01T00:00:00Z"),
                                           project("Migratie", "Beta", "2026-04-01T00:00:00Z")};
    CHECK(find_project(projects, "  portal 2.0 ") == &projects[0]);
    CHECK(find_project(projects, "Portal") == nullptr);
    CHECK(require_known_project(projects, "MIGRATIE", "").name == "Migratie");
    try {
        require_known_project(projects, "Portal 2", "--project");
        FAIL("an unknown project must be refused");
    } catch (const InvalidInput& e) {
        const std::string message = e.what();
        CHECK(message.find("--project: project 'Portal 2' is not known") == 0);
        CHECK(message.find("projects: Portal 2.0, Migratie") != std::string::npos);
    }
    CHECK_THROWS_AS(require_known_project({}, "X", ""), InvalidInput);
    CHECK_THROWS_AS(require_project(project("", "Acme", "2026-03-01T00:00:00Z"), ""), InvalidInput);
    CHECK_THROWS_AS(require_project(project("A\nB", "Acme", "2026-03-01T00:00:00Z"), ""),
                    InvalidInput);
    CHECK_THROWS_AS(require_project(project("A", "", "2026-03-01T00:00:00Z"), ""), InvalidInput);
    CHECK(project_name("  Portal  ") == "Portal");
}

TEST_CASE("report scope: split at the start, per project and customer, costliest first") {
    const std::vector<Project> projects = {project("Portal", "Acme", "2026-03-01T00:00:00Z"),
                                           project("Later", "acme", "2026-05-01T00:00:00Z"),
                                           project("Other", "Beta", "2026-01-01T00:00:00Z")};
    const std::vector<ScopeSignalInput> signals = {
        {"Portal", 1, "Before", "", State::submitted, moment("2026-02-28T23:59:59Z"), 500},
        {"portal", 2, "At the start", "billing", State::analysed, moment("2026-03-01T00:00:00Z"),
         12000},
        {"Portal", 3, "Unassessed", "billing", State::submitted, moment("2026-03-02T00:00:00Z"),
         std::nullopt},
        {"Portal", 4, "Costly", "", State::analysed, moment("2026-03-03T00:00:00Z"), 90000},
        {"Other", 5, "Beta's", "", State::analysed, moment("2026-02-01T00:00:00Z"), 100},
        {"Gone", 6, "Unknown project", "", State::submitted, moment("2026-03-01T00:00:00Z"), 1}};
    const std::vector<ScopeActionInput> actions = {
        {"Portal", 2, 1, "Before", moment("2026-02-01T00:00:00Z")},
        {"Portal", 2, 2, "After", moment("2026-03-05T00:00:00Z")}};
    const ScopeReport report = build_scope_report(projects, signals, actions, 2);

    // By customer ignoring case, then start.
    REQUIRE(report.projects.size() == 3);
    CHECK(report.projects[0].project.name == "Portal");
    CHECK(report.projects[1].project.name == "Later");
    CHECK(report.projects[2].project.name == "Other");
    const ScopeCounts& portal = report.projects[0].counts;
    CHECK(portal.signals_before == 1);
    CHECK(portal.signals_after == 3);
    CHECK(portal.unassessed_after == 1);
    CHECK(portal.cost_after == Decimal::from_hundredths(102000));
    CHECK(portal.actions_before == 1);
    CHECK(portal.actions_after == 1);
    CHECK(report.projects[0].processes ==
          std::vector<std::pair<std::string, std::int64_t>>{{"billing", 2}, {"", 1}});
    CHECK(report.projects[1].counts.signals_after == 0);

    // One line per customer (Acme and acme are one), the costliest first.
    REQUIRE(report.customers.size() == 2);
    CHECK(report.customers[0].customer == "Acme");
    CHECK(report.customers[0].projects == 2);
    CHECK(report.customers[1].counts.cost_after == Decimal::from_hundredths(100));

    // The requests, costliest first and unassessed last, limited; the total counts them all.
    CHECK(report.requests_total == 4);
    REQUIRE(report.requests.size() == 2);
    CHECK(report.requests[0].id == 4);
    CHECK(report.requests[1].id == 2);
    CHECK(report.total.signals_after == 4);
    CHECK(build_scope_report(projects, signals, actions, 0).requests.back().id == 3);

    const ScopeReport empty = build_scope_report({}, {}, {}, 20);
    CHECK(empty.projects.empty());
    CHECK(empty.total.cost_after == Decimal{});
}
