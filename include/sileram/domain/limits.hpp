#pragma once

#include "sileram/domain/decimal.hpp"

#include <cstdint>
#include <string_view>

namespace sileram::domain {

// The largest figures sileram takes, chosen so that every sum the reports and the tallies compute
// in SQL over a billion signals fits in 64 bits, and every sum that becomes a Decimal fits its 62.
// No real organisation comes near them; a value above its bound is refused (exit 2).
//
// The arithmetic, with N = 10^9 signals, D = 2^62 − 1 ≈ 4.61·10^18 (Decimal), I = 2^63 − 1 ≈
// 9.22·10^18 (SQLite integer) and at most 365 periods a year (impact.period = day):
// - contacts ≤ 10^7 per period: Σ contacts ≤ 10^16; Σ score (× impact 5) ≤ 5·10^16; Σ contacts
//   saved ≤ 10^16 in magnitude.
// - cost per contact ≤ 10,000.00 (10^6 cents) and cost per period (contacts × cost per contact,
//   for the baseline and every measurement) ≤ 40,000,000.00 (4·10^9 cents): Σ cost per period and
//   Σ saved per period ≤ 4·10^18 < D, also in the tallies (tally_fields.cost_cents).
// - cost per year: 4·10^9 × 365 ≈ 1.46·10^12 cents for one signal, but Σ over N would be
//   1.46·10^21 > I. Fitting it would need a cost per period of at most 126,000.00, too small
//   for a large organisation counting per month. So no SQL sums money per year: the reports take
//   Σ per period and multiply in the domain (Decimal::times: 128-bit, checked), which only fails
//   once all signals together cost over 126 trillion a period.
// - expected savings per year: each signal's is rounded to the cent on its own (the business
//   case), at most 4·10^9 × 10^4 (reduction in hundredths of a percent) × 365 ≈ 1.46·10^16 before
//   the division; the effect report sums it in two parts, Σ (v / k_split_cents) ≤ 1.46·10^18 and
//   Σ (v mod k_split_cents) ≤ 10^12, joined in the domain with checked 128-bit arithmetic.
// - action costs ≤ 40,000,000.00 for all live actions of one signal together: Σ ≤ 4·10^18 < D.
// - the satisfaction scale within ±1,000: Σ deltas ≤ N × 2·10^5 hundredths = 2·10^14.
constexpr std::int64_t k_bounded_signals = 1'000'000'000;
constexpr int k_max_periods_per_year = 365;
constexpr std::int64_t k_max_contacts = 10'000'000;
constexpr Decimal k_max_cost_per_contact = Decimal::from_whole(10'000);
constexpr Decimal k_max_cost_per_period = Decimal::from_whole(40'000'000);
constexpr Decimal k_max_action_cost = Decimal::from_whole(40'000'000);
constexpr Decimal k_max_satisfaction = Decimal::from_whole(1'000);
constexpr std::int64_t k_split_cents = 1'000;

constexpr std::int64_t k_sql_max = INT64_MAX;
static_assert(k_bounded_signals * k_max_contacts * 5 <= k_sql_max);
static_assert(k_bounded_signals * k_max_cost_per_period.hundredths() <= Decimal::k_max_hundredths);
static_assert(k_bounded_signals * k_max_action_cost.hundredths() <= Decimal::k_max_hundredths);
static_assert(k_max_cost_per_period.hundredths() * 10'000 * k_max_periods_per_year + 5'000 <=
              k_sql_max);
static_assert(k_bounded_signals *
                  (k_max_cost_per_period.hundredths() * k_max_periods_per_year / k_split_cents) <=
              Decimal::k_max_hundredths);
static_assert(k_bounded_signals * k_split_cents <= k_sql_max);
static_assert(k_bounded_signals * 2 * k_max_satisfaction.hundredths() <= k_sql_max);

// Throws InvalidInput naming `what` and the limit unless 0 ≤ contacts ≤ k_max_contacts.
void require_contacts_bound(std::int64_t contacts, std::string_view what, std::string_view period);
// Throws InvalidInput naming `what` and the limit unless cost ≤ k_max_cost_per_contact.
void require_cost_per_contact_bound(Decimal cost, std::string_view what);
// Throws InvalidInput naming both figures and the limit unless contacts × cost per contact ≤
// k_max_cost_per_period.
void require_cost_per_period_bound(std::int64_t contacts, Decimal cost_per_contact,
                                   std::string_view contacts_what, std::string_view period);
// Throws InvalidInput naming `what` and the limit unless a signal's action costs together stay
// within k_max_action_cost.
void require_action_cost_bound(Decimal total, std::string_view what);

} // namespace sileram::domain
