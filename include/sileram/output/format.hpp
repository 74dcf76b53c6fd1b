#pragma once

#include "sileram/domain/decimal.hpp"

#include <cstdint>
#include <string>

namespace sileram::output {

// "EUR 1,234,567.50": currency, thousands separators, always the cents.
std::string money(const domain::Decimal& amount, const std::string& currency);
// "12,000"
std::string count(std::int64_t value);
// "+0.30", "-1.25": a change, always signed.
std::string change(const domain::Decimal& delta);

} // namespace sileram::output
