#include "sileram/output/format.hpp"

#include "sileram/output/terminal.hpp"

#include <fmt/format.h>

namespace sileram::output {

std::string money(const domain::Decimal& amount, const std::string& currency) {
    return fmt::format("{} {}", currency, group_thousands(amount.to_fixed()));
}

std::string count(std::int64_t value) {
    return group_thousands(std::to_string(value));
}

std::string change(const domain::Decimal& delta) {
    const std::string text = delta.to_fixed();
    return delta.hundredths() >= 0 ? "+" + text : text;
}

} // namespace sileram::output
