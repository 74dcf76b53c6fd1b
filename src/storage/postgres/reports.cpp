#include "reports.hpp"

#include "sileram/errors.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

namespace {

using namespace domain;

constexpr const char* k_set_customer = R"sql(
INSERT INTO customers (name, revenue_cents, segment, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT ((ascii_lower(name))) DO UPDATE SET revenue_cents = excluded.revenue_cents,
    segment = excluded.segment, updated_at = excluded.updated_at
)sql";
constexpr const char* k_all_customers =
    "SELECT name, revenue_cents, segment FROM customers ORDER BY ascii_lower(name) COLLATE \"C\"";
// Every report reads one snapshot, so its figures agree with each other.
constexpr const char* k_begin_snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
// `--as-of` writes its temporary tables inside the snapshot; they go with its end.
constexpr const char* k_begin_past = "BEGIN ISOLATION LEVEL REPEATABLE READ";

// One snapshot for the queries of a report; inside an open transaction, that one. `--as-of`
// writes temporary tables, which a read-only transaction refuses: it ends an open one for a
// snapshot of its own, and begins a read-only one again after it.
class Snapshot {
public:
    explicit Snapshot(Connection& db, const ReportFilter& filter) : m_db(db) {
        if (filter.as_of && db.in_transaction()) {
            m_db.exec("COMMIT");
            m_reopen = true;
        }
        if (!db.in_transaction()) {
            m_db.exec(filter.as_of ? k_begin_past : k_begin_snapshot);
            m_open = true;
        }
    }
    ~Snapshot() {
        if (m_open) {
            try {
                m_db.exec("COMMIT");
                if (m_reopen) {
                    m_db.exec(k_begin_snapshot);
                }
            } catch (...) {
                // A read transaction has nothing to lose.
            }
        }
    }
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

private:
    Connection& m_db;
    bool m_open = false;
    bool m_reopen = false;
};

class PgReports final : public ReportQueries {
public:
    explicit PgReports(Connection& db) : m_db(db) {}

    ImpactData impact(const ReportFilter& filter, const std::string& by,
                      const ReportSettings& settings) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of);
        return impact_report(m_db, filter, by, settings);
    }
    FunnelData funnel(const ReportFilter& filter, Timestamp month_since,
                      const StepTargets& targets) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of, AsOfNeeds{.stays = true});
        return funnel_report(m_db, filter, month_since, targets);
    }
    EffectData effect(const ReportFilter& filter, const ImpactSettings& impact) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of, AsOfNeeds{.actions = true});
        return effect_report(m_db, filter, impact);
    }
    FieldsData fields(const ReportFilter& filter, const std::vector<std::string>& names) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of);
        return fields_report(m_db, filter, names);
    }
    CustomersData customers(const ReportFilter& filter, Timestamp care_since,
                            std::int64_t high) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of);
        return customers_report(m_db, filter, care_since, high);
    }
    OverdueData overdue(const ReportFilter& filter, Date today, Timestamp stale_before,
                        Timestamp silent_before, const LateCuts& late) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of, AsOfNeeds{.actions = true, .submitters = true});
        return overdue_report(m_db, filter, today, stale_before, silent_before, late);
    }
    ResponseCounts response(const ReportFilter& filter, std::optional<int> target_days,
                            Timestamp now) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of);
        if (!has_filter(filter)) {
            return tallied_responses(m_db, target_days, now);
        }
        return count_responses(response_report(m_db, filter), target_days, now);
    }
    TrendData trend(const ReportFilter& filter, Timestamp month_since) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of);
        return trend_report(m_db, filter, month_since);
    }
    RecurrenceData recurrence(const ReportFilter& filter) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of);
        return recurrence_report(m_db, filter);
    }

    ScopeData scope(const ReportFilter& filter) override {
        Snapshot snapshot(m_db, filter);
        PastView past(m_db, filter.as_of, AsOfNeeds{.actions = true});
        return scope_report(m_db, filter);
    }

    void add_project(const Project& project) override {
        m_db.exec("INSERT INTO projects (name, customer, start_day, starts_at, created_at) "
                  "VALUES ($1, $2, $3, $4, $5)",
                  Params(project.name, project.customer, format_date(project.start),
                         format_timestamp(project.starts_at),
                         format_timestamp(project.created_at)));
    }

    std::vector<Project> all_projects() override { return read_projects(m_db); }

    void set_customer(const Customer& customer, Timestamp at) override {
        m_db.exec(k_set_customer, Params(customer.name, customer.revenue.hundredths(),
                                         customer.segment, format_timestamp(at)));
    }

    std::vector<Customer> all_customers() override {
        const Result r = m_db.exec(k_all_customers);
        std::vector<Customer> result;
        result.reserve(static_cast<std::size_t>(r.rows()));
        for (int row = 0; row < r.rows(); ++row) {
            result.push_back(Customer{r.text(row, 0), Decimal::from_hundredths(r.integer(row, 1)),
                                      r.text(row, 2)});
        }
        return result;
    }

private:
    Connection& m_db;
};

} // namespace

Where filter_where(const ReportFilter& filter, std::string_view time_column, Params leading) {
    Where w;
    w.next = static_cast<int>(leading.values().size()) + 1;
    w.params = std::move(leading);
    if (!time_column.empty()) {
        if (filter.since) {
            w.sql += fmt::format(" AND {} >= {}", time_column, w.placeholder());
            w.params.add(format_timestamp(*filter.since));
        }
        if (filter.until) {
            w.sql += fmt::format(" AND {} < {}", time_column, w.placeholder());
            w.params.add(format_timestamp(*filter.until));
        }
    }
    for (const auto& [name, value] : filter.fields) {
        if (is_standard_field(name)) {
            // The column name comes from the fixed list of standard fields, not from input.
            w.sql += fmt::format(" AND s.{} = {}", name, w.placeholder());
            w.params.add(value);
        } else {
            const std::string name_param = w.placeholder();
            w.sql += fmt::format(" AND EXISTS (SELECT 1 FROM signal_fields f WHERE f.signal_id = "
                                 "s.id AND f.name = {} AND f.value = {})",
                                 name_param, w.placeholder());
            w.params.add(name);
            w.params.add(value);
        }
    }
    return w;
}

std::vector<ImpactGroupInput> tallied_values(Connection& db, const std::string& name,
                                             std::string_view condition, bool ranked) {
    const std::string group = name == "customer" ? "ascii_lower(value)" : "value";
    const Result r = db.exec(
        fmt::format("SELECT min(value), sum(signals), sum(contacts), sum(score), sum(cost_cents) "
                    "FROM tally_fields WHERE name = $1 AND signals > 0{} GROUP BY {} ORDER BY {}",
                    condition, group, ranked ? "2 DESC, 1" : group)
            .c_str(),
        Params(name));
    std::vector<ImpactGroupInput> groups;
    groups.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
        groups.push_back(ImpactGroupInput{r.text(row, 0), sums_at(r, row, 1)});
    }
    return groups;
}

std::string limit_clause(const ReportFilter& filter) {
    return filter.limit > 0 ? fmt::format(" LIMIT {}", filter.limit) : std::string();
}

bool has_filter(const ReportFilter& filter) {
    return filter.since || filter.until || !filter.fields.empty() || filter.as_of;
}

State state_at(const Result& r, int row, int column) {
    const std::string text = r.text(row, column);
    const auto state = parse_state(text);
    if (!state) {
        throw SystemFailure(fmt::format("the database holds an unknown state '{}'", text));
    }
    return *state;
}

Timestamp time_at(const Result& r, int row, int column) {
    const std::string text = r.text(row, column);
    const auto at = parse_timestamp(text);
    if (!at) {
        throw SystemFailure(fmt::format("the database holds an unknown time '{}'", text));
    }
    return *at;
}

std::optional<Decimal> decimal_at(const Result& r, int row, int column) {
    const auto v = r.optional_integer(row, column);
    return v ? std::optional<Decimal>(Decimal::from_hundredths(*v)) : std::nullopt;
}

ImpactSums sums_at(const Result& r, int row, int column) {
    return ImpactSums{r.integer(row, column), r.integer(row, column + 1),
                      r.integer(row, column + 2), r.integer(row, column + 3)};
}

std::unique_ptr<ReportQueries> make_report_queries(Connection& db) {
    return std::make_unique<PgReports>(db);
}

} // namespace sileram::storage::postgres
