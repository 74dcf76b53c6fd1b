#pragma once

#include "sileram/domain/decimal.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace sileram::output {

// "EUR 1,234,567.50": currency, thousands separators, always the cents.
std::string money(const domain::Decimal& amount, const std::string& currency);
// "1,234,568": whole units, rounded half away from zero, for tables whose header names the
// currency.
std::string whole_money(const domain::Decimal& amount);
// "12,000"
std::string count(std::int64_t value);
// "+0.30", "-1.25": a change, always signed.
std::string change(const domain::Decimal& delta);
// "returns 17.0× its cost": a return on investment as a reader takes it (a bare "17.00" reads
// as 17 %).
std::string roi_text(double roi);
// "pays back in 0.7 months"
std::string payback_text(double months);
// "3 signals", "1 signal", or "50 of 314 signals shown" when `shown` is less than `total`.
std::string shown_count(std::int64_t shown, std::int64_t total, std::string_view one,
                        std::string_view many);

} // namespace sileram::output
