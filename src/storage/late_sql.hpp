#pragma once

// The SQL of domain::lateness that both databases run, so that `list --late` and `report
// overdue` find the same signals on each: the facts as columns, and the cuts of
// domain::late_cuts as one condition.

#include "sileram/domain/targets.hpp"
#include "sileram/domain/time.hpp"

#include <fmt/format.h>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::storage {

// When the signal `s` entered its state: its last history entry that changed the state (a
// signal without history counts from its submission).
inline constexpr std::string_view k_late_entered_at =
    "coalesce((SELECT h.at FROM history h WHERE h.signal_id = s.id AND (h.from_state IS NULL OR "
    "h.from_state <> h.to_state) ORDER BY h.id DESC LIMIT 1), s.submitted_at)";
// 1 when the signal once left `submitted`, which only a verdict or a question does; else 0.
inline constexpr std::string_view k_late_responded =
    "CASE WHEN EXISTS (SELECT 1 FROM history h WHERE h.signal_id = s.id AND h.from_state = "
    "'submitted' AND h.to_state <> 'submitted') THEN 1 ELSE 0 END";
// The --until of the signal's latest park, or NULL.
inline constexpr std::string_view k_late_parked_until =
    "(SELECT d.until FROM decisions d WHERE d.signal_id = s.id AND d.verdict = 'park' ORDER BY "
    "d.id DESC LIMIT 1)";

// ", entered_at, responded, parked_until": the columns of domain::LateFacts after a select list.
inline std::string late_columns() {
    return fmt::format(", {}, {}, {}", k_late_entered_at, k_late_responded, k_late_parked_until);
}

// " AND (…)": the signal `s` is late by `cuts`. Each value is spelt by `placeholder` (? or $N)
// and added to `values` in the order of the placeholders.
inline std::string late_condition(const domain::LateCuts& cuts,
                                  const std::function<std::string()>& placeholder,
                                  std::vector<std::string>& values) {
    std::vector<std::string> any;
    if (cuts.first_response_before) {
        any.push_back(fmt::format("(s.state = 'submitted' AND s.submitted_at < {} AND {} = 0)",
                                  placeholder(), k_late_responded));
        values.push_back(domain::format_timestamp(*cuts.first_response_before));
    }
    for (const auto& [state, before] : cuts.entered_before) {
        const std::string state_param = placeholder();
        any.push_back(fmt::format("(s.state = {} AND {} < {})", state_param, k_late_entered_at,
                                  placeholder()));
        values.emplace_back(domain::to_string(state));
        values.push_back(domain::format_timestamp(before));
    }
    if (cuts.review_before) {
        any.push_back(
            fmt::format("(s.state = 'parked' AND {} < {})", k_late_parked_until, placeholder()));
        values.push_back(domain::format_date(*cuts.review_before));
    }
    return any.empty() ? " AND 1 = 0" : fmt::format(" AND ({})", fmt::join(any, " OR "));
}

} // namespace sileram::storage
