// The state lists in the SQL of both databases come from the domain (storage/state_lists.hpp);
// the lists written out in SQLite's migrations, which must stay as they shipped, agree with them.
#include "../state_lists.hpp"
#include "migrations.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <regex>
#include <string>

using namespace sileram;
using namespace sileram::storage;
using test_support::contains;

namespace {

// Every "IN (…)" list in `sql` that names `first` first, its white space made single spaces.
std::vector<std::string> in_lists_starting_with(const std::string& sql, const std::string& first) {
    std::vector<std::string> lists;
    const std::regex list("IN\\s*(\\('" + first + "'[^)]*\\))");
    for (auto it = std::sregex_iterator(sql.begin(), sql.end(), list); it != std::sregex_iterator();
         ++it) {
        lists.push_back(std::regex_replace((*it)[1].str(), std::regex("\\s+"), " "));
    }
    return lists;
}

} // namespace

TEST_CASE("state lists: rendered from the domain's tables") {
    CHECK(sql_impact_states() == "('analysed', 'prioritised', 'parked', 'root-caused', 'planned', "
                                 "'approved', 'in-progress', 'implemented')");
    CHECK(sql_executing_states() == "('approved', 'in-progress')");
    CHECK(sql_state_list({}) == "()");
}

TEST_CASE("state lists: SQLite's migrations spell the same lists as the domain") {
    int impact_lists = 0;
    int executing_lists = 0;
    for (const auto& m : storage::sqlite::migrations()) {
        const std::string sql = m.sql;
        for (const std::string& l : in_lists_starting_with(sql, "analysed")) {
            CAPTURE(m.version);
            CHECK(l == sql_impact_states());
            ++impact_lists;
        }
        for (const std::string& l : in_lists_starting_with(sql, "approved")) {
            CAPTURE(m.version);
            CHECK(l == sql_executing_states());
            ++executing_lists;
        }
    }
    // The tally triggers of version 5 and the ranking's partial index.
    CHECK(impact_lists >= 7);
    CHECK(executing_lists >= 7);
}

TEST_CASE("state lists: the step of a history row follows the domain's steps") {
    const std::string sql = sql_step_of_history("to_state", "from_state", "step");
    CHECK(contains(sql, "WHEN 'submitted' THEN 1"));
    CHECK(contains(sql, "WHEN 'closed' THEN 10"));
    CHECK(contains(sql, "WHEN 'implemented' THEN 8"));
    // Dropped at the priority gate is step 4, at the go/no-go step 7.
    CHECK(contains(sql, "WHEN 'dropped' THEN CASE from_state WHEN 'analysed' THEN 4 WHEN "
                        "'parked' THEN 4 WHEN 'planned' THEN 7 ELSE step END"));
}
