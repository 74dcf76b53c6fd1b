#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/summary.hpp"
#include "sileram/domain/targets.hpp"

#include <nlohmann/json.hpp>

namespace sileram::output {

// The stable JSON of `show --json` (SPEC.md's names); sections not reached are null or empty.
// `now` decides which actions are overdue.
nlohmann::ordered_json signal_to_json(const domain::Signal& signal,
                                      const domain::ImpactSettings& settings,
                                      domain::Timestamp now);

// The `late` object of `show --json` and `list --late --json`: {reason, state, due,
// days_late}, or null when the signal is on time.
nlohmann::ordered_json late_to_json(const std::optional<domain::Lateness>& late);

// One element of `list --json`.
nlohmann::ordered_json summary_to_json(const domain::SignalSummary& summary,
                                       const domain::ImpactSettings& settings);

// A money amount or score as a JSON number (exact to the cent when printed).
nlohmann::ordered_json number(const domain::Decimal& value);
nlohmann::ordered_json number(const std::optional<domain::Decimal>& value);

// How the first triage went, from the history: "accepted", "rejected", "duplicate", or empty.
std::string triage_verdict(const domain::Signal& signal);

} // namespace sileram::output
