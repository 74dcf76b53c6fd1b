#include "reports.hpp"

#include "sileram/errors.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

// One consistent snapshot for all queries of a report; nothing to do inside a transaction.
class ReadTransaction {
public:
    explicit ReadTransaction(Connection& db) : m_db(db) {
        if (sqlite3_get_autocommit(db.handle()) != 0) {
            m_db.exec("BEGIN");
            m_open = true;
        }
    }
    ~ReadTransaction() {
        if (m_open) {
            try {
                m_db.exec("COMMIT");
            } catch (...) {
                // A read transaction has nothing to lose.
            }
        }
    }
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

private:
    Connection& m_db;
    bool m_open = false;
};

class SqliteReports final : public ReportQueries {
public:
    explicit SqliteReports(Connection& db) : m_db(db) {}

    ImpactData impact(const ReportFilter& filter, const std::string& by,
                      const ReportSettings& settings) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of);
        return impact_report(m_db, filter, by, settings);
    }
    FunnelData funnel(const ReportFilter& filter, Timestamp month_since,
                      const StepTargets& targets) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of, AsOfNeeds{.stays = true});
        return funnel_report(m_db, filter, month_since, targets);
    }
    EffectData effect(const ReportFilter& filter, const ImpactSettings& impact) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of, AsOfNeeds{.actions = true});
        return effect_report(m_db, filter, impact);
    }
    FieldsData fields(const ReportFilter& filter, const std::vector<std::string>& names) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of);
        return fields_report(m_db, filter, names);
    }
    CustomersData customers(const ReportFilter& filter, Timestamp care_since,
                            std::int64_t high) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of);
        return customers_report(m_db, filter, care_since, high);
    }
    OverdueData overdue(const ReportFilter& filter, Date today, Timestamp stale_before,
                        Timestamp silent_before, const LateCuts& late) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of, AsOfNeeds{.actions = true, .submitters = true}, true);
        return overdue_report(m_db, filter, today, stale_before, silent_before, late);
    }
    ResponseCounts response(const ReportFilter& filter, std::optional<int> target_days,
                            Timestamp now) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of);
        return response_report(m_db, filter, target_days, now);
    }
    TrendData trend(const ReportFilter& filter, Timestamp month_since) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of);
        return trend_report(m_db, filter, month_since);
    }
    RecurrenceData recurrence(const ReportFilter& filter) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of);
        return recurrence_report(m_db, filter);
    }

    ScopeData scope(const ReportFilter& filter) override {
        ReadTransaction transaction(m_db);
        PastView past(m_db, filter.as_of, AsOfNeeds{.actions = true});
        return scope_report(m_db, filter);
    }

    void add_project(const Project& project) override {
        m_db.cached("INSERT INTO projects (name, customer, start_day, starts_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?)")
            .bind_all(project.name, project.customer, format_date(project.start),
                      format_timestamp(project.starts_at), format_timestamp(project.created_at))
            .run();
    }

    std::vector<Project> all_projects() override {
        ReadTransaction transaction(m_db);
        return read_projects(m_db);
    }

    void set_customer(const Customer& customer, Timestamp at) override {
        m_db.cached("INSERT INTO customers (name, revenue_cents, segment, updated_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                    "revenue_cents = excluded.revenue_cents, segment = excluded.segment, "
                    "updated_at = excluded.updated_at")
            .bind_all(customer.name, customer.revenue.hundredths(), customer.segment,
                      format_timestamp(at))
            .run();
    }

    std::vector<Customer> all_customers() override {
        std::vector<Customer> result;
        Statement row = m_db.prepare(
            "SELECT name, revenue_cents, segment FROM customers ORDER BY name COLLATE NOCASE");
        while (row.step()) {
            result.push_back(
                Customer{row.text(0), Decimal::from_hundredths(row.integer(1)), row.text(2)});
        }
        return result;
    }

private:
    Connection& m_db;
};

} // namespace

Where filter_where(const ReportFilter& f, std::string_view time_column) {
    Where w;
    if (!time_column.empty()) {
        if (f.since) {
            w.add(fmt::format(" AND {} >= ?", time_column), format_timestamp(*f.since));
        }
        if (f.until) {
            w.add(fmt::format(" AND {} < ?", time_column), format_timestamp(*f.until));
        }
    }
    for (const auto& [name, value] : f.fields) {
        if (is_standard_field(name)) {
            // The column name comes from the fixed list of standard fields, not from input.
            w.add(fmt::format(" AND s.{} = ?", name), value);
        } else {
            w.sql += " AND EXISTS (SELECT 1 FROM signal_fields f WHERE f.signal_id = s.id "
                     "AND f.name = ? AND f.value = ?)";
            w.values.emplace_back(name);
            w.values.emplace_back(value);
        }
    }
    return w;
}

std::pair<std::int64_t, std::int64_t> waits_at_rank(Statement& walk, bool next,
                                                    std::string_view what) {
    if (!walk.step()) {
        walk.reset();
        throw SystemFailure(
            fmt::format("the report tallies count more {} than their index holds", what));
    }
    const std::int64_t lower = walk.integer(0);
    const std::int64_t upper = next && walk.step() ? walk.integer(0) : lower;
    walk.reset();
    return {lower, upper};
}

bool has_filter(const ReportFilter& f) {
    return f.since || f.until || !f.fields.empty() || f.as_of;
}

State state_of(const Statement& row, int column) {
    const std::string text = row.text(column);
    const auto state = parse_state(text);
    if (!state) {
        throw SystemFailure(fmt::format("the database holds an unknown state '{}'", text));
    }
    return *state;
}

Timestamp time_of(const Statement& row, int column) {
    const std::string text = row.text(column);
    const auto at = parse_timestamp(text);
    if (!at) {
        throw SystemFailure(fmt::format("the database holds an unknown time '{}'", text));
    }
    return *at;
}

ImpactSums sums_at(const Statement& row, int column) {
    return ImpactSums{row.integer(column), row.integer(column + 1), row.integer(column + 2),
                      row.integer(column + 3)};
}

std::optional<Decimal> decimal_at(const Statement& row, int column) {
    const auto v = row.optional_integer(column);
    return v ? std::optional<Decimal>(Decimal::from_hundredths(*v)) : std::nullopt;
}

std::string limit_clause(const ReportFilter& f) {
    return f.limit > 0 ? fmt::format(" LIMIT {}", f.limit) : std::string();
}

FieldGroup field_group(const std::string& field) {
    if (is_standard_field(field)) {
        const std::string collate = field == "customer" ? " COLLATE NOCASE" : "";
        return {"", fmt::format("coalesce(s.{}, '')", field),
                fmt::format("s.{}{}", field, collate)};
    }
    return {" LEFT JOIN signal_fields fv ON fv.signal_id = s.id AND fv.name = ?",
            "coalesce(fv.value, '')", "fv.value"};
}

std::string tally_groups_sql(const std::string& field, std::string_view condition, bool ranked) {
    const std::string collate = field == "customer" ? " COLLATE NOCASE" : "";
    return fmt::format("SELECT min(value), sum(signals), sum(contacts), sum(score), "
                       "sum(cost_cents) FROM tally_fields WHERE name = ? {} GROUP BY value{} "
                       "HAVING sum(signals) > 0 ORDER BY {}",
                       condition, collate, ranked ? std::string("2 DESC, 1") : "value" + collate);
}

std::unique_ptr<ReportQueries> make_report_queries(Connection& db) {
    return std::make_unique<SqliteReports>(db);
}

} // namespace sileram::storage::sqlite
