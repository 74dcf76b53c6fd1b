#include "sileram/errors.hpp"
#include "sileram/intake/rows.hpp"

#include <doctest/doctest.h>

using namespace sileram::intake;
using sileram::domain::FieldRule;

namespace {

Record record(std::vector<std::string> values) {
    Record r;
    r.row = 2;
    r.values = std::move(values);
    return r;
}

} // namespace

TEST_CASE("columns named like SPEC's keys feed their fields; others are named once") {
    ColumnPlan plan({}, {});
    const auto unknown = plan.update({"title", "submitted_by", "Kleur", "channel"});
    CHECK(unknown == std::vector<std::string>{"Kleur"});
    CHECK(plan.update({"title", "submitted_by", "Kleur", "channel"}).empty());
    const auto checked = check_row(record({"Factuur", "a@b.nl", "rood", "phone"}), plan, {});
    CHECK(checked.problems.empty());
    CHECK(checked.signal.title == "Factuur");
    CHECK(checked.signal.fields == std::map<std::string, std::string>{{"channel", "phone"}});
}

TEST_CASE("--map reads a field from another column; the original column is then ignored") {
    ColumnPlan plan({"title=Subject", "submitted_by=Email"}, {});
    const auto unknown = plan.update({"Subject", "title", "Email"});
    CHECK(unknown == std::vector<std::string>{"title"});
    const auto checked = check_row(record({"Uit kolom", "niet dit", "x@y.nl"}), plan, {});
    CHECK(checked.problems.empty());
    CHECK(checked.signal.title == "Uit kolom");
    CHECK_THROWS_AS(plan.require_mapped_columns({"Subject"}), sileram::InvalidInput);
    CHECK_THROWS_AS(ColumnPlan({"title"}, {}), sileram::InvalidInput);
    CHECK_THROWS_AS(ColumnPlan({"Bad Field=x"}, {}), sileram::InvalidInput);
    CHECK_THROWS_AS(ColumnPlan({"title=a", "title=b"}, {}), sileram::InvalidInput);
}

TEST_CASE("every problem of a row is named with its column") {
    const std::vector<FieldRule> rules{{"channel", {"phone", "email"}}};
    ColumnPlan plan({}, rules);
    plan.update({"title", "submitted_by", "submitted_at", "channel"});
    const auto checked =
        check_row(record({"", "not-an-address", "2026-02-30", "fax"}), plan, RowRules{{}, rules});
    std::vector<std::string> columns;
    for (const auto& p : checked.problems) {
        columns.push_back(p.column);
    }
    CHECK(columns == std::vector<std::string>{"submitted_at", "title", "submitted_by", "channel"});
}

TEST_CASE("--by gives the submitter of rows without one") {
    ColumnPlan plan({}, {});
    plan.update({"title", "submitted_by"});
    CHECK(check_row(record({"T", ""}), plan, {}).problems.at(0).column == "submitted_by");
    const auto checked = check_row(record({"T", ""}), plan, RowRules{"lead@example.nl", {}});
    CHECK(checked.problems.empty());
    CHECK(checked.signal.submitted_by == "lead@example.nl");
    const auto own = check_row(record({"T", "own@example.nl"}), plan, RowRules{"lead@x.nl", {}});
    CHECK(own.signal.submitted_by == "own@example.nl");
}

TEST_CASE("invalid UTF-8 and line breaks in one-line values are refused") {
    ColumnPlan plan({}, {});
    plan.update({"title", "submitted_by", "customer", "description"});
    const auto checked =
        check_row(record({"bad \xff", "a@b.nl", "two\nlines", "ok \xc3"}), plan, {});
    REQUIRE(checked.problems.size() == 3);
    CHECK(checked.problems[0].column == "customer");
    CHECK(checked.problems[1].column == "title");
    CHECK(checked.problems[2].column == "description");
}

TEST_CASE("a record the reader could not read is one problem of the whole row") {
    ColumnPlan plan({}, {});
    plan.update({"title"});
    Record r = record({"x"});
    r.error = "not valid JSON";
    const auto checked = check_row(r, plan, {});
    REQUIRE(checked.problems.size() == 1);
    CHECK(checked.problems[0].column.empty());
}
