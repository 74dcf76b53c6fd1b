#pragma once

#include "sileram/domain/decimal.hpp"
#include "sileram/domain/signal.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sileram::domain {

enum class ImpactClass { low, medium, high };

std::string_view to_string(ImpactClass impact_class);
std::optional<ImpactClass> parse_impact_class(std::string_view name);

// The organisation's yardsticks for impact and money, from the [impact] section of the config.
struct ImpactSettings {
    std::string currency = "EUR";
    Decimal cost_per_contact = Decimal::from_whole(10);
    std::string period = "month";
    int periods_per_year = 12;
    std::int64_t high = 5000;   // score from which a signal is high impact
    std::int64_t medium = 1000; // score from which a signal is medium impact
    Decimal satisfaction_min = Decimal::from_whole(1);
    Decimal satisfaction_max = Decimal::from_whole(10);
};

// How many periods of each supported length make a year; nullopt for an unknown period.
std::optional<int> periods_per_year(std::string_view period);

struct ImpactFigures {
    std::int64_t score = 0;
    ImpactClass impact_class = ImpactClass::low;
    Decimal cost_per_period;
    Decimal cost_per_year;
};

// Score = contacts × satisfaction impact; class from the thresholds; cost per period and year.
ImpactFigures impact_figures(const Impact& impact, const ImpactSettings& settings);
ImpactClass classify(std::int64_t score, const ImpactSettings& settings);

struct BusinessCase {
    std::optional<Decimal> expected_reduction;
    std::optional<Decimal> expected_satisfaction;
    std::optional<Decimal> expected_savings_per_year;
    Decimal cost;                         // all actions and sub-activities that are not cancelled
    std::optional<double> roi;            // (savings per year − cost) / cost; none without cost
    std::optional<double> payback_months; // none without positive savings
};

// The cost of every action and sub-activity that is not cancelled.
Decimal total_action_cost(const Signal& signal);

// Step 6: what the planned actions cost and what the expected reduction of contacts saves.
BusinessCase business_case(const Signal& signal, const ImpactSettings& settings);

// Step 7: the business case as it was approved, with its ROI and payback.
BusinessCase approved_business_case(const ApprovedCase& approved);

// Current minus approved, figure by figure; a figure one of them lacks has no difference.
BusinessCase case_difference(const BusinessCase& approved, const BusinessCase& current);

// What `act --go` keeps of the current business case.
ApprovedCase approve_case(const BusinessCase& current, Timestamp at);

struct Effect {
    std::int64_t contacts_saved = 0;
    Decimal saved_per_period;
    Decimal saved_per_year;
    std::optional<Decimal> satisfaction_delta;
    std::optional<double> realised_share; // saved per year / expected savings per year
};

// Step 9: a measurement set against the step-3 baseline and the business case.
Effect effect(const Impact& baseline, const Measurement& measurement,
              const std::optional<Decimal>& expected_savings_per_year,
              const ImpactSettings& settings);

} // namespace sileram::domain
