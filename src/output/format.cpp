#include "sileram/output/format.hpp"

#include "sileram/output/terminal.hpp"

#include <cmath>
#include <ctime>
#include <fmt/format.h>

namespace sileram::output {

std::string money(const domain::Decimal& amount, const std::string& currency) {
    return fmt::format("{} {}", currency, group_thousands(amount.to_fixed()));
}

std::string whole_money(const domain::Decimal& amount) {
    const std::int64_t hundredths = amount.hundredths();
    const std::int64_t whole = hundredths >= 0 ? (hundredths + 50) / 100 : (hundredths - 50) / 100;
    return count(whole);
}

std::string count(std::int64_t value) {
    return group_thousands(std::to_string(value));
}

std::string change(const domain::Decimal& delta) {
    const std::string text = delta.to_fixed();
    return delta.hundredths() >= 0 ? "+" + text : text;
}

std::string roi_text(double roi) {
    return fmt::format("returns {:.1f}× its cost", roi);
}

std::string payback_text(double months) {
    return fmt::format("pays back in {:.1f} months", months);
}

namespace {

std::string local_format(domain::Timestamp at, const char* format) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm local{};
    localtime_r(&t, &local);
    char text[64];
    const std::size_t size = std::strftime(text, sizeof text, format, &local);
    return std::string(text, size);
}

} // namespace

Hue state_hue(domain::State state) {
    if (!domain::is_open(state)) {
        return Hue::grey;
    }
    // Indexed by step, 1 to 10.
    constexpr Hue k_by_step[] = {Hue::none,    Hue::blue,  Hue::blue, Hue::yellow,
                                 Hue::yellow,  Hue::cyan,  Hue::cyan, Hue::cyan,
                                 Hue::magenta, Hue::green, Hue::grey};
    const int step = domain::info(state).step;
    return step >= 1 && step <= 10 ? k_by_step[step] : Hue::none;
}

Hue class_hue(domain::ImpactClass impact_class) {
    return impact_class == domain::ImpactClass::high ? Hue::red : Hue::none;
}

std::string late_text(const domain::Lateness& late) {
    std::string ago = fmt::format("{}, {} day{} ago", domain::format_date(late.due), late.days_late,
                                  late.days_late == 1 ? "" : "s");
    switch (late.reason) {
    case domain::LateReason::first_response:
        return "first response was due " + ago;
    case domain::LateReason::days_in:
        return fmt::format("{} for too long: was due to move on by {}",
                           domain::to_string(late.state), ago);
    case domain::LateReason::review:
        return "due for review: parked until " + ago;
    }
    return ago;
}

std::string local_time(domain::Timestamp at) {
    return local_format(at, "%Y-%m-%d %H:%M %Z");
}

std::string local_date(domain::Timestamp at) {
    return local_format(at, "%Y-%m-%d");
}

std::string alike_share(double score) {
    // The stored score is rounded to three places: 0.999 must not print as 100%.
    return fmt::format("{}%", static_cast<int>(std::floor(score * 100 + 1e-9)));
}

std::string shown_count(std::int64_t shown, std::int64_t total, std::string_view one,
                        std::string_view many) {
    if (shown < total) {
        return fmt::format("{} of {} {} shown", count(shown), count(total), many);
    }
    return fmt::format("{} {}", count(shown), shown == 1 ? one : many);
}

} // namespace sileram::output
