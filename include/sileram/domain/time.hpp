#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sileram::domain {

// A moment in UTC, to the second.
using Timestamp = std::chrono::sys_seconds;
// A calendar day, for due dates and "until" dates.
using Date = std::chrono::sys_days;

// Parses ISO 8601: "2026-12-01", "2026-12-01T10:00:00Z", "2026-12-01T10:00Z",
// "2026-12-01 10:00:00+01:00", fractions of a second ignored. A time without an offset is UTC.
// nullopt for anything else, including impossible days such as 2026-02-30.
std::optional<Timestamp> parse_timestamp(std::string_view text);

// A day counted back from today, as --since and --until take it: "today" 0, "yesterday" 1,
// "7d" 7 (days ago), "2w" 14 (weeks ago), N from 0 to k_most_days_ago days. nullopt for anything
// else. Which day "today" is depends on the time zone, which the caller knows.
std::optional<int> parse_days_ago(std::string_view text);
inline constexpr int k_most_days_ago = 36500;

// Parses a calendar day "2026-12-01" (a full timestamp is accepted and cut to its UTC day).
std::optional<Date> parse_date(std::string_view text);

// The years of a date sileram takes as input (submitted, due, until, since). A date before 1970
// is a placeholder (0000-01-01, 1900-01-01) rather than when a customer spoke up, and one after
// 2199 a "never" (9999-12-31) rather than a due date; both would sort and count wrongly in the
// reports. Dates already stored are read as they are.
constexpr int k_first_year = 1970;
constexpr int k_last_year = 2199;

// Whether `at` lies within the years k_first_year to k_last_year (UTC), inclusive.
bool within_input_years(Timestamp at);

// "2026-12-01T10:00:00Z"
std::string format_timestamp(Timestamp at);
// "2026-12-01"
std::string format_date(Date day);

// Whole days from `from` to `to`, negative when `to` lies before.
long days_between(Timestamp from, Timestamp to);

} // namespace sileram::domain
