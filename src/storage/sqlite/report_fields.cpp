#include "reports.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

ImpactSums operator+(const ImpactSums& a, const ImpactSums& b) {
    return ImpactSums{a.signals + b.signals, a.contacts + b.contacts, a.score + b.score,
                      a.cost_cents + b.cost_cents};
}

ImpactSums operator-(const ImpactSums& a, const ImpactSums& b) {
    return ImpactSums{a.signals - b.signals, a.contacts - b.contacts, a.score - b.score,
                      a.cost_cents - b.cost_cents};
}

std::int64_t count_signals(Connection& db, const Where& where, bool tallied) {
    Statement total = db.prepare(
        tallied ? std::string("SELECT coalesce(sum(signals), 0) FROM tally_states")
                : fmt::format("SELECT count(*) FROM signals s WHERE 1 = 1{}", where.sql));
    bind_with_filter(total, where);
    return total.step() ? total.integer(0) : 0;
}

// A standard field of every signal from the field tally; signals without a value are the group
// '' of the tally.
std::vector<ImpactGroupInput> tallied_values(Connection& db, const std::string& name) {
    Statement values = db.prepare(tally_groups_sql(name, "", true));
    values.bind(1, name);
    std::vector<ImpactGroupInput> groups;
    while (values.step()) {
        groups.push_back(ImpactGroupInput{values.text(0), sums_at(values, 1)});
    }
    return groups;
}

// The sums per value of the selected signals, most signals first. The customer index holds only
// signals with a customer (a partial index), so the signals without one are left out here.
std::vector<ImpactGroupInput> values_of_signals(Connection& db, const Where& where,
                                                const std::string& name) {
    const FieldGroup g = field_group(name);
    Statement values = db.prepare(
        fmt::format("SELECT min({}), {} FROM signals s{} WHERE {}{} GROUP BY {} "
                    "ORDER BY 2 DESC, 1",
                    g.expression, k_sums, g.join,
                    name == "customer" ? "s.customer IS NOT NULL" : "1 = 1", where.sql, g.group));
    if (is_standard_field(name)) {
        bind_with_filter(values, where);
    } else {
        bind_with_filter(values, where, name);
    }
    std::vector<ImpactGroupInput> groups;
    while (values.step()) {
        groups.push_back(ImpactGroupInput{values.text(0), sums_at(values, 1)});
    }
    return groups;
}

ImpactSums sum_of(const std::vector<ImpactGroupInput>& groups) {
    ImpactSums sums;
    for (const ImpactGroupInput& g : groups) {
        sums = sums + g.sums;
    }
    return sums;
}

ImpactSums sums_of_signals(Connection& db, const Where& where) {
    Statement sums =
        db.prepare(fmt::format("SELECT {} FROM signals s WHERE 1 = 1{}", k_sums, where.sql));
    bind_with_filter(sums, where);
    return sums.step() ? sums_at(sums, 0) : ImpactSums{};
}

// The signals without a customer, as what remains of the sums over all signals, put in their
// place among the customers.
void add_signals_without_customer(std::vector<ImpactGroupInput>& groups, const ImpactSums& all) {
    const ImpactSums rest = all - sum_of(groups);
    if (rest.signals > 0) {
        groups.push_back(ImpactGroupInput{"", rest});
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const ImpactGroupInput& a, const ImpactGroupInput& b) {
                         if (a.sums.signals != b.sums.signals) {
                             return a.sums.signals > b.sums.signals;
                         }
                         return a.value < b.value;
                     });
}

} // namespace

FieldsData fields_report(Connection& db, const ReportFilter& filter,
                         const std::vector<std::string>& names) {
    FieldsData data;
    const Where where = filter_where(filter, "s.submitted_at");
    // Without a filter the counts of every signal come from the tallies (migration 5).
    const bool tallied = !has_filter(filter);
    data.signals = count_signals(db, where, tallied);
    // Sums over every signal of the report, from a breakdown that covers them all.
    std::optional<ImpactSums> all;
    for (const std::string& name : names) {
        FieldData field;
        field.field = name;
        if (tallied && is_standard_field(name)) {
            field.values = tallied_values(db, name);
        } else {
            field.values = values_of_signals(db, where, name);
            if (name == "customer") {
                if (!all) {
                    all = sums_of_signals(db, where);
                }
                add_signals_without_customer(field.values, *all);
            } else if (is_standard_field(name) && !all) {
                all = sum_of(field.values);
            }
        }
        field.distinct = static_cast<std::int64_t>(field.values.size());
        if (filter.limit > 0 && field.distinct > filter.limit) {
            field.values.resize(static_cast<std::size_t>(filter.limit));
        }
        data.fields.push_back(std::move(field));
    }
    return data;
}

} // namespace sileram::storage::sqlite
