#pragma once

#include "sileram/domain/signal.hpp"
#include "sileram/domain/time.hpp"
#include "sileram/domain/workflow.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

// The response targets of [targets] and the one rule of lateness that `list --late`, `show`
// and `report overdue` share. Days are the user's local days: the caller, who knows the time
// zone, hands over today and how to find the local day of a moment. No clock, no zone here.
namespace sileram::domain {

// How soon the people who wait hear from us, in days; a target not set is never missed.
struct Targets {
    std::optional<int> first_response_days; // submit until the first verdict or question
    std::optional<int> answer_days;         // a question until the submitter answers it
    std::map<State, int> days_in;           // how long a signal may stay in a state
};

// What decides whether a signal is late, as its aggregate gives it.
struct LateFacts {
    State state = State::submitted;
    Timestamp submitted_at;
    Timestamp entered_at;             // when it entered its current state
    bool responded = false;           // it had a first response: a verdict or a question
    std::optional<Date> parked_until; // for a parked signal: the --until of its park
};

// Which target a late signal missed.
enum class LateReason { first_response, days_in, review };

// "first response", "days in", "review": the name `--json` and `--csv` give the reason.
std::string_view to_string(LateReason reason);

// Why and since when a signal is late.
struct Lateness {
    LateReason reason = LateReason::first_response;
    State state = State::submitted; // the state it is late in
    Date due;                       // the last local day the target allowed
    long days_late = 0;             // local days since `due`, 1 or more
};

// The local calendar day that holds a moment, in the user's time zone.
using LocalDay = std::function<Date(Timestamp)>;
// When the local day `days_ago` days before today began, in the user's time zone.
using LocalDayStart = std::function<Timestamp(int days_ago)>;

// The facts of lateness from a loaded signal: the moment of its last change of state, whether
// it was triaged or asked about, and the --until of the park that holds it.
LateFacts late_facts(const Signal& signal);

// Whether a signal is late on the local day `today`, and why. Late means past the last day a
// target allows: a `submitted` signal without a first response `first_response_days` local
// days after the day it was submitted; any signal `days_in[state]` days after the day it entered
// its state; a parked signal the day after its --until. When several apply, the one due first.
// A closed signal is never late.
std::optional<Lateness> lateness(const LateFacts& facts, const Targets& targets, Date today,
                                 const LocalDay& local_day);

// The same rule as moments, for a query: a signal is late when it matches one of these.
struct LateCuts {
    std::optional<Timestamp> first_response_before; // `submitted`, never answered, submitted before
    std::vector<std::pair<State, Timestamp>> entered_before; // in the state, entered it before
    std::optional<Date> review_before;                       // parked with --until before
};

// The cuts of `lateness` for `today`: a moment before the start of local day today − N lies on
// a local day whose target of N days has passed.
LateCuts late_cuts(const Targets& targets, Date today, const LocalDayStart& day_start);

// Whether the submitter has let a question wait past `answer_days`: on the local day `today`,
// more than that many days after the local day of `asked_at`.
bool answer_overdue(Timestamp asked_at, const Targets& targets, Date today,
                    const LocalDay& local_day);

} // namespace sileram::domain
