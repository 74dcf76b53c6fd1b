#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"

#include <optional>
#include <string>

namespace sileram::domain {

// What `submit` knows of a new signal; validated by `new_signal`.
struct NewSignal {
    std::string title;
    std::string description;
    std::string submitted_by;
    std::map<std::string, std::string> fields;
    std::optional<std::string> external_id;
    std::optional<Timestamp> submitted_at; // when the signal was raised, if before now
    std::optional<std::string> project;    // a known project's name, as stored (`--project`)
};

// Step 1: a validated signal in state `submitted`, its submitter on the list.
Signal new_signal(NewSignal input, const Stamp& stamp);

// Throws InvalidInput for the first rule of a new signal that `input` breaks: the checks of
// new_signal.
void check_new_signal(const NewSignal& input);

// Step 1 for input that has passed every check of check_new_signal already (an import checks
// each row column by column first, see intake::check_row): the signal new_signal would make.
Signal new_checked_signal(NewSignal input, const Stamp& stamp);

// Step 1, `--join`: adds `email` as a submitter of an open signal; false if already one.
bool join(Signal& signal, const std::string& email, const std::string& note, const Stamp& stamp);

// Step 1: queues an acknowledgement mail to `email`, a new submitter of `signal`, unless one is
// queued already; with a first-response target it names the day they will hear by. True if
// queued.
bool acknowledge(Signal& signal, const std::string& email, std::optional<int> first_response_days,
                 const Stamp& stamp);

// Step 2.
void accept(Signal& signal, const Stamp& stamp);
// Step 2: asks the submitters `question` (state needs-info) and queues a mail with it to each.
void ask_for_info(Signal& signal, const std::string& question, const Stamp& stamp);
// The answer to the open question, from `answered_by` (an e-mail address, or empty when not
// given): recorded in the history, and the signal is submitted again.
void answer(Signal& signal, const std::string& text, const std::string& answered_by,
            const Stamp& stamp);
void reject(Signal& signal, const std::string& reason, const Stamp& stamp);
// Marks `signal` a duplicate of `original`; every submitter of `signal` joins `original`.
void mark_duplicate(Signal& signal, Signal& original, const Stamp& stamp);

// Step 3: new or corrected figures; what is not given keeps its earlier value.
struct ImpactInput {
    std::optional<std::int64_t> contacts;
    std::optional<int> satisfaction_impact;
    std::optional<Decimal> cost_per_contact;
    std::optional<Decimal> satisfaction;
};
void analyse(Signal& signal, const ImpactInput& input, const ImpactSettings& settings,
             const Stamp& stamp);

// Step 4: go, drop or park, with the reason that puts the score in context.
void prioritise(Signal& signal, Verdict verdict, const std::string& reason,
                std::optional<Date> until, const Stamp& stamp);

// Step 5.
void record_root_cause(Signal& signal, RootCause cause, const Stamp& stamp);

// Step 6: an action (or, with a parent, a sub-activity); returns its number.
struct NewAction {
    std::string title;
    std::string owner;
    std::optional<Date> due;
    Decimal cost;
    std::optional<int> parent;
};
int plan_action(Signal& signal, NewAction action, const Stamp& stamp);

// Step 6: what the actions are expected to achieve, the input of the business case; the
// satisfaction change lies within the width of the configured scale. Once the business case is
// approved a change needs `revise`, the reason, which the history keeps (Refused without it).
void set_expectation(Signal& signal, std::optional<Decimal> reduction_percent,
                     std::optional<Decimal> satisfaction_change, const ImpactSettings& settings,
                     const Stamp& stamp, const std::optional<std::string>& revise = std::nullopt);

// Step 7: the sanity check of the business case; a go keeps the case as approved.
void decide_go(Signal& signal, Verdict verdict, const std::string& reason,
               const ImpactSettings& settings, const Stamp& stamp);

// Step 8: progress of one action; 100 % finishes it.
void progress_action(Signal& signal, int number, int percent, const Stamp& stamp);
void finish_action(Signal& signal, int number, const Stamp& stamp);
void cancel_action(Signal& signal, int number, const Stamp& stamp);

// Step 9: a new measurement of the step-3 metrics.
void measure(Signal& signal, std::int64_t contacts, std::optional<Decimal> satisfaction,
             const std::string& note, const ImpactSettings& settings, const Stamp& stamp);

// The command that moves this signal on: next_command of its state, except that a planned
// signal whose expected reduction is known goes straight on to the go/no-go.
std::string next_step(const Signal& signal);

// Step 10: closes the signal and queues one feedback mail for each distinct submitter; a
// measured signal needs a summary (InvalidInput without one).
void close(Signal& signal, const std::optional<std::string>& summary, const Stamp& stamp);

// Progress mails: when `signal` has just reached a state listed in `notify`, queues one progress
// mail for each distinct submitter that has none for that state yet; returns how many it queued.
std::size_t queue_progress(Signal& signal, const std::vector<State>& notify, const Stamp& stamp);

// Throws InvalidInput unless `score` lies on the configured satisfaction scale.
void require_on_scale(Decimal score, const ImpactSettings& settings, std::string_view what);

} // namespace sileram::domain
