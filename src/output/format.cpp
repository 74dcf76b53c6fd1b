#include "sileram/output/format.hpp"

#include "sileram/output/terminal.hpp"

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

std::string shown_count(std::int64_t shown, std::int64_t total, std::string_view one,
                        std::string_view many) {
    if (shown < total) {
        return fmt::format("{} of {} {} shown", count(shown), count(total), many);
    }
    return fmt::format("{} {}", count(shown), shown == 1 ? one : many);
}

} // namespace sileram::output
