#include "sileram/config/config.hpp"
#include "sileram/errors.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace sileram;

namespace {

std::string report_settings_error_of(std::string_view text) {
    try {
        config::parse_config(text, "s.toml");
    } catch (const InvalidInput& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("[reports]: defaults, values, and the sample that init prints") {
    const config::Config defaults = config::parse_config("", "s.toml");
    CHECK(defaults.reports.stale_days == 14);
    CHECK(defaults.reports.silent_days == 30);
    const config::Config c = config::parse_config(
        "[reports]\nstale_days = 7\nsilent_days = 10\ndisproportion = 1.5\ncare_window_days = 30\n"
        "care_signals = 2\nmany_contacts = 500\nhigh_satisfaction_impact = 4\nrows = 0\n",
        "s.toml");
    CHECK(c.reports.stale_days == 7);
    CHECK(c.reports.silent_days == 10);
    CHECK(c.reports.disproportion == *domain::Decimal::parse("1.5"));
    CHECK(c.reports.care_window_days == 30);
    CHECK(c.reports.care_signals == 2);
    CHECK(c.reports.many_contacts == 500);
    CHECK(c.reports.high_satisfaction_impact == 4);
    CHECK(c.reports.rows == 0);
    const config::Config sample = config::parse_config(config::sample_config(), "sample.toml");
    CHECK(sample.reports.stale_days == 14);
    CHECK(sample.reports.disproportion == domain::Decimal::from_whole(2));
}

TEST_CASE("[reports]: unknown key, wrong type, out of range name file, line and key") {
    CHECK(report_settings_error_of("[reports]\nstale_dayz = 3\n") ==
          "s.toml:2: reports.stale_dayz: unknown key; did you mean reports.stale_days?");
    CHECK(report_settings_error_of("[reports]\n\nsilent_days = \"x\"\n") ==
          "s.toml:3: reports.silent_days: must be a whole number, not a string");
    CHECK(report_settings_error_of("[reports]\nhigh_satisfaction_impact = 6\n")
              .starts_with("s.toml:2: reports.high_satisfaction_impact: 6 is out of range"));
    CHECK(report_settings_error_of("[reports]\nstale_days = 0\n")
              .starts_with("s.toml:2: reports.stale_days:"));
    CHECK(report_settings_error_of("[reports]\ndisproportion = 0\n")
              .starts_with("s.toml:2: reports.disproportion: must be a number above 0"));
    CHECK(report_settings_error_of("[reports]\ndisproportion = 1.234\n")
              .starts_with("s.toml:2: reports.disproportion: must be a number with at most two"));
}
