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
    const auto checked = check_row(record({"", "not-an-address", "2026-02-30", "fax"}), plan,
                                   RowRules{{}, rules, {}});
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
    const auto checked = check_row(record({"T", ""}), plan, RowRules{"lead@example.nl", {}, {}});
    CHECK(checked.problems.empty());
    CHECK(checked.signal.submitted_by == "lead@example.nl");
    const auto own =
        check_row(record({"T", "own@example.nl"}), plan, RowRules{"lead@x.nl", {}, {}});
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

TEST_CASE("check_row refuses every row that the checks of a single submit refuse") {
    // An import makes its signals with new_checked_signal, which checks nothing again: each of
    // these values breaks a rule of check_new_signal, and check_row must refuse it too.
    ColumnPlan plan({}, {});
    plan.update({"title", "description", "submitted_by", "channel", "external_id"});
    const std::vector<std::vector<std::string>> rows = {
        {"", "", "a@b.nl", "", ""},
        {"   ", "", "a@b.nl", "", ""},
        {std::string(301, 't'), "", "a@b.nl", "", ""},
        {"Twee\nregels", "", "a@b.nl", "", ""},
        {std::string("nul\0byte", 8), "", "a@b.nl", "", ""},
        {"T", std::string(20001, 'd'), "a@b.nl", "", ""},
        {"T", std::string("nul\0", 4), "a@b.nl", "", ""},
        {"T", "", "geen-adres", "", ""},
        {"T", "", "a@b.nl\nBcc: x@y.nl", "", ""},
        {"T", "", "a@b.nl", "tel\nefoon", ""},
        {"T", "", "a@b.nl", "", "ext\r1"},
        {"T", "", "a@b.nl", "\xff\xfe", ""},
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& values = rows[i];
        CAPTURE(i);
        const auto checked = check_row(record(values), plan, {});
        sileram::domain::NewSignal input = checked.signal;
        if (input.submitted_by.empty()) {
            input.submitted_by = values[2];
        }
        CHECK_THROWS_AS(sileram::domain::check_new_signal(input), sileram::InvalidInput);
        CHECK_FALSE(checked.problems.empty());
    }
    const auto valid = check_row(record({"T", "d", "a@b.nl", "phone", "e1"}), plan, {});
    CHECK(valid.problems.empty());
    CHECK_NOTHROW(sileram::domain::check_new_signal(valid.signal));
}
