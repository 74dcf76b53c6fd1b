#include "reports.hpp"
#include "sileram/domain/limits.hpp"

#include <fmt/format.h>

namespace sileram::storage::sqlite {

using namespace domain;

EffectData effect_report(Connection& db, const ReportFilter& filter, const ImpactSettings& impact) {
    EffectData data;
    const Where where = filter_where(filter, "m.measured_at");
    // Without a filter each measured signal's terms come from the effect tally (migration 5).
    const bool tallied = !has_filter(filter);
    const std::string from =
        tallied ? std::string("FROM tally_effect t JOIN measurements m ON m.id = "
                              "t.measurement_id JOIN signals s ON s.id = t.signal_id")
                : fmt::format("FROM (SELECT signal_id, max(id) AS id FROM measurements "
                              "GROUP BY signal_id) latest JOIN measurements m ON m.id = "
                              "latest.id JOIN signals s ON s.id = latest.signal_id "
                              "WHERE s.contacts IS NOT NULL{}",
                              where.sql);
    const char* const k_cost =
        tallied ? "t.cost_cents"
                : "coalesce((SELECT sum(a.cost_cents) FROM actions a WHERE a.signal_id = "
                  "s.id AND a.status <> 'cancelled'), 0)";
    Statement totals = db.prepare(
        tallied ? std::string("SELECT count(*), coalesce(sum(contacts_saved), 0), "
                              "coalesce(sum(saved_cents), 0), "
                              "coalesce(sum((expected_base * ?1 + 5000) / 10000 / ?2), 0), "
                              "coalesce(sum((expected_base * ?1 + 5000) / 10000 % ?2), 0), "
                              "coalesce(sum(CASE WHEN expects_reduction THEN saved_cents END), 0), "
                              "coalesce(sum(cost_cents), 0), coalesce(sum(satisfaction_delta), 0), "
                              "count(satisfaction_delta) FROM tally_effect")
                : fmt::format(
                      "SELECT count(*), coalesce(sum(s.contacts - m.contacts), 0), "
                      "coalesce(sum((s.contacts - m.contacts) * s.cost_per_contact_cents), 0), "
                      // The business case rounds each signal's expectation half away from zero to a
                      // cent.
                      "coalesce(sum((s.contacts * s.cost_per_contact_cents * ?1 * "
                      "s.expected_reduction_hundredths + 5000) / 10000 / ?2), 0), "
                      "coalesce(sum((s.contacts * s.cost_per_contact_cents * ?1 * "
                      "s.expected_reduction_hundredths + 5000) / 10000 % ?2), 0), "
                      "coalesce(sum(CASE WHEN s.expected_reduction_hundredths > 0 THEN "
                      "(s.contacts - m.contacts) * s.cost_per_contact_cents END), 0), "
                      "coalesce(sum({}), 0), "
                      "coalesce(sum(m.satisfaction_hundredths - s.satisfaction_hundredths), 0), "
                      "count(m.satisfaction_hundredths - s.satisfaction_hundredths) {}",
                      k_cost, from));
    // The expectations per year are summed in two parts (domain/limits.hpp): one sum would
    // overflow 64 bits long before the other money sums do.
    bind_with_filter(totals, where, std::int64_t{impact.periods_per_year},
                     std::int64_t{k_split_cents});
    if (totals.step()) {
        EffectSums& t = data.sums;
        t.signals = totals.integer(0);
        t.contacts_saved = totals.integer(1);
        t.saved_per_period_cents = totals.integer(2);
        t.expected_per_year_split = totals.integer(3);
        t.expected_per_year_rest_cents = totals.integer(4);
        t.saved_per_period_expected_cents = totals.integer(5);
        t.cost_cents = totals.integer(6);
        t.satisfaction_delta_hundredths = totals.integer(7);
        t.satisfaction_measured = totals.integer(8);
    }
    // The approved cases from the signals: without a filter, the few approved ones (their
    // index, migration 11) with their row of the effect tally.
    Statement approved = db.prepare(
        tallied
            ? std::string("SELECT count(*), coalesce(sum(s.approved_savings_per_year_cents / ?1), "
                          "0), coalesce(sum(s.approved_savings_per_year_cents % ?1), 0), "
                          "coalesce(sum(t.saved_cents), 0) FROM signals s INDEXED BY "
                          "signals_approved JOIN tally_effect t ON t.signal_id = s.id WHERE "
                          "s.approved_savings_per_year_cents IS NOT NULL")
            : fmt::format(
                  "SELECT count(*), coalesce(sum(s.approved_savings_per_year_cents / ?1), 0), "
                  "coalesce(sum(s.approved_savings_per_year_cents % ?1), 0), "
                  "coalesce(sum((s.contacts - m.contacts) * s.cost_per_contact_cents), 0) "
                  "FROM (SELECT signal_id, max(id) AS id FROM measurements GROUP BY signal_id) "
                  "latest JOIN measurements m ON m.id = latest.id JOIN signals s ON s.id = "
                  "latest.signal_id WHERE s.contacts IS NOT NULL AND "
                  "s.approved_savings_per_year_cents IS NOT NULL{}",
                  where.sql));
    bind_with_filter(approved, where, std::int64_t{k_split_cents});
    if (approved.step()) {
        EffectSums& t = data.sums;
        t.approved_signals = approved.integer(0);
        t.approved_per_year_split = approved.integer(1);
        t.approved_per_year_rest_cents = approved.integer(2);
        t.saved_per_period_approved_cents = approved.integer(3);
    }
    Statement lines = db.prepare(
        fmt::format("SELECT s.id, s.title, s.state, s.contacts, s.satisfaction_impact, "
                    "s.cost_per_contact_cents, s.satisfaction_hundredths, m.contacts, "
                    "m.satisfaction_hundredths, m.measured_by, m.measured_at, "
                    "s.expected_reduction_hundredths, {}, s.approved_savings_per_year_cents {} "
                    "ORDER BY {}{}",
                    k_cost, from,
                    tallied ? "t.saved_cents DESC, t.signal_id"
                            : "(s.contacts - m.contacts) * s.cost_per_contact_cents DESC, s.id",
                    limit_clause(filter)));
    bind_with_filter(lines, where);
    while (lines.step()) {
        EffectInput in;
        in.id = lines.integer(0);
        in.title = lines.text(1);
        in.state = state_of(lines, 2);
        in.baseline = Impact{lines.integer(3), static_cast<int>(lines.integer(4)),
                             Decimal::from_hundredths(lines.integer(5)), decimal_at(lines, 6)};
        in.last.contacts = lines.integer(7);
        in.last.satisfaction = decimal_at(lines, 8);
        in.last.stamp = Stamp{lines.text(9), time_of(lines, 10)};
        in.expected_reduction = decimal_at(lines, 11);
        in.action_cost = Decimal::from_hundredths(lines.integer(12));
        in.approved_per_year = decimal_at(lines, 13);
        data.lines.push_back(std::move(in));
    }
    return data;
}

} // namespace sileram::storage::sqlite
