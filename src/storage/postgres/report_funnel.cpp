#include "../state_lists.hpp"
#include "reports.hpp"
#include "sileram/errors.hpp"

#include <chrono>
#include <fmt/format.h>
#include <map>

namespace sileram::storage::postgres {

using namespace domain;

namespace {

// The step stays (migration 10) of the filtered signals: all of them without a filter, else
// those of the signals the filter selects.
std::string stays_of(const Where& where) {
    return where.sql.empty() ? std::string("step_stays st WHERE true")
                             : fmt::format("step_stays st JOIN signals s ON s.id = st.signal_id "
                                           "WHERE true{}",
                                           where.sql);
}

std::vector<StateCount> signals_per_state(Connection& db, const ReportFilter& filter) {
    const Where where = filter_where(filter, "s.submitted_at", Params());
    const Result r =
        has_filter(filter)
            ? db.exec(fmt::format("SELECT s.state, s.step, count(*) FROM signals s "
                                  "WHERE true{} GROUP BY 1, 2 ORDER BY 1, 2",
                                  where.sql)
                          .c_str(),
                      where.params)
            : db.exec("SELECT state, step, signals FROM tally_states WHERE signals > 0 "
                      "ORDER BY 1, 2");
    std::vector<StateCount> states;
    states.reserve(static_cast<std::size_t>(r.rows()));
    for (int row = 0; row < r.rows(); ++row) {
        states.push_back(StateCount{state_at(r, row, 0), static_cast<int>(r.integer(row, 1)),
                                    r.integer(row, 2)});
    }
    return states;
}

// "{NULL,172800,…}": the target of each step 1-10 in seconds, NULL where it has none.
std::string target_seconds_array(const StepTargets& targets) {
    std::string array = "{";
    for (int step = 1; step <= 10; ++step) {
        const auto target = targets.find(step);
        array += step > 1 ? "," : "";
        array +=
            target == targets.end()
                ? std::string("NULL")
                : std::to_string(std::chrono::seconds(std::chrono::days(target->second)).count());
    }
    return array + "}";
}

// Per step: the finished stays (count, longest, within the step's target: $1, the targets in
// seconds, an array by step), the two middle lengths as the sorted list has them (one twice for
// an odd count: read from the index step_stays_done), and the open stays (count, the oldest by
// entry, then id, from the index step_stays_waiting).
std::vector<StepStayInput> stays_per_step(Connection& db, const ReportFilter& filter,
                                          const StepTargets& targets) {
    std::map<int, StepStayInput> stays;
    const Where where =
        filter_where(filter, "s.submitted_at", Params(target_seconds_array(targets)));
    const Result done =
        db.exec(fmt::format("SELECT st.step, count(*), max(st.seconds), "
                            "count(*) FILTER (WHERE st.seconds <= ($1::bigint[])[st.step]) FROM {} "
                            "AND st.seconds IS NOT NULL GROUP BY st.step",
                            stays_of(where))
                    .c_str(),
                where.params);
    Where of_step = filter_where(filter, "s.submitted_at", Params());
    const std::string step_parameter = of_step.placeholder();
    const std::string offset_parameter = of_step.placeholder();
    const std::string middle =
        fmt::format("SELECT st.seconds FROM {} AND st.seconds IS NOT NULL AND st.step = {} "
                    "ORDER BY st.seconds OFFSET {} LIMIT 2",
                    stays_of(of_step), step_parameter, offset_parameter);
    for (int row = 0; row < done.rows(); ++row) {
        StepStayInput& s = stays[static_cast<int>(done.integer(row, 0))];
        s.step = static_cast<int>(done.integer(row, 0));
        s.completed = done.integer(row, 1);
        s.longest_seconds = done.integer(row, 2);
        s.within_target = done.integer(row, 3);
        Params p = of_step.params;
        p.add(s.step);
        p.add((s.completed - 1) / 2);
        const Result m = db.exec(middle.c_str(), p);
        s.middle_lower_seconds = static_cast<double>(m.integer(0, 0));
        s.middle_upper_seconds =
            s.completed % 2 == 1 ? s.middle_lower_seconds : static_cast<double>(m.integer(1, 0));
    }
    const Where open = filter_where(filter, "s.submitted_at", Params());
    const Result waiting =
        db.exec(fmt::format("SELECT st.step, count(*) FROM {} AND st.seconds IS NULL "
                            "GROUP BY st.step",
                            stays_of(open))
                    .c_str(),
                open.params);
    const std::string oldest =
        fmt::format("SELECT st.entered_at, st.signal_id FROM {} AND st.seconds IS NULL AND "
                    "st.step = ${} ORDER BY st.entered_at, st.signal_id LIMIT 1",
                    stays_of(open), open.next);
    for (int row = 0; row < waiting.rows(); ++row) {
        StepStayInput& s = stays[static_cast<int>(waiting.integer(row, 0))];
        s.step = static_cast<int>(waiting.integer(row, 0));
        s.waiting = waiting.integer(row, 1);
        Params p = open.params;
        p.add(s.step);
        const Result o = db.exec(oldest.c_str(), p);
        s.oldest_entered = time_at(o, 0, 0);
        s.oldest_signal = o.integer(0, 1);
    }
    std::vector<StepStayInput> list;
    list.reserve(stays.size());
    for (const auto& [step, s] : stays) {
        list.push_back(s);
    }
    return list;
}

// The stays per step from the tallies of schema 12 (no filter): finished ones per whole day of
// their length, the longest, those within the step's target and the middle ones read from the
// index step_stays_done from the middle's day on; the open ones and the oldest of them.
constexpr const char* k_tallied_days =
    "SELECT step, day, stays FROM tally_stays WHERE stays > 0 ORDER BY step, day";
constexpr const char* k_longest =
    "SELECT max(seconds) FROM step_stays WHERE step = $1 AND seconds IS NOT NULL";
constexpr const char* k_at_target =
    "SELECT count(*) FROM step_stays WHERE step = $1 AND seconds IS NOT NULL AND seconds = $2";
constexpr const char* k_middle_from_day =
    "SELECT seconds FROM step_stays WHERE step = $1 AND seconds IS NOT NULL AND seconds >= $2 "
    "ORDER BY seconds OFFSET $3 LIMIT 2";
constexpr const char* k_tallied_waiting =
    "SELECT step, stays FROM tally_waiting WHERE stays > 0 ORDER BY step";
constexpr const char* k_oldest_waiting =
    "SELECT entered_at, signal_id FROM step_stays WHERE seconds IS NULL AND step = $1 "
    "ORDER BY entered_at, signal_id LIMIT 1";

std::vector<StepStayInput> tallied_stays(Connection& db, const StepTargets& targets) {
    std::map<int, std::map<std::int64_t, std::int64_t>> days;
    const Result tallied = db.exec(k_tallied_days);
    for (int row = 0; row < tallied.rows(); ++row) {
        days[static_cast<int>(tallied.integer(row, 0))][tallied.integer(row, 1)] +=
            tallied.integer(row, 2);
    }
    std::map<int, StepStayInput> stays;
    for (const auto& [step, per_day] : days) {
        StepStayInput& s = stays[step];
        s.step = step;
        for (const auto& [day, n] : per_day) {
            s.completed += n;
        }
        s.longest_seconds = db.exec(k_longest, Params(step)).integer(0, 0);
        if (const auto target = targets.find(step); target != targets.end()) {
            const std::int64_t target_days = target->second;
            for (const auto& [day, n] : per_day) {
                s.within_target += day < target_days ? n : 0;
            }
            s.within_target +=
                db.exec(k_at_target, Params(step, target_days * 86400)).integer(0, 0);
        }
        const RankInDays at = locate_rank(per_day, (s.completed - 1) / 2).value_or(RankInDays{});
        const Result m = db.exec(k_middle_from_day, Params(step, at.from_seconds, at.offset));
        if (m.rows() == 0) {
            throw SystemFailure("the report tallies count more step stays than the index holds");
        }
        s.middle_lower_seconds = static_cast<double>(m.integer(0, 0));
        s.middle_upper_seconds = s.completed % 2 == 1 || m.rows() < 2
                                     ? s.middle_lower_seconds
                                     : static_cast<double>(m.integer(1, 0));
    }
    const Result waiting = db.exec(k_tallied_waiting);
    for (int row = 0; row < waiting.rows(); ++row) {
        StepStayInput& s = stays[static_cast<int>(waiting.integer(row, 0))];
        s.step = static_cast<int>(waiting.integer(row, 0));
        s.waiting = waiting.integer(row, 1);
        const Result o = db.exec(k_oldest_waiting, Params(s.step));
        if (o.rows() == 0) {
            throw SystemFailure("the report tallies count more open stays than there are");
        }
        s.oldest_entered = time_at(o, 0, 0);
        s.oldest_signal = o.integer(0, 1);
    }
    std::vector<StepStayInput> list;
    list.reserve(stays.size());
    for (const auto& [step, s] : stays) {
        list.push_back(s);
    }
    return list;
}

// From the tallies of schema 12 (no filter): the months from $1 (YYYY-MM) on.
constexpr const char* k_tallied_flow =
    "SELECT month, entered, \"left\" FROM tally_months WHERE month >= $1 AND (entered > 0 OR "
    "\"left\" > 0) ORDER BY month";

// Entering (submitted) and leaving (closed) per month within [month_since, until), of the
// signals the field filters select; the report's own time window does not narrow the months.
std::vector<MonthFlow> flow_per_month(Connection& db, const ReportFilter& filter,
                                      Timestamp month_since) {
    ReportFilter fields_only;
    fields_only.fields = filter.fields;
    const std::optional<std::string> until =
        filter.until ? std::optional<std::string>(format_timestamp(*filter.until)) : std::nullopt;
    const Params window(format_timestamp(month_since), until);
    std::map<std::string, MonthFlow> months;

    const Where by_field = filter_where(fields_only, "", window);
    const Result entered = db.exec(
        fmt::format("SELECT substr(s.submitted_at, 1, 7), count(*) FROM signals s "
                    "WHERE s.submitted_at >= $1 AND s.submitted_at < coalesce($2, '9999'){} "
                    "GROUP BY 1",
                    by_field.sql)
            .c_str(),
        by_field.params);
    for (int row = 0; row < entered.rows(); ++row) {
        MonthFlow& m = months[entered.text(row, 0)];
        m.month = entered.text(row, 0);
        m.entered = entered.integer(row, 1);
    }
    // Leaving is entering step 10 (closed).
    const std::string of_fields =
        filter.fields.empty()
            ? std::string()
            : fmt::format(" AND st.signal_id IN (SELECT s.id FROM signals s WHERE true{})",
                          by_field.sql);
    const Result left =
        db.exec(fmt::format("SELECT substr(st.entered_at, 1, 7), count(*) FROM step_stays st "
                            "WHERE st.step = 10 AND st.entered_at >= $1 AND st.entered_at < "
                            "coalesce($2, '9999'){} GROUP BY 1",
                            of_fields)
                    .c_str(),
                by_field.params);
    for (int row = 0; row < left.rows(); ++row) {
        MonthFlow& m = months[left.text(row, 0)];
        m.month = left.text(row, 0);
        m.left = left.integer(row, 1);
    }
    std::vector<MonthFlow> flow;
    flow.reserve(months.size());
    for (auto& [month, m] : months) {
        flow.push_back(m);
    }
    return flow;
}

} // namespace

FunnelData funnel_report(Connection& db, const ReportFilter& filter, Timestamp month_since,
                         const StepTargets& targets) {
    FunnelData data;
    data.states = signals_per_state(db, filter);
    if (has_filter(filter)) {
        data.stays = stays_per_step(db, filter, targets);
        data.months = flow_per_month(db, filter, month_since);
        return data;
    }
    data.stays = tallied_stays(db, targets);
    const Result flow = db.exec(k_tallied_flow, Params(format_timestamp(month_since).substr(0, 7)));
    for (int row = 0; row < flow.rows(); ++row) {
        data.months.push_back(
            MonthFlow{flow.text(row, 0), flow.integer(row, 1), flow.integer(row, 2)});
    }
    return data;
}

} // namespace sileram::storage::postgres
