#include "reports.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

std::int64_t signals_counted(Connection& db, const ReportFilter& filter) {
    if (!has_filter(filter)) {
        return db.exec("SELECT coalesce(sum(signals), 0) FROM tally_states").integer(0, 0);
    }
    const Where where = filter_where(filter, "s.submitted_at", Params());
    const Result r =
        db.exec(fmt::format("SELECT count(*) FROM signals s WHERE true{}", where.sql).c_str(),
                where.params);
    return r.rows() > 0 ? r.integer(0, 0) : 0;
}

// The sums per value of one field, most signals first, then by value (bytewise); signals
// without the field are the value ''. Customers are one value ignoring ASCII case, shown in
// their first spelling, as SQLite's COLLATE NOCASE groups them.
std::vector<ImpactGroupInput> sums_per_value(Connection& db, const ReportFilter& filter,
                                             const std::string& name) {
    const bool standard = is_standard_field(name);
    if (standard && !has_filter(filter)) {
        return tallied_values(db, name, "");
    }
    const Where where = filter_where(filter, "s.submitted_at", standard ? Params() : Params(name));
    // The column name comes from the fixed list of standard fields, not from input.
    const std::string value = standard ? fmt::format("s.{}", name) : std::string("fv.value");
    const std::string group = name == "customer" ? "ascii_lower(s.customer)" : value;
    const std::string join = standard ? std::string()
                                      : " LEFT JOIN signal_fields fv ON fv.signal_id = s.id AND "
                                        "fv.name = $1";
    const Result r = db.exec(fmt::format("SELECT min(coalesce({}, '')), {} FROM signals s{} "
                                         "WHERE true{} GROUP BY {} ORDER BY 2 DESC, 1",
                                         value, k_sums, join, where.sql, group)
                                 .c_str(),
                             where.params);
    std::vector<ImpactGroupInput> groups;
    groups.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
        groups.push_back(ImpactGroupInput{r.text(row, 0), sums_at(r, row, 1)});
    }
    return groups;
}

} // namespace

FieldsData fields_report(Connection& db, const ReportFilter& filter,
                         const std::vector<std::string>& names) {
    FieldsData data;
    data.signals = signals_counted(db, filter);
    for (const std::string& name : names) {
        FieldData field;
        field.field = name;
        field.values = sums_per_value(db, filter, name);
        field.distinct = static_cast<std::int64_t>(field.values.size());
        if (filter.limit > 0 && field.distinct > filter.limit) {
            field.values.resize(static_cast<std::size_t>(filter.limit));
        }
        data.fields.push_back(std::move(field));
    }
    return data;
}

} // namespace sileram::storage::postgres
