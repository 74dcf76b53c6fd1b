#include "reports.hpp"

#include "sileram/domain/limits.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <sqlite3.h>
#include <variant>

namespace sileram::storage::sqlite {

namespace {

using namespace domain;

using Value = std::variant<std::int64_t, std::string>;

// Signals still to be improved: analysed and not yet measured, closed, rejected or dropped.
constexpr std::string_view k_open_impact_states =
    "('analysed', 'prioritised', 'parked', 'root-caused', 'planned', 'approved', "
    "'in-progress', 'implemented')";

// A WHERE fragment (starting with " AND", or empty) and the values it binds, in order.
struct Where {
    std::string sql;
    std::vector<Value> values;

    void add(std::string_view fragment) { sql += fragment; }
    template <typename T>
    void add(std::string_view fragment, T value) {
        sql += fragment;
        values.emplace_back(std::move(value));
    }
};

// The field filters on signals aliased `s`, and the window on `time_column` when given.
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

bool has_filter(const ReportFilter& f) {
    return f.since || f.until || !f.fields.empty();
}

// Binds leading values, then the filter's, from position 1.
template <typename... Leading>
void bind_with_filter(Statement& statement, const Where& where, const Leading&... leading) {
    int index = 0;
    (statement.bind(++index, leading), ...);
    for (const Value& v : where.values) {
        std::visit([&](const auto& x) { statement.bind(++index, x); }, v);
    }
}

// count(*) of the rows a "FROM … WHERE …" clause selects, bound as bind_with_filter binds; a
// report's total beside its limited list.
template <typename... Leading>
std::int64_t count_rows(Connection& db, const std::string& from, const Where& where,
                        const Leading&... leading) {
    Statement count = db.prepare("SELECT count(*) " + from);
    bind_with_filter(count, where, leading...);
    return count.step() ? count.integer(0) : 0;
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

// How to group by a field: a standard column, or a custom field's value joined in (its name
// bound as the first parameter).
struct FieldGroup {
    std::string join;
    std::string expression;
    std::string group;
};

FieldGroup field_group(const std::string& field) {
    if (is_standard_field(field)) {
        const std::string collate = field == "customer" ? " COLLATE NOCASE" : "";
        return {"", fmt::format("coalesce(s.{}, '')", field),
                fmt::format("s.{}{}", field, collate)};
    }
    return {" LEFT JOIN signal_fields fv ON fv.signal_id = s.id AND fv.name = ?",
            "coalesce(fv.value, '')", "fv.value"};
}

constexpr const char* k_sums = "count(*), coalesce(sum(s.contacts), 0), "
                               "coalesce(sum(s.contacts * s.satisfaction_impact), 0), "
                               "coalesce(sum(s.contacts * s.cost_per_contact_cents), 0)";

// Submitters of signals not closed, submitted before the cut (bound as 1): as the GROUP BY over
// the signals gives them (spellings grouped ignoring case, the first spelling, the count, the
// oldest signal), from the tally of migration 5 less the signals since the cut.
constexpr const char* k_tallied_submitted = R"sql(
WITH recent AS (
    SELECT submitted_by AS email, count(*) AS n FROM signals INDEXED BY signals_open_submitted
    WHERE state <> 'closed' AND submitted_at >= ?1 GROUP BY submitted_by),
spellings AS (
    SELECT t.email, t.signals - coalesce(r.n, 0) AS n
    FROM tally_submitted t LEFT JOIN recent r ON r.email = t.email WHERE t.signals > 0),
addresses AS (
    SELECT min(email) AS email, sum(n) AS n FROM spellings WHERE n > 0
    GROUP BY email COLLATE NOCASE)
SELECT a.email, a.n, o.submitted_at, o.id FROM addresses a JOIN signals o ON o.id = (
    SELECT s.id FROM signals s WHERE s.submitted_by = a.email COLLATE NOCASE
    AND s.state <> 'closed' ORDER BY s.submitted_at, s.id LIMIT 1)
)sql";

// The same for those who joined a signal not closed before the cut (bound as 1).
constexpr const char* k_tallied_joined = R"sql(
WITH recent AS (
    SELECT u.email COLLATE BINARY AS email, count(*) AS n
    FROM submitters u INDEXED BY submitters_joined_at JOIN signals s ON s.id = u.signal_id
    WHERE u.via <> 'submit' AND u.joined_at >= ?1 AND s.state <> 'closed' GROUP BY 1),
spellings AS (
    SELECT t.email, t.signals - coalesce(r.n, 0) AS n
    FROM tally_joined t LEFT JOIN recent r ON r.email = t.email WHERE t.signals > 0),
addresses AS (
    SELECT min(email) AS email, sum(n) AS n FROM spellings WHERE n > 0
    GROUP BY email COLLATE NOCASE)
SELECT a.email, a.n, o.joined_at, o.signal_id FROM addresses a JOIN submitters o ON o.id = (
    SELECT u.id FROM submitters u INDEXED BY submitters_joined_email
    JOIN signals s ON s.id = u.signal_id
    WHERE u.email = a.email AND u.via <> 'submit' AND s.state <> 'closed'
    ORDER BY u.joined_at, u.signal_id LIMIT 1)
)sql";

// The same sums from the impact cells of migration 5 (each cell: signals with equal figures).
constexpr const char* k_tally_impact_sums =
    "sum(signals), sum(contacts * signals), sum(contacts * satisfaction_impact * signals), "
    "sum(contacts * cost_per_contact_cents * signals)";

// Sums per value of a standard field (bound as the first parameter) from the field tally, in
// the order the GROUP BY over the signals gives: customers grouped ignoring case. `ranked` orders
// by signals, most first, then value, as the fields report does.
std::string tally_groups_sql(const std::string& field, std::string_view condition, bool ranked) {
    const std::string collate = field == "customer" ? " COLLATE NOCASE" : "";
    return fmt::format("SELECT min(value), sum(signals), sum(contacts), sum(score), "
                       "sum(cost_cents) FROM tally_fields WHERE name = ? {} GROUP BY value{} "
                       "HAVING sum(signals) > 0 ORDER BY {}",
                       condition, collate, ranked ? std::string("2 DESC, 1") : "value" + collate);
}

class SqliteReports final : public ReportQueries {
public:
    explicit SqliteReports(Connection& db) : m_db(db) {}

    ImpactData impact(const ReportFilter& filter, const std::string& by,
                      const ReportSettings& settings) override {
        ReadTransaction transaction(m_db);
        ImpactData data;
        const Where where = filter_where(filter, "s.submitted_at");
        const std::string open = fmt::format("s.contacts IS NOT NULL AND s.state IN {}{}",
                                             k_open_impact_states, where.sql);

        // Without a filter the tallies hold the sums (migration 5); with one, the signals. Filters
        // on standard fields and time are covered by the indexes of the open signals.
        const bool tallied = !has_filter(filter);
        const bool covered = std::all_of(filter.fields.begin(), filter.fields.end(),
                                         [](const auto& f) { return is_standard_field(f.first); });
        const std::string_view open_index = covered ? " INDEXED BY signals_open_impact" : "";
        Statement quadrants = m_db.prepare(
            tallied ? fmt::format("SELECT contacts >= ?, satisfaction_impact >= ?, {} FROM "
                                  "tally_impact WHERE state IN {} AND signals > 0 GROUP BY 1, 2",
                                  k_tally_impact_sums, k_open_impact_states)
                    : fmt::format("SELECT s.contacts >= ?, s.satisfaction_impact >= ?, {} FROM "
                                  "signals s{} WHERE {} GROUP BY 1, 2",
                                  k_sums, open_index, open));
        bind_with_filter(quadrants, where, settings.many_contacts,
                         static_cast<std::int64_t>(settings.high_satisfaction_impact));
        while (quadrants.step()) {
            data.quadrants.push_back(QuadrantInput{
                quadrants.integer(0) != 0, quadrants.integer(1) != 0, sums_at(quadrants, 2)});
        }

        if (!by.empty() && tallied && is_standard_field(by)) {
            Statement groups = m_db.prepare(tally_groups_sql(by, "AND open = 1", false));
            groups.bind(1, by);
            while (groups.step()) {
                data.groups.push_back(ImpactGroupInput{groups.text(0), sums_at(groups, 1)});
            }
        } else if (!by.empty()) {
            const FieldGroup g = field_group(by);
            Statement groups = m_db.prepare(
                fmt::format("SELECT min({}), {} FROM signals s{}{} WHERE {} GROUP BY {}",
                            g.expression, k_sums, open_index, g.join, open, g.group));
            if (is_standard_field(by)) {
                bind_with_filter(groups, where);
            } else {
                bind_with_filter(groups, where, by);
            }
            while (groups.step()) {
                data.groups.push_back(ImpactGroupInput{groups.text(0), sums_at(groups, 1)});
            }
        }

        Statement ranked = m_db.prepare(fmt::format(
            "SELECT s.id, s.title, s.state, s.contacts, s.satisfaction_impact, "
            "s.cost_per_contact_cents, s.satisfaction_hundredths FROM signals s{} WHERE {} "
            "ORDER BY s.contacts * s.satisfaction_impact DESC, s.id{}",
            // The first rows of the index in this order that pass the filter are the answer.
            covered ? " INDEXED BY signals_open_score" : "", open, limit_clause(filter)));
        bind_with_filter(ranked, where);
        while (ranked.step()) {
            RankedSignalInput in;
            in.id = ranked.integer(0);
            in.title = ranked.text(1);
            in.state = state_of(ranked, 2);
            in.impact = Impact{ranked.integer(3), static_cast<int>(ranked.integer(4)),
                               Decimal::from_hundredths(ranked.integer(5)), decimal_at(ranked, 6)};
            data.ranked.push_back(std::move(in));
        }
        return data;
    }

    FunnelData funnel(const ReportFilter& filter, Timestamp month_since) override {
        ReadTransaction transaction(m_db);
        if (!has_filter(filter)) {
            return tallied_funnel(month_since);
        }
        FunnelData data;
        const Where where = filter_where(filter, "s.submitted_at");
        Statement states = m_db.prepare(fmt::format(
            "SELECT s.state, s.step, count(*) FROM signals s WHERE 1 = 1{} GROUP BY 1, 2",
            where.sql));
        bind_with_filter(states, where);
        while (states.step()) {
            data.states.push_back(StateCount{
                state_of(states, 0), static_cast<int>(states.integer(1)), states.integer(2)});
        }

        // The finished stays in one pass, the middle ones picked in memory: walking an index
        // to the middle of each step would test the filter on every stay before it.
        std::map<int, std::vector<std::int64_t>> lengths;
        Statement done =
            m_db.prepare(fmt::format("SELECT st.step, st.seconds FROM signals s JOIN step_stays st "
                                     "INDEXED BY step_stays_signal ON st.signal_id = s.id "
                                     "WHERE st.seconds IS NOT NULL{}",
                                     where.sql));
        bind_with_filter(done, where);
        while (done.step()) {
            lengths[static_cast<int>(done.integer(0))].push_back(done.integer(1));
        }
        std::map<int, StepStayInput> stays;
        for (auto& [step, seconds] : lengths) {
            StepStayInput& s = stays[step];
            s.step = step;
            s.completed = static_cast<std::int64_t>(seconds.size());
            s.longest_seconds = *std::max_element(seconds.begin(), seconds.end());
            // The two middle lengths (one, twice, for an odd count), as the index walk gave them.
            const auto lower = seconds.begin() + (s.completed - 1) / 2;
            std::nth_element(seconds.begin(), lower, seconds.end());
            s.middle_lower_seconds = static_cast<double>(*lower);
            s.middle_upper_seconds =
                s.completed % 2 == 1
                    ? s.middle_lower_seconds
                    : static_cast<double>(*std::min_element(lower + 1, seconds.end()));
        }
        // The open stays from their partial index, each tested against the selected signals.
        Statement waiting = m_db.prepare(fmt::format(
            "SELECT step, count(*), min(entered_at), signal_id FROM step_stays "
            "WHERE left_at IS NULL AND signal_id IN (SELECT s.id FROM signals s WHERE 1 = 1{}) "
            "GROUP BY step",
            where.sql));
        bind_with_filter(waiting, where);
        while (waiting.step()) {
            StepStayInput& s = stays[static_cast<int>(waiting.integer(0))];
            s.step = static_cast<int>(waiting.integer(0));
            s.waiting = waiting.integer(1);
            s.oldest_entered = time_of(waiting, 2);
            s.oldest_signal = waiting.integer(3);
        }
        for (auto& [step, s] : stays) {
            data.stays.push_back(s);
        }

        // Entering and leaving per month: the field filters, and the month window.
        ReportFilter fields_only;
        fields_only.fields = filter.fields;
        const Where by_field = filter_where(fields_only, "");
        const std::string since = format_timestamp(month_since);
        const std::optional<std::string> until =
            filter.until ? std::optional<std::string>(format_timestamp(*filter.until))
                         : std::nullopt;
        std::map<std::string, MonthFlow> months;
        Statement entered = m_db.prepare(fmt::format(
            "SELECT substr(s.submitted_at, 1, 7), count(*) FROM signals s "
            "WHERE s.submitted_at >= ? AND s.submitted_at < coalesce(?, '9999'){} GROUP BY 1",
            by_field.sql));
        bind_with_filter(entered, by_field, since, until);
        while (entered.step()) {
            MonthFlow& m = months[entered.text(0)];
            m.month = entered.text(0);
            m.entered = entered.integer(1);
        }
        const std::string of_fields =
            filter.fields.empty()
                ? std::string()
                : fmt::format(" AND signal_id IN (SELECT s.id FROM signals s WHERE 1 = 1{})",
                              by_field.sql);
        Statement left = m_db.prepare(
            fmt::format("SELECT substr(entered_at, 1, 7), count(*) FROM step_stays WHERE step = 10 "
                        "AND entered_at >= ? AND entered_at < coalesce(?, '9999'){} GROUP BY 1",
                        of_fields));
        bind_with_filter(left, by_field, since, until);
        while (left.step()) {
            MonthFlow& m = months[left.text(0)];
            m.month = left.text(0);
            m.left = left.integer(1);
        }
        for (auto& [month, m] : months) {
            data.months.push_back(m);
        }
        return data;
    }

    EffectData effect(const ReportFilter& filter, const ImpactSettings& impact) override {
        ReadTransaction transaction(m_db);
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
        Statement totals = m_db.prepare(
            tallied
                ? std::string("SELECT count(*), coalesce(sum(contacts_saved), 0), "
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
        Statement lines = m_db.prepare(
            fmt::format("SELECT s.id, s.title, s.state, s.contacts, s.satisfaction_impact, "
                        "s.cost_per_contact_cents, s.satisfaction_hundredths, m.contacts, "
                        "m.satisfaction_hundredths, m.measured_by, m.measured_at, "
                        "s.expected_reduction_hundredths, {} {} "
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
            data.lines.push_back(std::move(in));
        }
        return data;
    }

    FieldsData fields(const ReportFilter& filter, const std::vector<std::string>& names) override {
        ReadTransaction transaction(m_db);
        FieldsData data;
        const Where where = filter_where(filter, "s.submitted_at");
        // Without a filter the counts of every signal come from the tallies (migration 5).
        const bool tallied = !has_filter(filter);
        Statement total = m_db.prepare(
            tallied ? std::string("SELECT coalesce(sum(signals), 0) FROM tally_states")
                    : fmt::format("SELECT count(*) FROM signals s WHERE 1 = 1{}", where.sql));
        bind_with_filter(total, where);
        if (total.step()) {
            data.signals = total.integer(0);
        }
        // Sums over every signal of the report, from a breakdown that covers them all.
        std::optional<ImpactSums> all;
        for (const std::string& name : names) {
            FieldData field;
            field.field = name;
            if (tallied && is_standard_field(name)) {
                // Signals without a value are the group '' of the tally.
                Statement values = m_db.prepare(tally_groups_sql(name, "", true));
                values.bind(1, name);
                std::vector<ImpactGroupInput> groups;
                while (values.step()) {
                    groups.push_back(ImpactGroupInput{values.text(0), sums_at(values, 1)});
                }
                field.distinct = static_cast<std::int64_t>(groups.size());
                if (filter.limit > 0 && static_cast<std::int64_t>(groups.size()) > filter.limit) {
                    groups.resize(static_cast<std::size_t>(filter.limit));
                }
                field.values = std::move(groups);
                data.fields.push_back(std::move(field));
                continue;
            }
            const FieldGroup g = field_group(name);
            // The customer index holds only signals with a customer (a partial index): the
            // signals without one are what remains of the sums over all signals.
            const bool customer = name == "customer";
            Statement values = m_db.prepare(
                fmt::format("SELECT min({}), {} FROM signals s{} WHERE {}{} GROUP BY {} "
                            "ORDER BY 2 DESC, 1",
                            g.expression, k_sums, g.join,
                            customer ? "s.customer IS NOT NULL" : "1 = 1", where.sql, g.group));
            if (is_standard_field(name)) {
                bind_with_filter(values, where);
            } else {
                bind_with_filter(values, where, name);
            }
            std::vector<ImpactGroupInput> groups;
            ImpactSums seen;
            while (values.step()) {
                groups.push_back(ImpactGroupInput{values.text(0), sums_at(values, 1)});
                const ImpactSums& v = groups.back().sums;
                seen = ImpactSums{seen.signals + v.signals, seen.contacts + v.contacts,
                                  seen.score + v.score, seen.cost_cents + v.cost_cents};
            }
            if (customer) {
                if (!all) {
                    Statement sums = m_db.prepare(
                        fmt::format("SELECT {} FROM signals s WHERE 1 = 1{}", k_sums, where.sql));
                    bind_with_filter(sums, where);
                    if (sums.step()) {
                        all = sums_at(sums, 0);
                    }
                }
                const ImpactSums rest{all->signals - seen.signals, all->contacts - seen.contacts,
                                      all->score - seen.score, all->cost_cents - seen.cost_cents};
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
            } else if (is_standard_field(name) && !all) {
                all = seen;
            }
            field.distinct = static_cast<std::int64_t>(groups.size());
            if (filter.limit > 0 && static_cast<std::int64_t>(groups.size()) > filter.limit) {
                groups.resize(static_cast<std::size_t>(filter.limit));
            }
            field.values = std::move(groups);
            data.fields.push_back(std::move(field));
        }
        return data;
    }

    CustomersData customers(const ReportFilter& filter, Timestamp care_since,
                            std::int64_t high) override {
        ReadTransaction transaction(m_db);
        CustomersData data;
        const Where where = filter_where(filter, "s.submitted_at");
        // Without a filter: all-time sums from the field tally (migration 5), the care window
        // from each customer's recent signals in the index on (customer, submitted_at).
        Statement rows = m_db.prepare(
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
        Statement revenue = m_db.prepare("SELECT coalesce(sum(revenue_cents), 0) FROM customers");
        if (revenue.step()) {
            data.revenue_total = Decimal::from_hundredths(revenue.integer(0));
        }
        return data;
    }

    OverdueData overdue(const ReportFilter& filter, Date today, Timestamp stale_before,
                        Timestamp silent_before) override {
        ReadTransaction transaction(m_db);
        OverdueData data;
        const Where where = filter_where(filter, "s.submitted_at");
        const std::string day = format_date(today);

        const std::string actions_join = fmt::format(
            "JOIN signals s ON s.id = a.signal_id "
            "WHERE a.status IN ('planned', 'in-progress') AND a.due IS NOT NULL AND a.due < ? "
            "AND s.state IN ('approved', 'in-progress'){}",
            where.sql);
        const std::string actions_from = "FROM actions a " + actions_join;
        // Without a filter the overdue actions are counted per due date in a tally (migration 5).
        if (has_filter(filter)) {
            data.actions_total = count_rows(m_db, actions_from, where, day);
        } else {
            Statement due =
                m_db.prepare("SELECT coalesce(sum(actions), 0) FROM tally_due WHERE due < ?");
            due.bind(1, day);
            data.actions_total = due.step() ? due.integer(0) : 0;
        }
        Statement actions = m_db.prepare(
            // In due order from the index: the first overdue actions end the scan.
            fmt::format("SELECT a.signal_id, s.title, a.number, a.title, a.owner, a.due, a.status, "
                        "a.progress {} ORDER BY a.due, a.signal_id, a.number{}",
                        "FROM actions a INDEXED BY actions_open_due " + actions_join,
                        limit_clause(filter)));
        bind_with_filter(actions, where, day);
        while (actions.step()) {
            OverdueActionInput a;
            a.signal = actions.integer(0);
            a.signal_title = actions.text(1);
            a.number = static_cast<int>(actions.integer(2));
            a.title = actions.text(3);
            a.owner = actions.text(4);
            a.due = *parse_date(actions.text(5));
            a.status = parse_action_status(actions.text(6)).value_or(ActionStatus::planned);
            a.progress = static_cast<int>(actions.integer(7));
            data.actions.push_back(std::move(a));
        }

        const std::string stale_from = fmt::format(
            "FROM signals s WHERE s.state <> 'closed' AND s.updated_at < ?{}", where.sql);
        const std::string stale_cut = format_timestamp(stale_before);
        // Without a filter: the signals not closed (a tally, migration 5) less those changed
        // since the cut, which are few.
        if (has_filter(filter)) {
            data.stale_total = count_rows(m_db, stale_from, where, stale_cut);
        } else {
            Statement stale_count = m_db.prepare(
                "SELECT (SELECT coalesce(sum(signals), 0) FROM tally_states WHERE state <> "
                "'closed') "
                "- (SELECT count(*) FROM signals WHERE state <> 'closed' AND updated_at >= ?)");
            stale_count.bind(1, stale_cut);
            data.stale_total = stale_count.step() ? stale_count.integer(0) : 0;
        }
        Statement stale = m_db.prepare(
            fmt::format("SELECT s.id, s.title, s.state, s.updated_at {} ORDER BY s.updated_at, "
                        "s.id{}",
                        stale_from, limit_clause(filter)));
        bind_with_filter(stale, where, stale_cut);
        while (stale.step()) {
            data.stale.push_back(StaleSignalInput{stale.integer(0), stale.text(1),
                                                  state_of(stale, 2), time_of(stale, 3)});
        }

        // Who submitted or joined a signal that is not closed, and has waited since: the
        // submitters of the signals themselves, and those who joined later.
        const std::string silent_cut = format_timestamp(silent_before);
        std::map<std::string, SilentSubmitterInput> silent;
        auto merge = [&](Statement& row) {
            while (row.step()) {
                std::string email = row.text(0);
                std::string key = email;
                std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
                    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
                });
                const Timestamp since = time_of(row, 2);
                auto [it, fresh] =
                    silent.try_emplace(key, SilentSubmitterInput{email, 0, since, row.integer(3)});
                it->second.signals += row.integer(1);
                if (since < it->second.waiting_since) {
                    it->second.waiting_since = since;
                    it->second.oldest_signal = row.integer(3);
                }
                (void)fresh;
            }
        };
        // Without a filter: per spelling, the signals not closed (a tally, migration 5) less
        // those since the cut, which are few; then the oldest of each address from its index.
        const bool tallied = !has_filter(filter);
        Statement submitted = m_db.prepare(
            tallied ? std::string(k_tallied_submitted)
                    : fmt::format("SELECT min(s.submitted_by), count(*), min(s.submitted_at), "
                                  "s.id FROM signals s WHERE s.state <> 'closed' AND "
                                  "s.submitted_at < ?{} GROUP BY s.submitted_by COLLATE NOCASE",
                                  where.sql));
        bind_with_filter(submitted, where, silent_cut);
        merge(submitted);
        Statement joined = m_db.prepare(
            tallied ? std::string(k_tallied_joined)
                    : fmt::format("SELECT min(u.email), count(*), min(u.joined_at), u.signal_id "
                                  "FROM submitters u JOIN signals s ON s.id = u.signal_id WHERE "
                                  "u.via <> 'submit' AND s.state <> 'closed' AND u.joined_at < "
                                  "?{} GROUP BY u.email COLLATE NOCASE",
                                  where.sql));
        bind_with_filter(joined, where, silent_cut);
        merge(joined);
        std::vector<SilentSubmitterInput> all;
        all.reserve(silent.size());
        for (auto& [key, s] : silent) {
            all.push_back(std::move(s));
        }
        std::sort(all.begin(), all.end(),
                  [](const SilentSubmitterInput& a, const SilentSubmitterInput& b) {
                      if (a.waiting_since != b.waiting_since) {
                          return a.waiting_since < b.waiting_since;
                      }
                      return a.email < b.email;
                  });
        data.silent_total = static_cast<std::int64_t>(all.size());
        if (filter.limit > 0 && static_cast<std::int64_t>(all.size()) > filter.limit) {
            all.resize(static_cast<std::size_t>(filter.limit));
        }
        data.silent = std::move(all);
        return data;
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
    // The funnel of every signal, from the tallies of migration 5.
    FunnelData tallied_funnel(Timestamp month_since) {
        FunnelData data;
        Statement states = m_db.prepare(
            "SELECT state, step, signals FROM tally_states WHERE signals > 0 ORDER BY 1, 2");
        while (states.step()) {
            data.states.push_back(StateCount{
                state_of(states, 0), static_cast<int>(states.integer(1)), states.integer(2)});
        }
        std::map<int, StepStayInput> stays;
        Statement done = m_db.prepare("SELECT step, sum(stays) FROM tally_stays GROUP BY step "
                                      "HAVING sum(stays) > 0");
        while (done.step()) {
            StepStayInput& s = stays[static_cast<int>(done.integer(0))];
            s.step = static_cast<int>(done.integer(0));
            s.completed = done.integer(1);
        }
        Statement longest = m_db.prepare("SELECT max(seconds) FROM step_stays WHERE step = ? AND "
                                         "seconds IS NOT NULL");
        Statement days = m_db.prepare(
            "SELECT day, stays FROM tally_stays WHERE step = ? AND stays > 0 ORDER BY day");
        // The middle stays: the day that holds them from the tally, then that day's stays from
        // the index on (step, seconds), so the offset walks one day's stays at most.
        Statement middle = m_db.prepare(
            "SELECT seconds FROM step_stays WHERE step = ? AND seconds IS NOT NULL AND "
            "seconds >= ? ORDER BY seconds LIMIT 2 OFFSET ?");
        for (auto& [step, s] : stays) {
            longest.reset();
            longest.bind(1, std::int64_t{step});
            if (longest.step()) {
                s.longest_seconds = longest.integer(0);
            }
            const std::int64_t wanted = (s.completed - 1) / 2;
            std::int64_t before = 0;
            std::optional<std::int64_t> day;
            days.reset();
            days.bind(1, std::int64_t{step});
            while (days.step()) {
                const std::int64_t count = days.integer(1);
                if (before + count > wanted) {
                    day = days.integer(0);
                    break;
                }
                before += count;
            }
            if (!day) {
                continue;
            }
            middle.reset();
            middle.bind_all(std::int64_t{step}, *day * 86400, wanted - before);
            if (middle.step()) {
                s.middle_lower_seconds = static_cast<double>(middle.integer(0));
                s.middle_upper_seconds = s.middle_lower_seconds;
                if (middle.step()) {
                    s.middle_upper_seconds = static_cast<double>(middle.integer(0));
                }
            }
        }
        Statement waiting =
            m_db.prepare("SELECT step, stays FROM tally_waiting WHERE stays > 0 ORDER BY step");
        Statement oldest = m_db.prepare(
            "SELECT entered_at, signal_id FROM step_stays WHERE step = ? AND left_at IS NULL "
            "ORDER BY entered_at, signal_id LIMIT 1");
        while (waiting.step()) {
            const int step = static_cast<int>(waiting.integer(0));
            StepStayInput& s = stays[step];
            s.step = step;
            s.waiting = waiting.integer(1);
            oldest.reset();
            oldest.bind(1, std::int64_t{step});
            if (oldest.step()) {
                s.oldest_entered = time_of(oldest, 0);
                s.oldest_signal = oldest.integer(1);
            }
        }
        for (auto& [step, s] : stays) {
            data.stays.push_back(s);
        }
        // The months start at the first of a month, so whole months of the tally count.
        Statement months =
            m_db.prepare("SELECT month, entered, left FROM tally_months WHERE month >= ? "
                         "AND (entered > 0 OR left > 0) ORDER BY month");
        months.bind(1, format_timestamp(month_since).substr(0, 7));
        while (months.step()) {
            MonthFlow m;
            m.month = months.text(0);
            m.entered = months.integer(1);
            m.left = months.integer(2);
            data.months.push_back(m);
        }
        return data;
    }

    Connection& m_db;
};

} // namespace

std::unique_ptr<ReportQueries> make_report_queries(Connection& db) {
    return std::make_unique<SqliteReports>(db);
}

} // namespace sileram::storage::sqlite
