#include "reports.hpp"
#include "sileram/domain/limits.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

// Each signal's latest measurement with the signal, `m` and `s`; $1 and $2 are bound before the
// filter's parameters (the totals use them).
std::string measured_signals(const std::string& where_sql) {
    return fmt::format("FROM (SELECT signal_id, max(id) AS id FROM measurements GROUP BY "
                       "signal_id) latest JOIN measurements m ON m.id = latest.id "
                       "JOIN signals s ON s.id = latest.signal_id "
                       "WHERE s.contacts IS NOT NULL{}",
                       where_sql);
}

// The same rows from tally_effect (schema 12), which holds the latest measurement of every
// measured signal with contacts, with the signal's terms, as `s` and `m`.
constexpr const char* k_tallied_signals =
    "FROM (SELECT signal_id AS id, contacts, cost_per_contact_cents, "
    "expected_reduction_hundredths, satisfaction_hundredths, approved_savings_per_year_cents, "
    "measured_contacts, measured_satisfaction, action_cost_cents FROM tally_effect) s "
    "CROSS JOIN LATERAL (SELECT s.measured_contacts AS contacts, s.measured_satisfaction AS "
    "satisfaction_hundredths) m WHERE true";

// The cost of a signal's actions that were not cancelled.
constexpr const char* k_action_cost =
    "coalesce((SELECT sum(a.cost_cents) FROM actions a WHERE a.signal_id = s.id "
    "AND a.status <> 'cancelled'), 0)";

// The business case rounds each signal's expectation half away from zero to a cent (bigint
// division truncates towards zero, as SQLite's does); the expectations per year are summed in
// two parts (domain/limits.hpp): $1 periods per year, $2 the split.
constexpr const char* k_effect_totals = R"sql(
SELECT count(*), coalesce(sum(s.contacts - m.contacts), 0),
       coalesce(sum((s.contacts - m.contacts) * s.cost_per_contact_cents), 0),
       coalesce(sum((s.contacts * s.cost_per_contact_cents * $1 * s.expected_reduction_hundredths
                     + 5000) / 10000 / $2), 0),
       coalesce(sum((s.contacts * s.cost_per_contact_cents * $1 * s.expected_reduction_hundredths
                     + 5000) / 10000 % $2), 0),
       coalesce(sum(CASE WHEN s.expected_reduction_hundredths > 0 THEN
                    (s.contacts - m.contacts) * s.cost_per_contact_cents END), 0),
       coalesce(sum({}), 0),
       coalesce(sum(m.satisfaction_hundredths - s.satisfaction_hundredths), 0),
       count(m.satisfaction_hundredths - s.satisfaction_hundredths)
)sql";

EffectSums effect_totals(Connection& db, const ReportFilter& filter, const ImpactSettings& impact) {
    const Where where =
        filter_where(filter, "m.measured_at",
                     Params(std::int64_t{impact.periods_per_year}, std::int64_t{k_split_cents}));
    const bool tallied = !has_filter(filter);
    const Result r =
        db.exec((fmt::format(k_effect_totals, tallied ? "s.action_cost_cents" : k_action_cost) +
                 (tallied ? std::string(k_tallied_signals) : measured_signals(where.sql)))
                    .c_str(),
                where.params);
    EffectSums t;
    if (r.rows() > 0) {
        t.signals = r.integer(0, 0);
        t.contacts_saved = r.integer(0, 1);
        t.saved_per_period_cents = r.integer(0, 2);
        t.expected_per_year_split = r.integer(0, 3);
        t.expected_per_year_rest_cents = r.integer(0, 4);
        t.saved_per_period_expected_cents = r.integer(0, 5);
        t.cost_cents = r.integer(0, 6);
        t.satisfaction_delta_hundredths = r.integer(0, 7);
        t.satisfaction_measured = r.integer(0, 8);
    }
    return t;
}

// Over the measured signals with an approved case: their count, its savings per year in two
// parts ($1 the split, domain/limits.hpp) and their realised savings per period.
constexpr const char* k_approved_totals = R"sql(
SELECT count(*), coalesce(sum(s.approved_savings_per_year_cents / $1), 0),
       coalesce(sum(s.approved_savings_per_year_cents % $1), 0),
       coalesce(sum((s.contacts - m.contacts) * s.cost_per_contact_cents), 0)
)sql";

void add_approved_totals(Connection& db, const ReportFilter& filter, EffectSums& t) {
    const Where where = filter_where(filter, "m.measured_at", Params(std::int64_t{k_split_cents}));
    const std::string approved = " AND s.approved_savings_per_year_cents IS NOT NULL";
    const Result r =
        db.exec((k_approved_totals + (has_filter(filter) ? measured_signals(approved + where.sql)
                                                         : k_tallied_signals + approved))
                    .c_str(),
                where.params);
    if (r.rows() > 0) {
        t.approved_signals = r.integer(0, 0);
        t.approved_per_year_split = r.integer(0, 1);
        t.approved_per_year_rest_cents = r.integer(0, 2);
        t.saved_per_period_approved_cents = r.integer(0, 3);
    }
}

// The measured signals, most saved per period first, then by id.
// The same from tally_effect, through its index on the savings.
constexpr const char* k_tallied_lines =
    "SELECT s.id, s.title, s.state, s.contacts, s.satisfaction_impact, s.cost_per_contact_cents, "
    "s.satisfaction_hundredths, m.contacts, m.satisfaction_hundredths, m.measured_by, "
    "m.measured_at, s.expected_reduction_hundredths, t.action_cost_cents, "
    "s.approved_savings_per_year_cents FROM tally_effect t JOIN signals s ON s.id = t.signal_id "
    "JOIN measurements m ON m.id = t.measurement_id "
    "ORDER BY t.saved_cents DESC NULLS LAST, t.signal_id";

std::vector<EffectInput> effect_lines(Connection& db, const ReportFilter& filter) {
    const Where where = filter_where(filter, "m.measured_at", Params());
    const Result r =
        !has_filter(filter)
            ? db.exec((k_tallied_lines + limit_clause(filter)).c_str())
            : db.exec(
                  fmt::format(
                      "SELECT s.id, s.title, s.state, s.contacts, s.satisfaction_impact, "
                      "s.cost_per_contact_cents, s.satisfaction_hundredths, m.contacts, "
                      "m.satisfaction_hundredths, m.measured_by, m.measured_at, "
                      "s.expected_reduction_hundredths, {}, s.approved_savings_per_year_cents {} "
                      "ORDER BY (s.contacts - m.contacts) * s.cost_per_contact_cents DESC NULLS "
                      "LAST, s.id{}",
                      k_action_cost, measured_signals(where.sql), limit_clause(filter))
                      .c_str(),
                  where.params);
    std::vector<EffectInput> lines;
    for (int row = 0; row < r.rows(); ++row) {
        EffectInput in;
        in.id = r.integer(row, 0);
        in.title = r.text(row, 1);
        in.state = state_at(r, row, 2);
        in.baseline = Impact{r.integer(row, 3), static_cast<int>(r.integer(row, 4)),
                             Decimal::from_hundredths(r.integer(row, 5)), decimal_at(r, row, 6)};
        in.last.contacts = r.integer(row, 7);
        in.last.satisfaction = decimal_at(r, row, 8);
        in.last.stamp = Stamp{r.text(row, 9), time_at(r, row, 10)};
        in.expected_reduction = decimal_at(r, row, 11);
        in.action_cost = Decimal::from_hundredths(r.integer(row, 12));
        in.approved_per_year = decimal_at(r, row, 13);
        lines.push_back(std::move(in));
    }
    return lines;
}

} // namespace

EffectData effect_report(Connection& db, const ReportFilter& filter, const ImpactSettings& impact) {
    EffectData data;
    data.sums = effect_totals(db, filter, impact);
    add_approved_totals(db, filter, data.sums);
    data.lines = effect_lines(db, filter);
    return data;
}

} // namespace sileram::storage::postgres
