#pragma once

#include "sileram/domain/decimal.hpp"
#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/targets.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// The reports of `sileram report` as pure arithmetic: storage hands over rows and sums it
// aggregated in SQL (money in cents), and these functions turn them into the figures the
// reports show (classes, quadrants, medians, shares, ROI, flags). No SQL and no clock here.
namespace sileram::domain {

// The yardsticks of the reports, from the [reports] section of the configuration.
struct ReportSettings {
    int stale_days = 14;  // a signal without any change this long is stale
    int silent_days = 30; // a submitter who has heard nothing this long gets a call
    Decimal disproportion = Decimal::from_whole(2); // signal share / revenue share from which
                                                    // a customer asks disproportionately
    int care_window_days = 90;         // the window in which care-customer signals are counted
    int care_signals = 3;              // this many signals in the window make a care customer
    std::int64_t many_contacts = 1000; // contacts per period from which a signal has "many"
    int high_satisfaction_impact = 3;  // satisfaction impact (1-5) from which it is "high"
    int rows = 20;                     // rows a report lists by default
};

// The 2x2 view of `report impact`: many/few contacts against high/low satisfaction impact.
enum class Quadrant { act_first, plan, delegate, avoid };

std::string_view to_string(Quadrant quadrant);
// many contacts + high impact: act first; few + high: plan; many + low: delegate; few + low: avoid.
Quadrant quadrant(bool many_contacts, bool high_satisfaction_impact);
Quadrant quadrant(std::int64_t contacts, int satisfaction_impact, const ReportSettings& settings);

// The median of a sorted list given by its size and its middle value(s): for an odd count
// `lower` is the middle; for an even count the mean of `lower` and `upper`.
double median_of_middle(std::int64_t count, double lower, double upper);
// The median of any values (copied and sorted); nullopt for none.
std::optional<double> median(std::vector<double> values);

// A share from 0 to 1; 0 when the whole is 0.
double share(double part, double whole);

// The `fraction` (0-1) percentile of any values (copied and sorted), interpolated linearly
// between the two nearest ranks (as PostgreSQL's percentile_cont): 0.5 is the median; nullopt
// for none.
std::optional<double> percentile(std::vector<double> values, double fraction);

// Where the `fraction` percentile of `count` sorted values lies: between the value at rank
// `lower` (from 0) and the one at `upper`, `weight` of the way. For storage that finds the two
// values in an index instead of sorting them all; percentile_between gives the same figure as
// percentile() over the whole list.
struct PercentileRanks {
    std::int64_t lower = 0;
    std::int64_t upper = 0;
    double weight = 0;
};
PercentileRanks percentile_ranks(std::int64_t count, double fraction);
// A wait in seconds as the days the reports give (not rounded).
double seconds_as_days(std::int64_t seconds);
double percentile_between(const PercentileRanks& ranks, double lower, double upper);

// Where the value at `rank` (from 0) of a sorted list of waits lies, given how many of them last
// each whole day (`per_day`, by day): among the waits of at least `from_seconds` (the first second
// of the rank's day), at `offset`. For storage that tallies waits per day and reads the ranked one
// from an index from that day on, walking one day's entries at most. nullopt when the days hold
// `rank` or fewer waits.
struct RankInDays {
    std::int64_t from_seconds = 0;
    std::int64_t offset = 0;
};
std::optional<RankInDays> locate_rank(const std::map<std::int64_t, std::int64_t>& per_day,
                                      std::int64_t rank);

// ---- impact ------------------------------------------------------------------------------

// An open signal with its impact figures, as storage finds it.
struct RankedSignalInput {
    SignalId id = 0;
    std::string title;
    State state = State::submitted;
    Impact impact;
};

// Sums over a set of signals, as SQL adds them up.
struct ImpactSums {
    std::int64_t signals = 0;
    std::int64_t contacts = 0;
    std::int64_t score = 0;
    std::int64_t cost_cents = 0; // Σ contacts × cost per contact, per period
};

struct ImpactGroupInput {
    std::string value; // empty: the field is not set
    ImpactSums sums;
};

struct QuadrantInput {
    bool many_contacts = false;
    bool high_satisfaction_impact = false;
    ImpactSums sums;
};

struct ImpactLine {
    SignalId id = 0;
    std::string title;
    State state = State::submitted;
    std::int64_t contacts = 0;
    int satisfaction_impact = 0;
    ImpactFigures figures;
    Quadrant quadrant = Quadrant::avoid;
};

struct ImpactTotals {
    std::string label;
    std::int64_t signals = 0;
    std::int64_t contacts = 0;
    std::int64_t score = 0;
    Decimal cost_per_period;
    Decimal cost_per_year;
    double share_of_cost = 0; // of the report's total cost
};

struct ImpactReport {
    std::vector<ImpactLine> ranked;      // by score, highest first
    std::vector<ImpactTotals> groups;    // per value of --by, most costly first
    std::vector<ImpactTotals> quadrants; // act first, plan, delegate, avoid
    ImpactTotals total;
};

ImpactReport build_impact_report(const std::vector<RankedSignalInput>& ranked,
                                 const std::vector<ImpactGroupInput>& groups,
                                 const std::vector<QuadrantInput>& quadrants,
                                 const ImpactSettings& impact, const ReportSettings& settings);

// ---- funnel ------------------------------------------------------------------------------

struct StateCount {
    State state = State::submitted;
    int step = 1;
    std::int64_t signals = 0;
};

// Time spent in one step, from the step stays storage keeps.
struct StepStayInput {
    int step = 1;
    std::int64_t completed = 0;      // stays that ended
    double middle_lower_seconds = 0; // the middle value(s) of their sorted durations
    double middle_upper_seconds = 0;
    std::int64_t longest_seconds = 0;
    std::int64_t waiting = 0;                // signals in the step now
    std::optional<Timestamp> oldest_entered; // the earliest entry of those still in it
    std::optional<SignalId> oldest_signal;
    std::int64_t within_target = 0; // stays that ended no later than the step's target
};

// The days a signal may spend in each funnel step (1-10) that has a target.
using StepTargets = std::map<int, int>;

struct MonthFlow {
    std::string month; // YYYY-MM
    std::int64_t entered = 0;
    std::int64_t left = 0; // reached step 10 (closed)
};

struct FunnelStep {
    int step = 1;
    std::string name;
    std::int64_t signals = 0;       // signals whose state is at this step now
    double share = 0;               // of all signals in the report
    std::vector<StateCount> states; // the states at this step that hold signals, in order
    std::optional<double> median_days;
    std::optional<double> longest_days;
    std::optional<double> oldest_days; // how long the longest-waiting signal has been in it
    std::optional<SignalId> oldest_signal;
    std::optional<int> target_days;      // none: the step has no target
    std::optional<double> within_target; // of the stays that ended, the share within the target
};

struct FunnelReport {
    std::vector<FunnelStep> steps;
    std::vector<StateCount> states;
    std::vector<MonthFlow> months;
    std::int64_t total = 0;
};

// The name of step 1-10 as the method calls it ("submit", "quality check", …).
std::string_view step_name(int step);

// Each step with a target in `targets` also gives the share of its ended stays within it.
FunnelReport build_funnel_report(const std::vector<StateCount>& states,
                                 const std::vector<StepStayInput>& stays,
                                 std::vector<MonthFlow> months, Timestamp now,
                                 const StepTargets& targets = {});

// ---- effect ------------------------------------------------------------------------------

struct EffectInput {
    SignalId id = 0;
    std::string title;
    State state = State::measured;
    Impact baseline;
    Measurement last; // the latest measurement
    std::optional<Decimal> expected_reduction;
    Decimal action_cost;
    std::optional<Decimal> approved_per_year; // the savings per year of the approved case
};

// Sums in cents and hundredths over every measured signal of the report.
struct EffectSums {
    std::int64_t signals = 0;
    std::int64_t contacts_saved = 0;
    std::int64_t saved_per_period_cents = 0;
    // Over signals with an expectation: Σ (cents / k_split_cents) and Σ (cents mod k_split_cents),
    // as one sum would not fit 64 bits (domain/limits.hpp).
    std::int64_t expected_per_year_split = 0;
    std::int64_t expected_per_year_rest_cents = 0;
    std::int64_t saved_per_period_expected_cents = 0; // the same signals' realised savings
    std::int64_t cost_cents = 0;
    std::int64_t satisfaction_delta_hundredths = 0; // over signals with both scores
    std::int64_t satisfaction_measured = 0;
    // Over signals with an approved case: its savings per year in two parts as above, and the
    // same signals' realised savings per period.
    std::int64_t approved_signals = 0;
    std::int64_t approved_per_year_split = 0;
    std::int64_t approved_per_year_rest_cents = 0;
    std::int64_t saved_per_period_approved_cents = 0;
};

struct EffectLine {
    SignalId id = 0;
    std::string title;
    State state = State::measured;
    Timestamp measured_at;
    std::int64_t baseline_contacts = 0;
    std::int64_t measured_contacts = 0;
    Effect effect;
    std::optional<Decimal> expected_per_year;
    Decimal cost;
    std::optional<Decimal> approved_per_year;        // the approved case's savings per year
    std::optional<Decimal> versus_approved_per_year; // saved per year − approved
};

struct EffectTotals {
    std::int64_t signals = 0;
    std::int64_t contacts_saved = 0;
    Decimal saved_per_period;
    Decimal saved_per_year;
    Decimal expected_per_year;
    std::optional<double> realised_share; // realised / expected, over signals with an expectation
    Decimal cost;
    std::optional<double> roi; // (saved per year − cost) / cost
    std::optional<Decimal> mean_satisfaction_delta;
    std::int64_t approved_signals = 0; // signals with an approved case
    Decimal approved_per_year;         // Σ their approved savings per year
    Decimal saved_per_year_approved;   // Σ their realised savings per year
    Decimal versus_approved_per_year;  // realised − approved, over the same signals
};

struct EffectReport {
    std::vector<EffectLine> lines; // most saved first
    EffectTotals total;
};

// Expected savings per year of the business case, exactly as `show` computes it.
std::optional<Decimal> expected_savings_per_year(const Impact& baseline,
                                                 const std::optional<Decimal>& reduction,
                                                 const ImpactSettings& impact);

EffectReport build_effect_report(const std::vector<EffectInput>& lines, const EffectSums& sums,
                                 const ImpactSettings& impact);

// ---- response ----------------------------------------------------------------------------

// One signal's wait for its first response (domain::answers_submitter), as storage finds it.
struct ResponseInput {
    std::string month;   // YYYY-MM of submission (UTC, as the funnel's months)
    std::string channel; // empty: not set
    Timestamp submitted_at;
    std::optional<Timestamp> responded_at; // the first verdict or question; none yet: waiting
};

// The signals of one month or channel counted for `report response`: by count_responses from
// each signal's wait, or by storage from what it keeps counted.
struct ResponseCount {
    std::int64_t signals = 0;
    std::int64_t waiting = 0; // no response yet
    std::int64_t judged = 0;  // responded, or waiting past the target (0 without a target)
    std::int64_t within = 0;  // responded within the target
    std::optional<double> median_days;
    std::optional<double> p90_days;

    bool operator==(const ResponseCount&) const = default;
};

struct ResponseCounts {
    std::map<std::string, ResponseCount> months;   // by YYYY-MM
    std::map<std::string, ResponseCount> channels; // by channel; empty: not set
    ResponseCount total;

    bool operator==(const ResponseCounts&) const = default;
};

// Days from submission to the first response of each signal (a response stamped before the
// submission, as an import may date it, counts as 0), counted per month and per channel and
// judged against `target_days` as of `now`: a waiting signal is judged once it waited longer.
ResponseCounts count_responses(const std::vector<ResponseInput>& signals,
                               std::optional<int> target_days, Timestamp now);

// The percentiles `report response` gives of the days waited.
inline constexpr double k_response_median = 0.5;
inline constexpr double k_response_p90 = 0.9;

// The time to first response of one month or channel.
struct ResponseLine {
    std::string label; // the month or channel; empty: the channel is not set
    std::int64_t signals = 0;
    std::int64_t responded = 0;
    std::int64_t waiting = 0; // no response yet
    std::optional<double> median_days;
    std::optional<double> p90_days;
    // Of the responded signals and those still waiting past the target: the share answered
    // within it. nullopt without a target or without such signals.
    std::optional<double> within_target;
};

struct ResponseReport {
    std::vector<ResponseLine> months;   // oldest first
    std::vector<ResponseLine> channels; // most signals first, then by channel
    ResponseLine total;
    std::optional<int> target_days;
};

// The lines of the report from the counts: months oldest first, channels most signals first.
ResponseReport build_response_report(const ResponseCounts& counts, std::optional<int> target_days);
// The same from each signal's wait (count_responses).
ResponseReport build_response_report(const std::vector<ResponseInput>& signals,
                                     std::optional<int> target_days, Timestamp now);

// ---- fields ------------------------------------------------------------------------------

struct FieldValueLine {
    std::string value;
    ImpactSums sums;
    Decimal cost_per_year;
    double share = 0; // of the signals in the report
};

struct FieldBreakdown {
    std::string field;
    std::vector<FieldValueLine> values; // most frequent first
    std::int64_t distinct = 0;          // values in all, also those beyond the listed rows
};

FieldBreakdown build_field_breakdown(const std::string& field,
                                     const std::vector<ImpactGroupInput>& values,
                                     std::int64_t distinct, std::int64_t total_signals,
                                     const ImpactSettings& impact);

// ---- customers ---------------------------------------------------------------------------

// A customer of the customers table: revenue is the customer's size.
struct Customer {
    std::string name;
    Decimal revenue;
    std::string segment;
};

struct CustomerInput {
    std::string name;
    std::int64_t signals = 0;
    std::int64_t contacts = 0;
    std::int64_t score = 0;
    std::int64_t recent_signals = 0;     // submitted within the care window
    std::int64_t recent_high_impact = 0; // of those, high impact
    std::optional<Decimal> revenue;      // nullopt: not in the customers table
    std::string segment;
};

struct CustomerLine {
    std::string name;
    std::string segment;
    std::int64_t signals = 0;
    std::int64_t contacts = 0;
    std::int64_t score = 0;
    std::optional<Decimal> revenue;
    std::optional<double> signals_per_million; // signals per million of revenue
    std::optional<double> ratio;               // share of signals / share of revenue
    std::int64_t recent_signals = 0;
    std::int64_t recent_high_impact = 0;
    bool disproportionate = false;
    bool care = false;
    std::string reason; // why it is flagged, for people
};

struct CustomerReport {
    std::vector<CustomerLine> lines; // flagged first, then by signals
    std::int64_t customers = 0;
    std::int64_t signals = 0;
    std::int64_t flagged_disproportionate = 0;
    std::int64_t flagged_care = 0;
    Decimal revenue_known; // Σ revenue in the customers table
    std::int64_t without_revenue = 0;
};

// `revenue_total` is the revenue of every customer in the customers table, with or without
// signals; each customer's share of it is set against its share of the signals of customers
// with a known revenue.
CustomerReport build_customer_report(const std::vector<CustomerInput>& customers,
                                     Decimal revenue_total, const ReportSettings& settings);

// ---- trend -------------------------------------------------------------------------------

// One month (YYYY-MM, UTC as the funnel's months) of the flow through the process, as storage
// counts it.
struct TrendMonthInput {
    std::string month;
    std::int64_t signals_in = 0;                // submitted in the month
    std::int64_t verdicts = 0;                  // first quality-check verdict (accept, reject,
                                                // duplicate) in the month
    std::int64_t closed = 0;                    // reached `closed` in the month
    std::int64_t saved_per_period_cents = 0;    // realised savings of the latest measurements
                                                // taken in the month, as `report effect` sums them
    std::optional<double> median_days_to_close; // of the closings in the month (none: none)
};

// The median days from submit to close of closings this many seconds apart (a close stamped
// before the submission, as an import may date it, counts as 0); nullopt for none.
std::optional<double> median_days_to_close(const std::vector<std::int64_t>& seconds);
// The same from the two middle ones of `count` such waits in order (median_of_middle), each
// already 0 or more.
double median_days_of_middle(std::int64_t count, std::int64_t lower_seconds,
                             std::int64_t upper_seconds);

struct TrendMonth {
    std::string month; // empty for the total
    std::int64_t signals_in = 0;
    std::int64_t verdicts = 0;
    std::int64_t closed = 0;
    Decimal saved_per_period;
    Decimal saved_per_year;
    std::optional<double> median_days_to_close; // none: nothing closed
};

struct TrendReport {
    std::vector<TrendMonth> months; // oldest first
    TrendMonth total;               // the sums, and the median over every closing
};

// The months in order (any order in) and their total; `median_days_to_close` is over every
// closing of the months.
TrendReport build_trend_report(std::vector<TrendMonthInput> months,
                               std::optional<double> median_days_to_close,
                               const ImpactSettings& impact);

// ---- as of a past day ----------------------------------------------------------------------

// The baseline contacts and satisfaction impact an `analyse` history row records ("12,000
// contacts × impact 4 = score …"), so that `--as-of` can rebuild figures analysed again later;
// nullopt for other text.
struct AnalysedFigures {
    std::int64_t contacts = 0;
    int satisfaction_impact = 0;
};
std::optional<AnalysedFigures> parse_analysed_figures(std::string_view detail);

// ---- overdue -----------------------------------------------------------------------------

struct OverdueActionInput {
    SignalId signal = 0;
    std::string signal_title;
    int number = 0;
    std::string title;
    std::string owner;
    Date due;
    ActionStatus status = ActionStatus::planned;
    int progress = 0;
};

struct StaleSignalInput {
    SignalId id = 0;
    std::string title;
    State state = State::submitted;
    Timestamp updated_at;
};

struct SilentSubmitterInput {
    std::string email;
    std::int64_t signals = 0;
    Timestamp waiting_since;
    SignalId oldest_signal = 0;
};

struct OverdueAction {
    OverdueActionInput action;
    long days_overdue = 0;
};
struct StaleSignal {
    StaleSignalInput signal;
    long days_unchanged = 0;
};
struct SilentSubmitter {
    SilentSubmitterInput submitter;
    long days_waiting = 0;
};

// A signal in `needs-info`: the question and to whom it went, as storage finds it.
struct WaitingInput {
    SignalId id = 0;
    std::string title;
    Timestamp asked_at; // when it entered needs-info
    std::string asked;  // the submitters the question went to, ", " between them
    std::string question;
};

// A signal past a target of [targets], with the facts of domain::lateness.
struct LateSignalInput {
    SignalId id = 0;
    std::string title;
    LateFacts facts;
};

struct WaitingSignal {
    WaitingInput signal;
    long days_waiting = 0;         // local days since the question
    bool past_answer_days = false; // targets.answer_days passed without an answer
};
struct LateSignal {
    LateSignalInput signal;
    Lateness late;
};

struct OverdueReport {
    std::vector<OverdueAction> actions;
    std::vector<StaleSignal> stale;
    std::vector<SilentSubmitter> silent;
    std::vector<WaitingSignal> waiting; // the longest waiting first
    std::vector<LateSignal> late;       // the most days late first
    std::int64_t actions_total = 0;
    std::int64_t stale_total = 0;
    std::int64_t silent_total = 0;
    std::int64_t waiting_total = 0;
    std::int64_t late_total = 0;
    std::optional<int> answer_days; // the target the waiting section measures against
};

// The silent submitters of `report overdue`, one per address (the key: the address as the
// database folds it), longest waiting first, then by address; at most `limit` (0: all), and
// `total` set to how many there were.
std::vector<SilentSubmitterInput>
rank_silent_submitters(std::map<std::string, SilentSubmitterInput> by_address, std::int64_t limit,
                       std::int64_t& total);

OverdueReport build_overdue_report(const std::vector<OverdueActionInput>& actions,
                                   std::int64_t actions_total,
                                   const std::vector<StaleSignalInput>& stale,
                                   std::int64_t stale_total,
                                   const std::vector<SilentSubmitterInput>& silent,
                                   std::int64_t silent_total, Timestamp now);

// Adds the sections `waiting` and `late` to an overdue report: each signal waiting for an
// answer with its local days waiting and whether targets.answer_days has passed, and each late
// signal with the target it missed by domain::lateness (a row the rule finds on time is left
// out, though counted in `late_total` as the query counted it).
void add_waiting_and_late(OverdueReport& report, const std::vector<WaitingInput>& waiting,
                          std::int64_t waiting_total, const std::vector<LateSignalInput>& late,
                          std::int64_t late_total, const Targets& targets, Date today,
                          const LocalDay& local_day);

// ---- recurrence ---------------------------------------------------------------------------

// A new signal recorded as a recurrence of a closed root cause (a closed signal that can recur,
// domain::can_recur), submitted on or after its closing, as storage finds it.
struct RecurrenceInput {
    SignalId closed = 0; // the closed signal
    std::string process; // its process; empty when not set
    std::string cause;   // its root cause
    Timestamp closed_at; // the moment it was closed
    SignalId signal = 0; // the new signal
    std::string title;
    State state = State::submitted;
    Timestamp submitted_at;
    double similarity = 0; // 0-1, as recorded by submit
};

// The closed root causes of one process (signals that can recur), as storage counts them.
struct ClosedCausesInput {
    std::string process; // empty when not set
    std::int64_t closed = 0;
};

struct Recurrence {
    RecurrenceInput input;
    long days_since_closing = 0; // whole days from the closing to the new signal
};

struct RecurrenceProcess {
    std::string process;
    std::int64_t closed = 0;   // closed root causes
    std::int64_t recurred = 0; // of them, with a recurrence
    std::int64_t signals = 0;  // new signals that recur one of them
    double share = 0;          // recurred / closed, 0-1
};

struct RecurrenceReport {
    std::vector<Recurrence> recurrences; // at most the limit
    std::int64_t recurrences_total = 0;
    std::vector<RecurrenceProcess> processes;
    std::int64_t closed = 0;   // closed root causes
    std::int64_t recurred = 0; // of them, with a recurrence
    std::int64_t signals = 0;  // new signals that recur one of them (once each)
};

// The recurrence report: each pair in order of process (bytewise, no process last), closed
// signal and new signal, at most `limit` (0: all); per process the closed root causes, how many
// came back and with how many new signals, every process of `closed` or `pairs` listed.
RecurrenceReport build_recurrence_report(std::vector<RecurrenceInput> pairs,
                                         const std::vector<ClosedCausesInput>& closed,
                                         std::int64_t limit);

// The moments a report's queries count from, as of `now`.
struct ReportWindows {
    Timestamp funnel_months_since; // `since`, else the first of the month a year before now
    Timestamp care_since;          // now less ReportSettings::care_window_days
    Date today;                    // the UTC day of now: an action due before it is overdue
    Timestamp stale_before;        // now less ReportSettings::stale_days
    Timestamp silent_before;       // now less ReportSettings::silent_days
};

// The windows of every report as of `now`, the funnel's months from `since` when given.
ReportWindows report_windows(Timestamp now, const std::optional<Timestamp>& since,
                             const ReportSettings& settings);

} // namespace sileram::domain
