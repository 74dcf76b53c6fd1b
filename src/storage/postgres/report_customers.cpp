#include "reports.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

// Per customer (one ignoring ASCII case, in its first spelling bytewise): the sums, the signals
// since $1 and those of them with a score from $2, matched to the customers table by the name
// without surrounding spaces, in the order of the names ignoring case.
constexpr const char* k_customer_rows = R"sql(
SELECT coalesce(c.name, g.name), g.n, g.contacts, g.score, g.recent, g.recent_high,
       c.revenue_cents, coalesce(c.segment, '')
FROM (SELECT min(s.customer) AS name, count(*) AS n,
             coalesce(sum(s.contacts), 0) AS contacts,
             coalesce(sum(s.contacts * s.satisfaction_impact), 0) AS score,
             count(*) FILTER (WHERE s.submitted_at >= $1) AS recent,
             count(*) FILTER (WHERE s.submitted_at >= $1
                              AND s.contacts * s.satisfaction_impact >= $2) AS recent_high
      FROM signals s WHERE s.customer IS NOT NULL{}
      GROUP BY ascii_lower(s.customer)) g
LEFT JOIN customers c ON ascii_lower(c.name) = ascii_lower(trim(g.name))
ORDER BY ascii_lower(g.name)
)sql";
// Without a filter: the all-time sums per customer from the field tally (schema 12), the signals
// since $1 and those of them with a score from $2 from the index signals_customer_recent (schema
// 14) alone, both grouped by the name ignoring ASCII case, and the customers joined the same way,
// each by a hash. lower() of a text in the collation "C" folds the ASCII letters only, exactly
// as ascii_lower does (which the indexes need), at a twentieth of its cost: ascii_lower per
// customer (15,000 at a million signals) and a look-up per customer took most of this report.
constexpr const char* k_tallied_customer_rows = R"sql(
SELECT coalesce(c.name, g.name), g.n, g.contacts, g.score, coalesce(w.recent, 0),
       coalesce(w.recent_high, 0), c.revenue_cents, coalesce(c.segment, '')
FROM (SELECT lower(t.value COLLATE "C") AS k, min(t.value) AS name, sum(t.signals) AS n,
             sum(t.contacts) AS contacts, sum(t.score) AS score
      FROM tally_fields t WHERE t.name = 'customer' AND t.value <> '' AND t.signals > 0
      GROUP BY 1 HAVING sum(t.signals) > 0) g
LEFT JOIN (
    SELECT lower(s.customer COLLATE "C") AS k, count(*) AS recent,
           count(*) FILTER (WHERE s.contacts * s.satisfaction_impact >= $2) AS recent_high
    FROM signals s WHERE s.customer IS NOT NULL AND s.submitted_at >= $1 GROUP BY 1) w
    ON w.k = g.k
LEFT JOIN customers c ON lower(c.name COLLATE "C") = lower(trim(g.name) COLLATE "C")
ORDER BY g.k
)sql";
constexpr const char* k_revenue_total = "SELECT coalesce(sum(revenue_cents), 0) FROM customers";

} // namespace

CustomersData customers_report(Connection& db, const ReportFilter& filter, Timestamp care_since,
                               std::int64_t high) {
    CustomersData data;
    const Where where =
        filter_where(filter, "s.submitted_at", Params(format_timestamp(care_since), high));
    const Result rows = db.exec(has_filter(filter) ? fmt::format(k_customer_rows, where.sql).c_str()
                                                   : k_tallied_customer_rows,
                                where.params);
    for (int row = 0; row < rows.rows(); ++row) {
        CustomerInput c;
        c.name = rows.text(row, 0);
        c.signals = rows.integer(row, 1);
        c.contacts = rows.integer(row, 2);
        c.score = rows.integer(row, 3);
        c.recent_signals = rows.integer(row, 4);
        c.recent_high_impact = rows.integer(row, 5);
        c.revenue = decimal_at(rows, row, 6);
        c.segment = rows.text(row, 7);
        data.customers.push_back(std::move(c));
    }
    const Result revenue = db.exec(k_revenue_total);
    data.revenue_total = Decimal::from_hundredths(revenue.integer(0, 0));
    return data;
}

} // namespace sileram::storage::postgres
