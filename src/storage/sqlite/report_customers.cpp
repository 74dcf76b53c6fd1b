#include "reports.hpp"

#include <fmt/format.h>

namespace sileram::storage::sqlite {

using namespace domain;

CustomersData customers_report(Connection& db, const ReportFilter& filter, Timestamp care_since,
                               std::int64_t high) {
    CustomersData data;
    const Where where = filter_where(filter, "s.submitted_at");
    // Without a filter: all-time sums from the field tally (migration 5), the care window
    // from each customer's recent signals in the index on (customer, submitted_at).
    Statement rows = db.prepare(
        !has_filter(filter)
            ? std::string(
                  "SELECT coalesce(c.name, g.name), g.n, g.contacts, g.score, "
                  "(SELECT count(*) FROM signals s WHERE s.customer = g.name COLLATE NOCASE "
                  "AND s.customer IS NOT NULL AND s.submitted_at >= ?), "
                  "(SELECT count(*) FROM signals s WHERE s.customer = g.name COLLATE NOCASE "
                  "AND s.customer IS NOT NULL AND s.submitted_at >= ? "
                  "AND s.contacts * s.satisfaction_impact >= ?), "
                  "c.revenue_cents, coalesce(c.segment, '') FROM ("
                  "SELECT min(value) AS name, sum(signals) AS n, sum(contacts) AS contacts, "
                  "sum(score) AS score FROM tally_fields WHERE name = 'customer' AND "
                  "value <> '' GROUP BY value COLLATE NOCASE HAVING sum(signals) > 0) g "
                  "LEFT JOIN customers c ON c.name = trim(g.name) "
                  "ORDER BY g.name COLLATE NOCASE")
            : fmt::format("SELECT coalesce(c.name, g.name), g.n, g.contacts, g.score, "
                          "g.recent, g.recent_high, "
                          "c.revenue_cents, coalesce(c.segment, '') FROM ("
                          "SELECT min(s.customer) AS name, count(*) AS n, "
                          "coalesce(sum(s.contacts), 0) AS contacts, "
                          "coalesce(sum(s.contacts * s.satisfaction_impact), 0) AS score, "
                          "sum(s.submitted_at >= ?) AS recent, "
                          "sum(s.submitted_at >= ? AND s.contacts * s.satisfaction_impact >= "
                          "?) AS recent_high "
                          "FROM signals s WHERE s.customer IS NOT NULL{} GROUP BY s.customer "
                          "COLLATE NOCASE) g "
                          "LEFT JOIN customers c ON c.name = trim(g.name)",
                          where.sql));
    const std::string since = format_timestamp(care_since);
    bind_with_filter(rows, where, since, since, high);
    while (rows.step()) {
        CustomerInput c;
        c.name = rows.text(0);
        c.signals = rows.integer(1);
        c.contacts = rows.integer(2);
        c.score = rows.integer(3);
        c.recent_signals = rows.integer(4);
        c.recent_high_impact = rows.integer(5);
        c.revenue = decimal_at(rows, 6);
        c.segment = rows.text(7);
        data.customers.push_back(std::move(c));
    }
    Statement revenue = db.prepare("SELECT coalesce(sum(revenue_cents), 0) FROM customers");
    if (revenue.step()) {
        data.revenue_total = Decimal::from_hundredths(revenue.integer(0));
    }
    return data;
}

} // namespace sileram::storage::sqlite
