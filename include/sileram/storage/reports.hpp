#pragma once

#include "sileram/domain/projects.hpp"
#include "sileram/domain/reports.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sileram::storage {

// What every report narrows to: a time window and field values (as `list --FIELD VALUE`).
struct ReportFilter {
    std::optional<domain::Timestamp> since; // inclusive
    std::optional<domain::Timestamp> until; // exclusive
    std::map<std::string, std::string> fields;
    std::int64_t limit = 20; // rows listed; 0 = all. Totals always cover everything.
    // `--as-of`: the report as it stood just before this moment, rebuilt from the history.
    std::optional<domain::Timestamp> as_of;
};

struct ImpactData {
    std::vector<domain::RankedSignalInput> ranked;
    std::vector<domain::ImpactGroupInput> groups; // per value of `by`, when given
    std::vector<domain::QuadrantInput> quadrants;
};

struct FunnelData {
    std::vector<domain::StateCount> states;
    std::vector<domain::StepStayInput> stays;
    std::vector<domain::MonthFlow> months;
};

struct EffectData {
    std::vector<domain::EffectInput> lines;
    domain::EffectSums sums;
};

struct FieldData {
    std::string field;
    std::vector<domain::ImpactGroupInput> values;
    std::int64_t distinct = 0;
};

struct FieldsData {
    std::vector<FieldData> fields;
    std::int64_t signals = 0;
};

struct CustomersData {
    std::vector<domain::CustomerInput> customers;
    domain::Decimal revenue_total;
};

struct OverdueData {
    std::vector<domain::OverdueActionInput> actions;
    std::int64_t actions_total = 0;
    std::vector<domain::StaleSignalInput> stale;
    std::int64_t stale_total = 0;
    std::vector<domain::SilentSubmitterInput> silent;
    std::int64_t silent_total = 0;
    std::vector<domain::WaitingInput> waiting; // in needs-info, the longest waiting first
    std::int64_t waiting_total = 0;
    std::vector<domain::LateSignalInput> late; // late by the cuts, the oldest submitted first
    std::int64_t late_total = 0;
};

struct TrendData {
    std::vector<domain::TrendMonthInput> months; // any order
    std::optional<double> median_days_to_close;  // over every closing of the months
};

struct RecurrenceData {
    std::vector<domain::RecurrenceInput> pairs;    // every pair; the report limits
    std::vector<domain::ClosedCausesInput> closed; // per process, in any order
};

struct ScopeData {
    std::vector<domain::Project> projects;         // every project, in any order
    std::vector<domain::ScopeSignalInput> signals; // every signal that names a project
    std::vector<domain::ScopeActionInput> actions; // every action that names a project
};

// The queries behind `sileram report` and the customers table. Every report method runs all its
// queries in one read transaction, so its numbers agree with each other; the aggregation is done
// by the database (sums in cents), only the rows a report lists come back one by one.
class ReportQueries {
public:
    virtual ~ReportQueries() = default;

    // Open signals (not closed, rejected, duplicate or dropped) with impact figures. `by` is a
    // field name to group by, or empty.
    virtual ImpactData impact(const ReportFilter& filter, const std::string& by,
                              const domain::ReportSettings& settings) = 0;
    // Signals per state, time per step from the step stays, and entering (submitted) and leaving
    // (closed) per month within [month_since, until); per step with a target in `targets`, the
    // ended stays no longer than it.
    virtual FunnelData funnel(const ReportFilter& filter, domain::Timestamp month_since,
                              const domain::StepTargets& targets) = 0;
    // Signals with a measurement whose latest measurement falls in the window.
    virtual EffectData effect(const ReportFilter& filter, const domain::ImpactSettings& impact) = 0;
    // Counts and impact per value of each of `fields`.
    virtual FieldsData fields(const ReportFilter& filter,
                              const std::vector<std::string>& fields) = 0;
    // Every customer named by a signal, matched to the customers table ignoring case; recent
    // counts are of signals submitted on or after `care_since`, high impact from score `high`.
    virtual CustomersData customers(const ReportFilter& filter, domain::Timestamp care_since,
                                    std::int64_t high) = 0;
    // Actions due before `today` and not done; signals not closed and unchanged since
    // `stale_before`; submitters of signals not closed who joined before `silent_before`;
    // signals in needs-info with their question; signals late by `late` with their facts.
    virtual OverdueData overdue(const ReportFilter& filter, domain::Date today,
                                domain::Timestamp stale_before, domain::Timestamp silent_before,
                                const domain::LateCuts& late) = 0;
    // The signals submitted in the window, per month and channel, with their waits for a first
    // response (the first history row of an event domain::answers_submitter names), judged
    // against `target_days` as of `now` (domain::count_responses); `limit` does not apply.
    virtual domain::ResponseCounts
    response(const ReportFilter& filter, std::optional<int> target_days, domain::Timestamp now) = 0;
    // The closed root causes (signals that domain::can_recur) per process, and the new signals
    // that submit recorded as their recurrences (domain::is_recurrence), submitted on or after
    // the closing. The time window applies to the new signals, the field
    // filters to the closed ones.
    virtual RecurrenceData recurrence(const ReportFilter& filter) = 0;
    // Per month within [month_since, until) of the signals the field filters select: submitted,
    // first quality-check verdict, reaching `closed` (with its seconds since submission), and the
    // realised savings of the latest measurements taken that month.
    virtual TrendData trend(const ReportFilter& filter, domain::Timestamp month_since) = 0;

    // Every project with the signals and actions that name it: signals in the window and under
    // the field filters, actions created in the window on signals under the field filters.
    virtual ScopeData scope(const ReportFilter& filter) = 0;

    // The projects table. Names are unique ignoring ASCII case; add_project stores a project
    // whose name is not taken (the caller checks, in its write transaction).
    virtual void add_project(const domain::Project& project) = 0;
    virtual std::vector<domain::Project> all_projects() = 0;

    // The customers table. Names are unique ignoring ASCII case and surrounding spaces.
    virtual void set_customer(const domain::Customer& customer, domain::Timestamp at) = 0;
    virtual std::vector<domain::Customer> all_customers() = 0;
};

} // namespace sileram::storage
