#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/summary.hpp"
#include "sileram/output/terminal.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sileram::output {

// Whether a list says why each signal is late (`list --late`).
enum class LateColumn { off, on };

// The table of `list` fitted to `width` (the least important columns left out first), states in
// their step's colour and the high class in red with Color::on, then "N signals" or "50 of 314
// signals shown" when `total` is more than the rows (no such line when `total` is nullopt).
// With LateColumn::on a column `late` says which target each signal missed.
std::string signal_list_text(const std::vector<domain::SignalSummary>& rows,
                             std::optional<std::int64_t> total,
                             const domain::ImpactSettings& settings, std::size_t width, Color color,
                             LateColumn late = LateColumn::off);

// `list --csv`: a header record, then one record per signal with UTC times and plain numbers;
// with LateColumn::on also late_reason, late_state, late_due and days_late.
std::string signal_list_csv(const std::vector<domain::SignalSummary>& rows,
                            const domain::ImpactSettings& settings,
                            LateColumn late = LateColumn::off);

} // namespace sileram::output
