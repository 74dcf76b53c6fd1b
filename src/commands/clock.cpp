#include "sileram/commands/clock.hpp"

#include <ctime>

namespace sileram::commands {

domain::Timestamp SystemClock::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

domain::Timestamp local_day_start(domain::Timestamp now, int days_ago) {
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm local{};
    localtime_r(&t, &local);
    // mktime normalises a day of the month below 1 and finds the offset in force at midnight of
    // that day, which differs from today's across a DST change.
    local.tm_mday -= days_ago;
    local.tm_hour = 0;
    local.tm_min = 0;
    local.tm_sec = 0;
    local.tm_isdst = -1;
    return std::chrono::time_point_cast<std::chrono::seconds>(
        std::chrono::system_clock::from_time_t(std::mktime(&local)));
}

domain::Date local_day(domain::Timestamp at) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm local{};
    localtime_r(&t, &local);
    return std::chrono::sys_days(
        std::chrono::year_month_day(std::chrono::year(local.tm_year + 1900),
                                    std::chrono::month(static_cast<unsigned>(local.tm_mon + 1)),
                                    std::chrono::day(static_cast<unsigned>(local.tm_mday))));
}

} // namespace sileram::commands
