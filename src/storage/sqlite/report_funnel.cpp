#include "reports.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <map>

namespace sileram::storage::sqlite {

using namespace domain;

namespace {

using Stays = std::map<int, StepStayInput>;

// A step's target in seconds, to compare with the stays' lengths.
std::int64_t target_seconds(int days) {
    return std::chrono::seconds(std::chrono::days(days)).count();
}

std::vector<StateCount> count_states(Connection& db, const Where& where) {
    Statement states = db.prepare(fmt::format(
        "SELECT s.state, s.step, count(*) FROM signals s WHERE 1 = 1{} GROUP BY 1, 2", where.sql));
    bind_with_filter(states, where);
    std::vector<StateCount> counts;
    while (states.step()) {
        counts.push_back(StateCount{state_of(states, 0), static_cast<int>(states.integer(1)),
                                    states.integer(2)});
    }
    return counts;
}

// The finished stays in one pass, the middle ones picked in memory: walking an index to the
// middle of each step would test the filter on every stay before it.
void add_finished_stays(Connection& db, const Where& where, const StepTargets& targets,
                        Stays& stays, bool indexed) {
    std::map<int, std::vector<std::int64_t>> lengths;
    Statement done =
        db.prepare(fmt::format("SELECT st.step, st.seconds FROM signals s JOIN step_stays st{} "
                               "ON st.signal_id = s.id WHERE st.seconds IS NOT NULL{}",
                               indexed ? " INDEXED BY step_stays_signal" : "", where.sql));
    bind_with_filter(done, where);
    while (done.step()) {
        lengths[static_cast<int>(done.integer(0))].push_back(done.integer(1));
    }
    for (auto& [step, seconds] : lengths) {
        StepStayInput& s = stays[step];
        s.step = step;
        s.completed = static_cast<std::int64_t>(seconds.size());
        s.longest_seconds = *std::max_element(seconds.begin(), seconds.end());
        if (const auto target = targets.find(step); target != targets.end()) {
            const std::int64_t limit = target_seconds(target->second);
            s.within_target =
                std::count_if(seconds.begin(), seconds.end(),
                              [limit](std::int64_t length) { return length <= limit; });
        }
        // The two middle lengths (one, twice, for an odd count), as the index walk gave them.
        const auto lower = seconds.begin() + (s.completed - 1) / 2;
        std::nth_element(seconds.begin(), lower, seconds.end());
        s.middle_lower_seconds = static_cast<double>(*lower);
        s.middle_upper_seconds =
            s.completed % 2 == 1 ? s.middle_lower_seconds
                                 : static_cast<double>(*std::min_element(lower + 1, seconds.end()));
    }
}

// The open stays from their partial index, each tested against the selected signals.
void add_waiting_stays(Connection& db, const Where& where, Stays& stays) {
    Statement waiting = db.prepare(fmt::format(
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
}

std::vector<StepStayInput> in_step_order(const Stays& stays) {
    std::vector<StepStayInput> list;
    for (const auto& [step, s] : stays) {
        list.push_back(s);
    }
    return list;
}

// Entering and leaving per month: the field filters, and the month window.
std::vector<MonthFlow> count_months(Connection& db, const ReportFilter& filter,
                                    Timestamp month_since) {
    ReportFilter fields_only;
    fields_only.fields = filter.fields;
    const Where by_field = filter_where(fields_only, "");
    const std::string since = format_timestamp(month_since);
    const std::optional<std::string> until =
        filter.until ? std::optional<std::string>(format_timestamp(*filter.until)) : std::nullopt;
    std::map<std::string, MonthFlow> months;
    Statement entered = db.prepare(fmt::format(
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
    Statement left = db.prepare(
        fmt::format("SELECT substr(entered_at, 1, 7), count(*) FROM step_stays WHERE step = 10 "
                    "AND entered_at >= ? AND entered_at < coalesce(?, '9999'){} GROUP BY 1",
                    of_fields));
    bind_with_filter(left, by_field, since, until);
    while (left.step()) {
        MonthFlow& m = months[left.text(0)];
        m.month = left.text(0);
        m.left = left.integer(1);
    }
    std::vector<MonthFlow> flow;
    flow.reserve(months.size());
    for (auto& [month, m] : months) {
        flow.push_back(m);
    }
    return flow;
}

// ---- every signal, from the tallies of migration 5 ---------------------------------------

std::vector<StateCount> tallied_states(Connection& db) {
    Statement states =
        db.prepare("SELECT state, step, signals FROM tally_states WHERE signals > 0 ORDER BY 1, 2");
    std::vector<StateCount> counts;
    while (states.step()) {
        counts.push_back(StateCount{state_of(states, 0), static_cast<int>(states.integer(1)),
                                    states.integer(2)});
    }
    return counts;
}

// The middle stays of a step with `completed` finished ones: the day that holds them from the
// tally, then that day's stays from the index on (step, seconds), so the offset walks one day's
// stays at most.
void find_middle_stays(Connection& db, StepStayInput& s) {
    std::map<std::int64_t, std::int64_t> per_day;
    Statement days =
        db.prepare("SELECT day, stays FROM tally_stays WHERE step = ? AND stays > 0 ORDER BY day");
    days.bind(1, std::int64_t{s.step});
    while (days.step()) {
        per_day[days.integer(0)] = days.integer(1);
    }
    const auto at = locate_rank(per_day, (s.completed - 1) / 2);
    if (!at) {
        return;
    }
    Statement middle = db.prepare("SELECT seconds FROM step_stays WHERE step = ? AND seconds IS "
                                  "NOT NULL AND seconds >= ? ORDER BY seconds LIMIT 2 OFFSET ?");
    middle.bind_all(std::int64_t{s.step}, at->from_seconds, at->offset);
    if (middle.step()) {
        s.middle_lower_seconds = static_cast<double>(middle.integer(0));
        s.middle_upper_seconds = s.middle_lower_seconds;
        if (middle.step()) {
            s.middle_upper_seconds = static_cast<double>(middle.integer(0));
        }
    }
}

void add_tallied_finished_stays(Connection& db, Stays& stays) {
    Statement done = db.prepare("SELECT step, sum(stays) FROM tally_stays GROUP BY step "
                                "HAVING sum(stays) > 0");
    while (done.step()) {
        StepStayInput& s = stays[static_cast<int>(done.integer(0))];
        s.step = static_cast<int>(done.integer(0));
        s.completed = done.integer(1);
    }
    Statement longest = db.prepare("SELECT max(seconds) FROM step_stays WHERE step = ? AND "
                                   "seconds IS NOT NULL");
    for (auto& [step, s] : stays) {
        longest.reset();
        longest.bind(1, std::int64_t{step});
        if (longest.step()) {
            s.longest_seconds = longest.integer(0);
        }
        find_middle_stays(db, s);
    }
}

// The ended stays within each step's target, from the index on (step, seconds).
void add_tallied_within_target(Connection& db, const StepTargets& targets, Stays& stays) {
    Statement within = db.prepare("SELECT count(*) FROM step_stays WHERE step = ? AND seconds IS "
                                  "NOT NULL AND seconds <= ?");
    for (const auto& [step, days] : targets) {
        const auto s = stays.find(step);
        if (s == stays.end() || s->second.completed == 0) {
            continue;
        }
        within.reset();
        within.bind_all(std::int64_t{step}, target_seconds(days));
        if (within.step()) {
            s->second.within_target = within.integer(0);
        }
    }
}

void add_tallied_waiting_stays(Connection& db, Stays& stays) {
    Statement waiting =
        db.prepare("SELECT step, stays FROM tally_waiting WHERE stays > 0 ORDER BY step");
    Statement oldest = db.prepare(
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
}

// The months start at the first of a month, so whole months of the tally count.
std::vector<MonthFlow> tallied_months(Connection& db, Timestamp month_since) {
    Statement months = db.prepare("SELECT month, entered, left FROM tally_months WHERE month >= ? "
                                  "AND (entered > 0 OR left > 0) ORDER BY month");
    months.bind(1, format_timestamp(month_since).substr(0, 7));
    std::vector<MonthFlow> flow;
    while (months.step()) {
        MonthFlow m;
        m.month = months.text(0);
        m.entered = months.integer(1);
        m.left = months.integer(2);
        flow.push_back(m);
    }
    return flow;
}

} // namespace

FunnelData funnel_report(Connection& db, const ReportFilter& filter, Timestamp month_since,
                         const StepTargets& targets) {
    FunnelData data;
    Stays stays;
    if (!has_filter(filter)) {
        data.states = tallied_states(db);
        add_tallied_finished_stays(db, stays);
        add_tallied_within_target(db, targets, stays);
        add_tallied_waiting_stays(db, stays);
        data.stays = in_step_order(stays);
        data.months = tallied_months(db, month_since);
        return data;
    }
    const Where where = filter_where(filter, "s.submitted_at");
    data.states = count_states(db, where);
    // The rebuilt past (--as-of) has no index on its stays.
    add_finished_stays(db, where, targets, stays, !filter.as_of);
    add_waiting_stays(db, where, stays);
    data.stays = in_step_order(stays);
    data.months = count_months(db, filter, month_since);
    return data;
}

} // namespace sileram::storage::sqlite
