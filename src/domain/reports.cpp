#include "sileram/domain/reports.hpp"

#include "sileram/domain/limits.hpp"
#include "sileram/domain/rounding.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <map>
#include <set>

namespace sileram::domain {

namespace {

constexpr std::int64_t k_day_seconds = 86400;
constexpr double k_seconds_per_day = k_day_seconds;

struct QuadrantInfo {
    Quadrant quadrant;
    std::string_view name;
};

constexpr QuadrantInfo k_quadrants[] = {
    {Quadrant::act_first, "act first"},
    {Quadrant::plan, "plan"},
    {Quadrant::delegate, "delegate"},
    {Quadrant::avoid, "avoid"},
};

constexpr std::string_view k_step_names[] = {
    "submit",  "quality check", "impact analysis", "prioritise",     "root cause",
    "actions", "go/no-go",      "execute",         "effect measure", "feedback and close",
};

// A yearly figure of many signals, from their sum per period (domain/limits.hpp: no SQL sums money
// per year). Fits for any real organisation; beyond 62 bits it is refused, never wrapped.
Decimal per_year(Decimal per_period, const ImpactSettings& impact, std::string_view what) {
    try {
        return per_period.times(impact.periods_per_year);
    } catch (const InvalidInput&) {
        throw Refused(fmt::format("{} per year ({} per {} × {}) is more than sileram can show "
                                  "(at most {}); narrow the report, for instance with --since",
                                  what, per_period.to_string(), impact.period,
                                  impact.periods_per_year, Decimal::largest().to_string()));
    }
}

ImpactTotals totals_of(std::string label, const ImpactSums& sums, const ImpactSettings& impact) {
    ImpactTotals t;
    t.label = std::move(label);
    t.signals = sums.signals;
    t.contacts = sums.contacts;
    t.score = sums.score;
    t.cost_per_period = Decimal::from_hundredths(sums.cost_cents);
    t.cost_per_year = per_year(t.cost_per_period, impact, "the cost");
    return t;
}

double days(double seconds) {
    return rounded(seconds / k_seconds_per_day, 0.1);
}

} // namespace

std::string_view to_string(Quadrant quadrant) {
    for (const QuadrantInfo& q : k_quadrants) {
        if (q.quadrant == quadrant) {
            return q.name;
        }
    }
    return "avoid";
}

Quadrant quadrant(bool many_contacts, bool high_satisfaction_impact) {
    if (high_satisfaction_impact) {
        return many_contacts ? Quadrant::act_first : Quadrant::plan;
    }
    return many_contacts ? Quadrant::delegate : Quadrant::avoid;
}

Quadrant quadrant(std::int64_t contacts, int satisfaction_impact, const ReportSettings& settings) {
    return quadrant(contacts >= settings.many_contacts,
                    satisfaction_impact >= settings.high_satisfaction_impact);
}

double median_of_middle(std::int64_t count, double lower, double upper) {
    if (count <= 0) {
        return 0;
    }
    return count % 2 == 1 ? lower : (lower + upper) / 2.0;
}

std::optional<double> median(std::vector<double> values) {
    if (values.empty()) {
        return std::nullopt;
    }
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return median_of_middle(static_cast<std::int64_t>(n), values[(n - 1) / 2], values[n / 2]);
}

double share(double part, double whole) {
    return whole > 0 ? part / whole : 0.0;
}

PercentileRanks percentile_ranks(std::int64_t count, double fraction) {
    if (count <= 0) {
        return {};
    }
    const double rank = static_cast<double>(count - 1) * std::clamp(fraction, 0.0, 1.0);
    PercentileRanks ranks;
    ranks.lower = static_cast<std::int64_t>(std::floor(rank));
    ranks.upper = std::min(ranks.lower + 1, count - 1);
    ranks.weight = rank - static_cast<double>(ranks.lower);
    return ranks;
}

double seconds_as_days(std::int64_t seconds) {
    return static_cast<double>(seconds) / k_seconds_per_day;
}

double percentile_between(const PercentileRanks& ranks, double lower, double upper) {
    return lower + ranks.weight * (upper - lower);
}

std::optional<RankInDays> locate_rank(const std::map<std::int64_t, std::int64_t>& per_day,
                                      std::int64_t rank) {
    std::int64_t before = 0;
    for (const auto& [day, waits] : per_day) {
        if (rank < before + waits) {
            return RankInDays{day * k_day_seconds, rank - before};
        }
        before += waits;
    }
    return std::nullopt;
}

std::optional<double> percentile(std::vector<double> values, double fraction) {
    if (values.empty()) {
        return std::nullopt;
    }
    std::sort(values.begin(), values.end());
    const PercentileRanks ranks =
        percentile_ranks(static_cast<std::int64_t>(values.size()), fraction);
    return percentile_between(ranks, values[static_cast<std::size_t>(ranks.lower)],
                              values[static_cast<std::size_t>(ranks.upper)]);
}

ImpactReport build_impact_report(const std::vector<RankedSignalInput>& ranked,
                                 const std::vector<ImpactGroupInput>& groups,
                                 const std::vector<QuadrantInput>& quadrants,
                                 const ImpactSettings& impact, const ReportSettings& settings) {
    ImpactReport report;
    ImpactSums all;
    std::map<Quadrant, ImpactSums> per_quadrant;
    for (const QuadrantInput& q : quadrants) {
        ImpactSums& sums = per_quadrant[quadrant(q.many_contacts, q.high_satisfaction_impact)];
        sums.signals += q.sums.signals;
        sums.contacts += q.sums.contacts;
        sums.score += q.sums.score;
        sums.cost_cents += q.sums.cost_cents;
        all.signals += q.sums.signals;
        all.contacts += q.sums.contacts;
        all.score += q.sums.score;
        all.cost_cents += q.sums.cost_cents;
    }
    report.total = totals_of("total", all, impact);
    report.total.share_of_cost = all.signals > 0 ? 1.0 : 0.0;
    const double whole = static_cast<double>(all.cost_cents);
    for (const QuadrantInfo& info : k_quadrants) {
        ImpactTotals t = totals_of(std::string(info.name), per_quadrant[info.quadrant], impact);
        t.share_of_cost = share(static_cast<double>(per_quadrant[info.quadrant].cost_cents), whole);
        report.quadrants.push_back(std::move(t));
    }
    for (const ImpactGroupInput& g : groups) {
        ImpactTotals t = totals_of(g.value, g.sums, impact);
        t.share_of_cost = share(static_cast<double>(g.sums.cost_cents), whole);
        report.groups.push_back(std::move(t));
    }
    std::stable_sort(report.groups.begin(), report.groups.end(),
                     [](const ImpactTotals& a, const ImpactTotals& b) {
                         if (a.cost_per_period != b.cost_per_period) {
                             return a.cost_per_period > b.cost_per_period;
                         }
                         return a.label < b.label;
                     });
    for (const RankedSignalInput& in : ranked) {
        ImpactLine line;
        line.id = in.id;
        line.title = in.title;
        line.state = in.state;
        line.contacts = in.impact.contacts;
        line.satisfaction_impact = in.impact.satisfaction_impact;
        line.figures = impact_figures(in.impact, impact);
        line.quadrant = quadrant(in.impact.contacts, in.impact.satisfaction_impact, settings);
        report.ranked.push_back(std::move(line));
    }
    std::stable_sort(report.ranked.begin(), report.ranked.end(),
                     [](const ImpactLine& a, const ImpactLine& b) {
                         if (a.figures.score != b.figures.score) {
                             return a.figures.score > b.figures.score;
                         }
                         return a.id < b.id;
                     });
    return report;
}

std::string_view step_name(int step) {
    if (step < 1 || step > 10) {
        return "?";
    }
    return k_step_names[step - 1];
}

FunnelReport build_funnel_report(const std::vector<StateCount>& states,
                                 const std::vector<StepStayInput>& stays,
                                 std::vector<MonthFlow> months, Timestamp now,
                                 const StepTargets& targets) {
    FunnelReport report;
    for (const StateCount& c : states) {
        report.total += c.signals;
    }
    report.states = states;
    std::sort(report.states.begin(), report.states.end(),
              [](const StateCount& a, const StateCount& b) {
                  if (a.step != b.step) {
                      return a.step < b.step;
                  }
                  return a.state < b.state;
              });
    for (int step = 1; step <= 10; ++step) {
        FunnelStep s;
        s.step = step;
        s.name = std::string(step_name(step));
        for (const StateCount& c : report.states) {
            if (c.step != step || c.signals == 0) {
                continue;
            }
            s.signals += c.signals;
            s.states.push_back(c);
        }
        s.share = share(static_cast<double>(s.signals), static_cast<double>(report.total));
        if (const auto target = targets.find(step); target != targets.end()) {
            s.target_days = target->second;
        }
        for (const StepStayInput& stay : stays) {
            if (stay.step != step) {
                continue;
            }
            if (stay.completed > 0) {
                s.median_days = days(median_of_middle(stay.completed, stay.middle_lower_seconds,
                                                      stay.middle_upper_seconds));
                s.longest_days = days(static_cast<double>(stay.longest_seconds));
                if (s.target_days) {
                    s.within_target = rounded(share(static_cast<double>(stay.within_target),
                                                    static_cast<double>(stay.completed)),
                                              0.0001);
                }
            }
            if (stay.oldest_entered && step < 10) {
                s.oldest_days = days(static_cast<double>((now - *stay.oldest_entered).count()));
                s.oldest_signal = stay.oldest_signal;
            }
        }
        report.steps.push_back(std::move(s));
    }
    std::sort(months.begin(), months.end(),
              [](const MonthFlow& a, const MonthFlow& b) { return a.month < b.month; });
    report.months = std::move(months);
    return report;
}

std::optional<Decimal> expected_savings_per_year(const Impact& baseline,
                                                 const std::optional<Decimal>& reduction,
                                                 const ImpactSettings& impact) {
    if (!reduction) {
        return std::nullopt;
    }
    return impact_figures(baseline, impact).cost_per_year.percent_of(*reduction);
}

EffectReport build_effect_report(const std::vector<EffectInput>& lines, const EffectSums& sums,
                                 const ImpactSettings& impact) {
    EffectReport report;
    for (const EffectInput& in : lines) {
        EffectLine line;
        line.id = in.id;
        line.title = in.title;
        line.state = in.state;
        line.measured_at = in.last.stamp.at;
        line.baseline_contacts = in.baseline.contacts;
        line.measured_contacts = in.last.contacts;
        line.expected_per_year =
            expected_savings_per_year(in.baseline, in.expected_reduction, impact);
        line.effect = effect(in.baseline, in.last, line.expected_per_year, impact);
        line.cost = in.action_cost;
        line.approved_per_year = in.approved_per_year;
        if (in.approved_per_year) {
            line.versus_approved_per_year = line.effect.saved_per_year - *in.approved_per_year;
        }
        report.lines.push_back(std::move(line));
    }
    EffectTotals& t = report.total;
    t.signals = sums.signals;
    t.contacts_saved = sums.contacts_saved;
    t.saved_per_period = Decimal::from_hundredths(sums.saved_per_period_cents);
    t.saved_per_year = per_year(t.saved_per_period, impact, "the savings");
    try {
        t.expected_per_year =
            Decimal::from_hundredths(sums.expected_per_year_split).times(k_split_cents) +
            Decimal::from_hundredths(sums.expected_per_year_rest_cents);
    } catch (const InvalidInput&) {
        throw Refused(fmt::format("the expected savings per year are more than sileram can show "
                                  "(at most {}); narrow the report, for instance with --since",
                                  Decimal::largest().to_string()));
    }
    t.approved_signals = sums.approved_signals;
    try {
        t.approved_per_year =
            Decimal::from_hundredths(sums.approved_per_year_split).times(k_split_cents) +
            Decimal::from_hundredths(sums.approved_per_year_rest_cents);
    } catch (const InvalidInput&) {
        throw Refused(fmt::format("the approved savings per year are more than sileram can show "
                                  "(at most {}); narrow the report, for instance with --since",
                                  Decimal::largest().to_string()));
    }
    t.saved_per_year_approved = per_year(
        Decimal::from_hundredths(sums.saved_per_period_approved_cents), impact, "the savings");
    t.versus_approved_per_year = t.saved_per_year_approved - t.approved_per_year;
    t.cost = Decimal::from_hundredths(sums.cost_cents);
    if (t.expected_per_year.hundredths() > 0) {
        const double realised =
            static_cast<double>(sums.saved_per_period_expected_cents) * impact.periods_per_year;
        t.realised_share =
            rounded(realised / static_cast<double>(t.expected_per_year.hundredths()), 0.0001);
    }
    if (sums.cost_cents > 0) {
        const double saved = t.saved_per_year.to_double();
        const double cost = t.cost.to_double();
        t.roi = rounded((saved - cost) / cost, 0.0001);
    }
    if (sums.satisfaction_measured > 0) {
        // Rounded half away from zero to the hundredth.
        const double mean = static_cast<double>(sums.satisfaction_delta_hundredths) /
                            static_cast<double>(sums.satisfaction_measured);
        t.mean_satisfaction_delta = Decimal::from_hundredths(std::llround(mean));
    }
    return report;
}

namespace {

// The signals of one month or channel as they are counted, with the days each waited.
struct ResponseTally {
    ResponseCount count;
    std::vector<double> days;

    void add(const ResponseInput& in, std::optional<std::chrono::seconds> target, Timestamp now) {
        ++count.signals;
        if (!in.responded_at) {
            ++count.waiting;
            if (target && now - in.submitted_at > *target) {
                ++count.judged;
            }
            return;
        }
        const auto waited = std::max(*in.responded_at - in.submitted_at, std::chrono::seconds(0));
        days.push_back(seconds_as_days(waited.count()));
        if (target) {
            ++count.judged;
            count.within += waited <= *target ? 1 : 0;
        }
    }

    ResponseCount counted() && {
        count.median_days = percentile(days, k_response_median);
        count.p90_days = percentile(std::move(days), k_response_p90);
        return count;
    }
};

ResponseLine response_line(std::string label, const ResponseCount& c, bool with_target) {
    ResponseLine l;
    l.label = std::move(label);
    l.signals = c.signals;
    l.waiting = c.waiting;
    l.responded = c.signals - c.waiting;
    l.median_days = c.median_days;
    l.p90_days = c.p90_days;
    if (with_target && c.judged > 0) {
        l.within_target =
            rounded(share(static_cast<double>(c.within), static_cast<double>(c.judged)), 0.0001);
    }
    return l;
}

} // namespace

ResponseCounts count_responses(const std::vector<ResponseInput>& signals,
                               std::optional<int> target_days, Timestamp now) {
    std::optional<std::chrono::seconds> target;
    if (target_days) {
        target = std::chrono::days(*target_days);
    }
    std::map<std::string, ResponseTally> months;
    std::map<std::string, ResponseTally> channels;
    ResponseTally all;
    for (const ResponseInput& in : signals) {
        months[in.month].add(in, target, now);
        channels[in.channel].add(in, target, now);
        all.add(in, target, now);
    }
    ResponseCounts counts;
    for (auto& [month, tally] : months) {
        counts.months.emplace(month, std::move(tally).counted());
    }
    for (auto& [channel, tally] : channels) {
        counts.channels.emplace(channel, std::move(tally).counted());
    }
    counts.total = std::move(all).counted();
    return counts;
}

ResponseReport build_response_report(const ResponseCounts& counts, std::optional<int> target_days) {
    const bool with_target = target_days.has_value();
    ResponseReport report;
    report.target_days = target_days;
    for (const auto& [month, count] : counts.months) {
        report.months.push_back(response_line(month, count, with_target));
    }
    for (const auto& [channel, count] : counts.channels) {
        report.channels.push_back(response_line(channel, count, with_target));
    }
    // The map gave them by name: stable, so equal counts stay in that order.
    std::stable_sort(
        report.channels.begin(), report.channels.end(),
        [](const ResponseLine& a, const ResponseLine& b) { return a.signals > b.signals; });
    report.total = response_line("total", counts.total, with_target);
    return report;
}

ResponseReport build_response_report(const std::vector<ResponseInput>& signals,
                                     std::optional<int> target_days, Timestamp now) {
    return build_response_report(count_responses(signals, target_days, now), target_days);
}

FieldBreakdown build_field_breakdown(const std::string& field,
                                     const std::vector<ImpactGroupInput>& values,
                                     std::int64_t distinct, std::int64_t total_signals,
                                     const ImpactSettings& impact) {
    FieldBreakdown b;
    b.field = field;
    b.distinct = distinct;
    for (const ImpactGroupInput& v : values) {
        FieldValueLine line;
        line.value = v.value;
        line.sums = v.sums;
        line.cost_per_year =
            per_year(Decimal::from_hundredths(v.sums.cost_cents), impact, "the cost");
        line.share = share(static_cast<double>(v.sums.signals), static_cast<double>(total_signals));
        b.values.push_back(std::move(line));
    }
    std::stable_sort(b.values.begin(), b.values.end(),
                     [](const FieldValueLine& a, const FieldValueLine& c) {
                         if (a.sums.signals != c.sums.signals) {
                             return a.sums.signals > c.sums.signals;
                         }
                         return a.value < c.value;
                     });
    return b;
}

CustomerReport build_customer_report(const std::vector<CustomerInput>& customers,
                                     Decimal revenue_total, const ReportSettings& settings) {
    CustomerReport report;
    report.revenue_known = revenue_total;
    std::int64_t signals_known = 0;
    for (const CustomerInput& c : customers) {
        report.signals += c.signals;
        if (c.revenue) {
            signals_known += c.signals;
        } else {
            ++report.without_revenue;
        }
    }
    report.customers = static_cast<std::int64_t>(customers.size());
    const double factor = settings.disproportion.to_double();
    for (const CustomerInput& c : customers) {
        CustomerLine line;
        line.name = c.name;
        line.segment = c.segment;
        line.signals = c.signals;
        line.contacts = c.contacts;
        line.score = c.score;
        line.revenue = c.revenue;
        line.recent_signals = c.recent_signals;
        line.recent_high_impact = c.recent_high_impact;
        std::vector<std::string> reasons;
        if (c.revenue && c.revenue->hundredths() > 0) {
            line.signals_per_million =
                rounded(static_cast<double>(c.signals) / (c.revenue->to_double() / 1e6), 0.01);
            if (revenue_total.hundredths() > 0 && signals_known > 0) {
                const double signal_share =
                    static_cast<double>(c.signals) / static_cast<double>(signals_known);
                const double revenue_share = c.revenue->to_double() / revenue_total.to_double();
                line.ratio = rounded(signal_share / revenue_share, 0.01);
                // One signal alone is no pattern.
                line.disproportionate = c.signals >= 2 && *line.ratio >= factor;
                if (line.disproportionate) {
                    reasons.push_back(fmt::format("{:.2f}x its revenue share", *line.ratio));
                }
            }
        }
        if (c.recent_signals >= settings.care_signals) {
            line.care = true;
            reasons.push_back(
                fmt::format("{} signals in {} days", c.recent_signals, settings.care_window_days));
        }
        if (c.recent_high_impact > 0) {
            line.care = true;
            reasons.push_back(fmt::format("{} high impact in {} days", c.recent_high_impact,
                                          settings.care_window_days));
        }
        line.reason = fmt::format("{}", fmt::join(reasons, "; "));
        report.flagged_disproportionate += line.disproportionate ? 1 : 0;
        report.flagged_care += line.care ? 1 : 0;
        report.lines.push_back(std::move(line));
    }
    std::stable_sort(report.lines.begin(), report.lines.end(),
                     [](const CustomerLine& a, const CustomerLine& b) {
                         const int fa = (a.care ? 2 : 0) + (a.disproportionate ? 1 : 0);
                         const int fb = (b.care ? 2 : 0) + (b.disproportionate ? 1 : 0);
                         if ((fa > 0) != (fb > 0)) {
                             return fa > 0;
                         }
                         if (a.signals != b.signals) {
                             return a.signals > b.signals;
                         }
                         return a.name < b.name;
                     });
    return report;
}

std::vector<SilentSubmitterInput>
rank_silent_submitters(std::map<std::string, SilentSubmitterInput> by_address, std::int64_t limit,
                       std::int64_t& total) {
    std::vector<SilentSubmitterInput> all;
    all.reserve(by_address.size());
    for (auto& entry : by_address) {
        all.push_back(std::move(entry.second));
    }
    std::sort(all.begin(), all.end(),
              [](const SilentSubmitterInput& a, const SilentSubmitterInput& b) {
                  if (a.waiting_since != b.waiting_since) {
                      return a.waiting_since < b.waiting_since;
                  }
                  return a.email < b.email;
              });
    total = static_cast<std::int64_t>(all.size());
    if (limit > 0 && total > limit) {
        all.resize(static_cast<std::size_t>(limit));
    }
    return all;
}

OverdueReport build_overdue_report(const std::vector<OverdueActionInput>& actions,
                                   std::int64_t actions_total,
                                   const std::vector<StaleSignalInput>& stale,
                                   std::int64_t stale_total,
                                   const std::vector<SilentSubmitterInput>& silent,
                                   std::int64_t silent_total, Timestamp now) {
    OverdueReport report;
    report.actions_total = actions_total;
    report.stale_total = stale_total;
    report.silent_total = silent_total;
    const Date today = std::chrono::floor<std::chrono::days>(now);
    for (const OverdueActionInput& a : actions) {
        report.actions.push_back(OverdueAction{a, static_cast<long>((today - a.due).count())});
    }
    for (const StaleSignalInput& s : stale) {
        report.stale.push_back(StaleSignal{s, days_between(s.updated_at, now)});
    }
    for (const SilentSubmitterInput& s : silent) {
        report.silent.push_back(SilentSubmitter{s, days_between(s.waiting_since, now)});
    }
    return report;
}

void add_waiting_and_late(OverdueReport& report, const std::vector<WaitingInput>& waiting,
                          std::int64_t waiting_total, const std::vector<LateSignalInput>& late,
                          std::int64_t late_total, const Targets& targets, Date today,
                          const LocalDay& local_day) {
    report.answer_days = targets.answer_days;
    report.waiting_total = waiting_total;
    for (const WaitingInput& w : waiting) {
        report.waiting.push_back(
            WaitingSignal{w, static_cast<long>((today - local_day(w.asked_at)).count()),
                          answer_overdue(w.asked_at, targets, today, local_day)});
    }
    std::stable_sort(report.waiting.begin(), report.waiting.end(),
                     [](const WaitingSignal& a, const WaitingSignal& b) {
                         return a.days_waiting > b.days_waiting;
                     });
    report.late_total = late_total;
    for (const LateSignalInput& l : late) {
        if (const auto found = lateness(l.facts, targets, today, local_day)) {
            report.late.push_back(LateSignal{l, *found});
        }
    }
    std::stable_sort(report.late.begin(), report.late.end(),
                     [](const LateSignal& a, const LateSignal& b) {
                         return a.late.days_late > b.late.days_late;
                     });
}

RecurrenceReport build_recurrence_report(std::vector<RecurrenceInput> pairs,
                                         const std::vector<ClosedCausesInput>& closed,
                                         std::int64_t limit) {
    // Bytewise, with the signals that name no process after those that do: the same order
    // whichever database collated the rows.
    const auto process_before = [](const std::string& a, const std::string& b) {
        return a.empty() != b.empty() ? b.empty() : a < b;
    };
    std::sort(pairs.begin(), pairs.end(), [&](const RecurrenceInput& a, const RecurrenceInput& b) {
        if (a.process != b.process) {
            return process_before(a.process, b.process);
        }
        return a.closed != b.closed ? a.closed < b.closed : a.signal < b.signal;
    });
    RecurrenceReport report;
    std::map<std::string, RecurrenceProcess> processes;
    for (const ClosedCausesInput& c : closed) {
        processes[c.process].closed += c.closed;
        report.closed += c.closed;
    }
    std::set<SignalId> recurred;
    std::set<SignalId> signals;
    std::map<std::string, std::set<SignalId>> recurred_in;
    std::map<std::string, std::set<SignalId>> signals_in;
    for (const RecurrenceInput& p : pairs) {
        recurred.insert(p.closed);
        signals.insert(p.signal);
        recurred_in[p.process].insert(p.closed);
        signals_in[p.process].insert(p.signal);
        processes[p.process];
        if (limit <= 0 || static_cast<std::int64_t>(report.recurrences.size()) < limit) {
            report.recurrences.push_back(Recurrence{p, days_between(p.closed_at, p.submitted_at)});
        }
    }
    report.recurrences_total = static_cast<std::int64_t>(pairs.size());
    report.recurred = static_cast<std::int64_t>(recurred.size());
    report.signals = static_cast<std::int64_t>(signals.size());
    for (auto& [process, line] : processes) {
        line.process = process;
        line.recurred = static_cast<std::int64_t>(recurred_in[process].size());
        line.signals = static_cast<std::int64_t>(signals_in[process].size());
        line.share = share(static_cast<double>(line.recurred), static_cast<double>(line.closed));
        report.processes.push_back(line);
    }
    std::stable_sort(report.processes.begin(), report.processes.end(),
                     [&](const RecurrenceProcess& a, const RecurrenceProcess& b) {
                         return process_before(a.process, b.process);
                     });
    return report;
}

std::optional<AnalysedFigures> parse_analysed_figures(std::string_view detail) {
    constexpr std::string_view k_contacts = " contacts × impact ";
    const std::size_t at = detail.find(k_contacts);
    if (at == std::string_view::npos || at == 0) {
        return std::nullopt;
    }
    AnalysedFigures figures;
    for (const char c : detail.substr(0, at)) {
        if (c == ',') {
            continue;
        }
        if (c < '0' || c > '9' || figures.contacts > (INT64_MAX - 9) / 10) {
            return std::nullopt;
        }
        figures.contacts = figures.contacts * 10 + (c - '0');
    }
    const std::string_view rest = detail.substr(at + k_contacts.size());
    if (rest.empty() || rest[0] < '1' || rest[0] > '5' || (rest.size() > 1 && rest[1] != ' ')) {
        return std::nullopt;
    }
    figures.satisfaction_impact = rest[0] - '0';
    return figures;
}

std::optional<double> median_days_to_close(const std::vector<std::int64_t>& seconds) {
    std::vector<double> days;
    days.reserve(seconds.size());
    for (const std::int64_t s : seconds) {
        days.push_back(seconds_as_days(std::max<std::int64_t>(s, 0)));
    }
    return median(std::move(days));
}

double median_days_of_middle(std::int64_t count, std::int64_t lower_seconds,
                             std::int64_t upper_seconds) {
    return median_of_middle(count, seconds_as_days(lower_seconds), seconds_as_days(upper_seconds));
}

TrendReport build_trend_report(std::vector<TrendMonthInput> months,
                               std::optional<double> median_days_to_close,
                               const ImpactSettings& impact) {
    std::sort(months.begin(), months.end(),
              [](const TrendMonthInput& a, const TrendMonthInput& b) { return a.month < b.month; });
    TrendReport report;
    std::int64_t saved_cents = 0;
    for (const TrendMonthInput& in : months) {
        TrendMonth m;
        m.month = in.month;
        m.signals_in = in.signals_in;
        m.verdicts = in.verdicts;
        m.closed = in.closed;
        m.saved_per_period = Decimal::from_hundredths(in.saved_per_period_cents);
        m.saved_per_year = m.saved_per_period.times(impact.periods_per_year);
        m.median_days_to_close = in.median_days_to_close;
        report.total.signals_in += m.signals_in;
        report.total.verdicts += m.verdicts;
        report.total.closed += m.closed;
        saved_cents += in.saved_per_period_cents;
        report.months.push_back(std::move(m));
    }
    report.total.saved_per_period = Decimal::from_hundredths(saved_cents);
    report.total.saved_per_year = report.total.saved_per_period.times(impact.periods_per_year);
    report.total.median_days_to_close = median_days_to_close;
    return report;
}

ReportWindows report_windows(Timestamp now, const std::optional<Timestamp>& since,
                             const ReportSettings& settings) {
    namespace chrono = std::chrono;
    const Date today = chrono::floor<chrono::days>(now);
    const chrono::year_month_day ymd{today};
    const chrono::year_month_day year_ago{ymd.year() - chrono::years(1), ymd.month(),
                                          chrono::day(1)};
    ReportWindows w;
    w.funnel_months_since =
        since ? *since : Timestamp(chrono::sys_days(year_ago).time_since_epoch());
    w.care_since = now - chrono::days(settings.care_window_days);
    w.today = today;
    w.stale_before = now - chrono::days(settings.stale_days);
    w.silent_before = now - chrono::days(settings.silent_days);
    return w;
}

} // namespace sileram::domain
