#pragma once

#include "sileram/domain/decimal.hpp"
#include "sileram/domain/figures.hpp"
#include "sileram/domain/targets.hpp"
#include "sileram/domain/time.hpp"
#include "sileram/domain/workflow.hpp"
#include "sileram/output/terminal.hpp"

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
// The colour of a state: that of its stretch of the workflow (steps 1-2 blue, 3-4 yellow, 5-7
// cyan, 8 magenta, 9 green), grey once it has ended (closed, rejected, duplicate, dropped).
Hue state_hue(domain::State state);
// The colour of an impact class: red for high, none otherwise.
Hue class_hue(domain::ImpactClass impact_class);

// "2026-09-01 11:00 CEST": a moment in the local time zone ($TZ, else the system's) with the
// zone's abbreviation; stored and JSON times stay UTC.
// Why a signal is late, for people: "first response was due 2026-11-25, 3 days ago".
std::string late_text(const domain::Lateness& late);

std::string local_time(domain::Timestamp at);
// "2026-09-01": the local day a moment falls on.
std::string local_date(domain::Timestamp at);
// "67%": a resemblance score (0-1, see domain::resemble) as a share of the words, rounded down
// so that only the same words read as 100%.
std::string alike_share(double score);
// "3 signals", "1 signal", or "50 of 314 signals shown" when `shown` is less than `total`.
std::string shown_count(std::int64_t shown, std::int64_t total, std::string_view one,
                        std::string_view many);

} // namespace sileram::output
