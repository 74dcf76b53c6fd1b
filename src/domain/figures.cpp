#include "sileram/domain/figures.hpp"

#include "sileram/domain/limits.hpp"
#include "sileram/domain/rounding.hpp"
#include "sileram/errors.hpp"

#include <cmath>
#include <fmt/format.h>

namespace sileram::domain {

namespace {

struct PeriodInfo {
    std::string_view name;
    int per_year;
};

constexpr PeriodInfo k_periods[] = {
    {"day", 365}, {"week", 52}, {"month", 12}, {"quarter", 4}, {"year", 1},
};

constexpr bool periods_within_bounds() {
    for (const PeriodInfo& p : k_periods) {
        if (p.per_year > k_max_periods_per_year) {
            return false;
        }
    }
    return true;
}
static_assert(periods_within_bounds(), "limits.hpp sizes the sums for k_max_periods_per_year");

struct ClassInfo {
    ImpactClass impact_class;
    std::string_view name;
};

constexpr ClassInfo k_classes[] = {
    {ImpactClass::low, "low"},
    {ImpactClass::medium, "medium"},
    {ImpactClass::high, "high"},
};

} // namespace

std::string_view to_string(ImpactClass impact_class) {
    for (const ClassInfo& c : k_classes) {
        if (c.impact_class == impact_class) {
            return c.name;
        }
    }
    return "low";
}

std::optional<ImpactClass> parse_impact_class(std::string_view name) {
    for (const ClassInfo& c : k_classes) {
        if (c.name == name) {
            return c.impact_class;
        }
    }
    return std::nullopt;
}

void require_contacts_bound(std::int64_t contacts, std::string_view what, std::string_view period) {
    if (contacts < 0) {
        throw InvalidInput(fmt::format("{} {} is negative; give the customer contacts per {}", what,
                                       contacts, period));
    }
    if (contacts > k_max_contacts) {
        throw InvalidInput(fmt::format("{} {} is too large; at most {} contacts per {}", what,
                                       contacts, k_max_contacts, period));
    }
}

void require_cost_per_contact_bound(Decimal cost, std::string_view what) {
    if (cost.hundredths() < 0) {
        throw InvalidInput(fmt::format("{} {} is negative", what, cost.to_string()));
    }
    if (cost > k_max_cost_per_contact) {
        throw InvalidInput(fmt::format("{} {} is too large; a contact costs at most {}", what,
                                       cost.to_string(), k_max_cost_per_contact.to_string()));
    }
}

void require_cost_per_period_bound(std::int64_t contacts, Decimal cost_per_contact,
                                   std::string_view contacts_what, std::string_view period) {
    // Both factors are bounded already, so the product fits.
    if (cost_per_contact.times(contacts) > k_max_cost_per_period) {
        throw InvalidInput(fmt::format(
            "{} {} at {} a contact cost {} per {}; sileram counts at most {} per {} for one "
            "signal",
            contacts_what, contacts, cost_per_contact.to_string(),
            cost_per_contact.times(contacts).to_string(), period, k_max_cost_per_period.to_string(),
            period));
    }
}

void require_action_cost_bound(Decimal total, std::string_view what) {
    if (total.hundredths() < 0) {
        throw InvalidInput(fmt::format("{} {} is negative", what, total.to_string()));
    }
    if (total > k_max_action_cost) {
        throw InvalidInput(
            fmt::format("{} {} is too large; the actions of one signal cost at most {} together",
                        what, total.to_string(), k_max_action_cost.to_string()));
    }
}

std::optional<int> periods_per_year(std::string_view period) {
    for (const PeriodInfo& p : k_periods) {
        if (p.name == period) {
            return p.per_year;
        }
    }
    return std::nullopt;
}

ImpactClass classify(std::int64_t score, const ImpactSettings& settings) {
    if (score >= settings.high) {
        return ImpactClass::high;
    }
    if (score >= settings.medium) {
        return ImpactClass::medium;
    }
    return ImpactClass::low;
}

ImpactFigures impact_figures(const Impact& impact, const ImpactSettings& settings) {
    ImpactFigures figures;
    figures.score = impact.contacts * impact.satisfaction_impact;
    figures.impact_class = classify(figures.score, settings);
    figures.cost_per_period = impact.cost_per_contact.times(impact.contacts);
    figures.cost_per_year = figures.cost_per_period.times(settings.periods_per_year);
    return figures;
}

Decimal total_action_cost(const Signal& signal) {
    Decimal total;
    for (const Action& action : signal.actions) {
        if (action.is_live()) {
            total = total + action.cost;
        }
    }
    return total;
}

namespace {

// ROI and payback follow from savings and cost alone, so an approved case yields them the same way.
void add_returns(BusinessCase& bc) {
    if (bc.expected_savings_per_year) {
        const double savings = bc.expected_savings_per_year->to_double();
        const double cost = bc.cost.to_double();
        if (cost > 0) {
            bc.roi = rounded((savings - cost) / cost, 0.0001);
        }
        if (savings > 0) {
            bc.payback_months = rounded(cost * 12.0 / savings, 0.01);
        }
    }
}

} // namespace

BusinessCase business_case(const Signal& signal, const ImpactSettings& settings) {
    BusinessCase bc;
    bc.expected_reduction = signal.expected_reduction;
    bc.expected_satisfaction = signal.expected_satisfaction;
    bc.cost = total_action_cost(signal);
    if (signal.impact && signal.expected_reduction) {
        const Decimal cost_per_year = impact_figures(*signal.impact, settings).cost_per_year;
        bc.expected_savings_per_year = cost_per_year.percent_of(*signal.expected_reduction);
    }
    add_returns(bc);
    return bc;
}

BusinessCase approved_business_case(const ApprovedCase& approved) {
    BusinessCase bc;
    bc.expected_reduction = approved.expected_reduction;
    bc.expected_satisfaction = approved.expected_satisfaction;
    bc.expected_savings_per_year = approved.expected_savings_per_year;
    bc.cost = approved.cost;
    add_returns(bc);
    return bc;
}

BusinessCase case_difference(const BusinessCase& approved, const BusinessCase& current) {
    const auto minus = [](const std::optional<Decimal>& now,
                          const std::optional<Decimal>& then) -> std::optional<Decimal> {
        return now && then ? std::optional<Decimal>(*now - *then) : std::nullopt;
    };
    const auto minus_ratio = [](const std::optional<double>& now, const std::optional<double>& then,
                                double step) -> std::optional<double> {
        return now && then ? std::optional<double>(rounded(*now - *then, step)) : std::nullopt;
    };
    BusinessCase d;
    d.expected_reduction = minus(current.expected_reduction, approved.expected_reduction);
    d.expected_satisfaction = minus(current.expected_satisfaction, approved.expected_satisfaction);
    d.expected_savings_per_year =
        minus(current.expected_savings_per_year, approved.expected_savings_per_year);
    d.cost = current.cost - approved.cost;
    d.roi = minus_ratio(current.roi, approved.roi, 0.0001);
    d.payback_months = minus_ratio(current.payback_months, approved.payback_months, 0.01);
    return d;
}

ApprovedCase approve_case(const BusinessCase& current, Timestamp at) {
    return ApprovedCase{current.expected_reduction, current.expected_satisfaction,
                        current.expected_savings_per_year, current.cost, at};
}

Effect effect(const Impact& baseline, const Measurement& measurement,
              const std::optional<Decimal>& expected_savings_per_year,
              const ImpactSettings& settings) {
    Effect e;
    e.contacts_saved = baseline.contacts - measurement.contacts;
    e.saved_per_period = baseline.cost_per_contact.times(e.contacts_saved);
    e.saved_per_year = e.saved_per_period.times(settings.periods_per_year);
    if (baseline.satisfaction && measurement.satisfaction) {
        e.satisfaction_delta = *measurement.satisfaction - *baseline.satisfaction;
    }
    if (expected_savings_per_year && expected_savings_per_year->hundredths() > 0) {
        e.realised_share =
            rounded(e.saved_per_year.to_double() / expected_savings_per_year->to_double(), 0.0001);
    }
    return e;
}

} // namespace sileram::domain
