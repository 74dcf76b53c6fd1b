#include "sileram/domain/steps.hpp"

#include "sileram/domain/limits.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::domain {

namespace {

constexpr int k_max_satisfaction_impact = 5;

// Moves the signal along `event` and records it in the history.
void apply(Signal& signal, Event event, const Stamp& stamp, std::string detail = {}) {
    const Transition t = require_transition(signal.id, signal.state, signal.step, event);
    signal.history.push_back(HistoryEntry{0, stamp, std::string(to_string(event)), signal.state,
                                          t.to, std::move(detail)});
    signal.state = t.to;
    signal.step = t.step;
    signal.updated_at = stamp.at;
}

// Records something that happened to the signal without moving it.
void note(Signal& signal, std::string_view event, const Stamp& stamp, std::string detail) {
    signal.history.push_back(
        HistoryEntry{0, stamp, std::string(event), signal.state, signal.state, std::move(detail)});
    signal.updated_at = stamp.at;
}

std::string require_reason(const std::string& reason, std::string_view what) {
    require_clean_text(reason, what, Lines::multi);
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InvalidInput(fmt::format("{} is empty; say why", what));
    }
    return reason;
}

Action& require_action(Signal& signal, int number) {
    Action* action = signal.find_action(number);
    if (action == nullptr) {
        std::string known;
        for (const Action& a : signal.actions) {
            known += (known.empty() ? "" : ", ") + std::to_string(a.number);
        }
        throw Refused(fmt::format("signal {} has no action {}{}", signal.id, number,
                                  known.empty() ? "; plan one with act --plan"
                                                : "; its actions are " + known));
    }
    return *action;
}

bool has_open_children(const Signal& signal, int number) {
    return std::any_of(signal.actions.begin(), signal.actions.end(), [number](const Action& a) {
        return a.parent == number && a.status != ActionStatus::done &&
               a.status != ActionStatus::cancelled;
    });
}

bool all_live_actions_done(const Signal& signal) {
    bool any_done = false;
    for (const Action& a : signal.actions) {
        if (a.status == ActionStatus::done) {
            any_done = true;
        } else if (a.is_live()) {
            return false;
        }
    }
    return any_done;
}

// After an action changed during execution: every live action done means implemented.
void settle_execution(Signal& signal, const Stamp& stamp, const std::string& detail) {
    if (all_live_actions_done(signal)) {
        apply(signal, Event::finish, stamp, detail);
    } else if (signal.state == State::approved) {
        apply(signal, Event::progress, stamp, detail);
    } else {
        note(signal, "progress", stamp, detail);
    }
}

// Every submitter once, compared without regard to case: merged duplicates may name the same
// person twice.
std::vector<std::string> distinct_recipients(const Signal& signal) {
    std::vector<std::string> recipients;
    for (const Submitter& s : signal.submitters) {
        const bool seen =
            std::any_of(recipients.begin(), recipients.end(),
                        [&](const std::string& r) { return same_address(r, s.email); });
        if (!seen) {
            recipients.push_back(s.email);
        }
    }
    return recipients;
}

Outcome outcome_of(State state) {
    switch (state) {
    case State::rejected:
        return Outcome::rejected;
    case State::duplicate:
        return Outcome::duplicate;
    case State::dropped:
        return Outcome::dropped;
    default:
        return Outcome::closed;
    }
}

} // namespace

void require_on_scale(Decimal score, const ImpactSettings& settings, std::string_view what) {
    if (score < settings.satisfaction_min || score > settings.satisfaction_max) {
        throw InvalidInput(
            fmt::format("{} {} is off the satisfaction scale {}–{} (impact.satisfaction_scale)",
                        what, score.to_string(), settings.satisfaction_min.to_string(),
                        settings.satisfaction_max.to_string()));
    }
}

void check_new_signal(const NewSignal& input) {
    require_title(input.title);
    require_description(input.description);
    require_email(input.submitted_by, "the submitter");
    for (const auto& [key, value] : input.fields) {
        require_clean_text(key, "a field name", Lines::single);
        require_clean_text(value, fmt::format("field {}", key), Lines::single);
    }
    if (input.external_id) {
        require_clean_text(*input.external_id, "the external id", Lines::single);
    }
}

Signal new_signal(NewSignal input, const Stamp& stamp) {
    check_new_signal(input);
    return new_checked_signal(std::move(input), stamp);
}

Signal new_checked_signal(NewSignal input, const Stamp& stamp) {
    Signal signal;
    signal.title = std::move(input.title);
    signal.description = std::move(input.description);
    signal.submitted_by = input.submitted_by;
    signal.submitted_at = input.submitted_at.value_or(stamp.at);
    signal.updated_at = stamp.at;
    signal.external_id = std::move(input.external_id);
    signal.project = std::move(input.project);
    signal.fields = std::move(input.fields);
    signal.submitters.push_back(Submitter{0, input.submitted_by, signal.submitted_at, "submit"});
    signal.history.push_back(HistoryEntry{0, stamp, std::string(to_string(Event::submit)),
                                          std::nullopt, State::submitted,
                                          "by " + input.submitted_by});
    return signal;
}

bool join(Signal& signal, const std::string& email, const std::string& note_text,
          const Stamp& stamp) {
    require_email(email, "the submitter");
    require_clean_text(note_text, "the note", Lines::single);
    if (signal.state == State::closed) {
        throw Refused(fmt::format("signal {} is closed; submit a new signal instead", signal.id));
    }
    if (signal.state == State::duplicate && signal.duplicate_of) {
        throw Refused(fmt::format("signal {} is a duplicate of signal {}; join that one: --join {}",
                                  signal.id, *signal.duplicate_of, *signal.duplicate_of));
    }
    if (signal.has_submitter(email)) {
        return false;
    }
    signal.submitters.push_back(Submitter{0, email, stamp.at, "join"});
    note(signal, "join", stamp, note_text.empty() ? email : email + ": " + note_text);
    return true;
}

void accept(Signal& signal, const Stamp& stamp) {
    apply(signal, Event::accept, stamp);
    signal.triage_reason.reset();
}

bool acknowledge(Signal& signal, const std::string& email, std::optional<int> first_response_days,
                 const Stamp& stamp) {
    const bool known =
        std::any_of(signal.feedback.begin(), signal.feedback.end(), [&](const Feedback& f) {
            return f.outcome == Outcome::acknowledged && same_address(f.recipient, email);
        });
    if (known) {
        return false;
    }
    Feedback mail;
    mail.recipient = email;
    mail.outcome = Outcome::acknowledged;
    mail.queued_at = stamp.at;
    if (first_response_days) {
        mail.detail = format_date(std::chrono::floor<std::chrono::days>(stamp.at) +
                                  std::chrono::days(*first_response_days));
    }
    signal.feedback.push_back(std::move(mail));
    return true;
}

void ask_for_info(Signal& signal, const std::string& question, const Stamp& stamp) {
    require_transition(signal.id, signal.state, signal.step, Event::ask_for_info);
    const std::string text = require_reason(question, "the question");
    apply(signal, Event::ask_for_info, stamp, text);
    const auto asked =
        std::count_if(signal.history.begin(), signal.history.end(), [](const HistoryEntry& h) {
            return h.event == to_string(Event::ask_for_info);
        });
    for (const std::string& to : distinct_recipients(signal)) {
        Feedback mail;
        mail.recipient = to;
        mail.outcome = Outcome::needs_info;
        mail.question = static_cast<int>(asked);
        mail.detail = text;
        mail.queued_at = stamp.at;
        signal.feedback.push_back(std::move(mail));
    }
}

void answer(Signal& signal, const std::string& text, const std::string& answered_by,
            const Stamp& stamp) {
    require_transition(signal.id, signal.state, signal.step, Event::answer);
    const std::string answer_text = require_reason(text, "the answer");
    if (!answered_by.empty()) {
        require_email(answered_by, "--by");
    }
    apply(signal, Event::answer, stamp,
          answered_by.empty() ? answer_text : answered_by + ": " + answer_text);
}

void reject(Signal& signal, const std::string& reason, const Stamp& stamp) {
    const std::string why = require_reason(reason, "the reason for rejecting");
    apply(signal, Event::reject, stamp, why);
    signal.triage_reason = why;
}

void mark_duplicate(Signal& signal, Signal& original, const Stamp& stamp) {
    if (signal.id == original.id) {
        throw InvalidInput(fmt::format("signal {} cannot be a duplicate of itself", signal.id));
    }
    if (original.state == State::duplicate) {
        throw Refused(fmt::format(
            "signal {} is itself a duplicate of signal {}; use --duplicate-of {}", original.id,
            original.duplicate_of.value_or(0), original.duplicate_of.value_or(0)));
    }
    if (original.state == State::closed || original.state == State::rejected ||
        original.state == State::dropped) {
        throw Refused(fmt::format(
            "signal {} is {}: its submitters would never hear a result; accept signal {} instead",
            original.id, to_string(original.state), signal.id));
    }
    apply(signal, Event::mark_duplicate, stamp, fmt::format("duplicate of {}", original.id));
    signal.duplicate_of = original.id;
    signal.triage_reason = fmt::format("duplicate of signal {}", original.id);
    std::vector<std::string> joined;
    for (const Submitter& s : signal.submitters) {
        if (!original.has_submitter(s.email)) {
            original.submitters.push_back(
                Submitter{0, s.email, stamp.at, fmt::format("duplicate {}", signal.id)});
            joined.push_back(s.email);
        }
    }
    note(original, "merge", stamp,
         fmt::format("signal {} merged in{}", signal.id,
                     joined.empty() ? "" : fmt::format("; joined: {}", fmt::join(joined, ", "))));
}

void analyse(Signal& signal, const ImpactInput& input, const ImpactSettings& settings,
             const Stamp& stamp) {
    require_transition(signal.id, signal.state, signal.step, Event::analyse);
    Impact impact = signal.impact.value_or(Impact{0, 0, settings.cost_per_contact, std::nullopt});
    if (!signal.impact && (!input.contacts || !input.satisfaction_impact)) {
        throw InvalidInput(
            fmt::format("the first impact analysis of signal {} needs both --contacts N and "
                        "--satisfaction-impact 1-5",
                        signal.id));
    }
    if (input.contacts) {
        require_contacts_bound(*input.contacts, "--contacts", settings.period);
        impact.contacts = *input.contacts;
    }
    if (input.satisfaction_impact) {
        if (*input.satisfaction_impact < 1 ||
            *input.satisfaction_impact > k_max_satisfaction_impact) {
            throw InvalidInput(fmt::format(
                "--satisfaction-impact {} is out of range; give 1 (hardly) to 5 (severely)",
                *input.satisfaction_impact));
        }
        impact.satisfaction_impact = *input.satisfaction_impact;
    }
    if (input.cost_per_contact) {
        require_cost_per_contact_bound(*input.cost_per_contact, "--cost-per-contact");
        impact.cost_per_contact = *input.cost_per_contact;
    }
    if (input.satisfaction) {
        require_on_scale(*input.satisfaction, settings, "--satisfaction");
        impact.satisfaction = input.satisfaction;
    }
    // The default cost per contact comes from the configuration, which bounds it the same way.
    require_cost_per_period_bound(impact.contacts, impact.cost_per_contact, "--contacts",
                                  settings.period);
    const ImpactFigures figures = impact_figures(impact, settings);
    apply(signal, Event::analyse, stamp,
          fmt::format("{} contacts × impact {} = score {} ({})", grouped(impact.contacts),
                      impact.satisfaction_impact, grouped(figures.score),
                      to_string(figures.impact_class)));
    signal.impact = impact;
}

void prioritise(Signal& signal, Verdict verdict, const std::string& reason,
                std::optional<Date> until, const Stamp& stamp) {
    const Event event = verdict == Verdict::go     ? Event::prioritise
                        : verdict == Verdict::park ? Event::park
                                                   : Event::drop_at_priority;
    require_transition(signal.id, signal.state, signal.step, event);
    std::string why = reason;
    if (verdict != Verdict::go) {
        why = require_reason(reason, verdict == Verdict::park ? "the reason for parking"
                                                              : "the reason for dropping");
    } else {
        require_clean_text(why, "the reason", Lines::multi);
    }
    if (until && verdict != Verdict::park) {
        throw InvalidInput("--until goes with --park only");
    }
    signal.decisions.push_back(Decision{0, Gate::prioritise, verdict, why, until, stamp});
    apply(signal, event, stamp, why);
}

void record_root_cause(Signal& signal, RootCause cause, const Stamp& stamp) {
    require_clean_text(cause.cause, "the cause", Lines::multi);
    if (cause.cause.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw InvalidInput("--cause is empty; describe the real cause from the customer's view");
    }
    for (const std::string* text : {&cause.customer_view, &cause.internal_view, &cause.evidence}) {
        require_clean_text(*text, "the root cause", Lines::multi);
    }
    require_clean_text(cause.method, "--method", Lines::single);
    for (const auto* list : {&cause.whys, &cause.assumptions, &cause.alternatives}) {
        for (const std::string& item : *list) {
            require_clean_text(item, "the root cause", Lines::multi);
        }
    }
    apply(signal, Event::find_root_cause, stamp, cause.cause);
    cause.stamp = stamp;
    signal.root_cause = std::move(cause);
}

int plan_action(Signal& signal, NewAction input, const Stamp& stamp) {
    require_transition(signal.id, signal.state, signal.step, Event::plan_action);
    require_clean_text(input.title, "the action title", Lines::single);
    if (input.title.find_first_not_of(" \t") == std::string::npos) {
        throw InvalidInput("the action title is empty");
    }
    require_clean_text(input.owner, "--owner", Lines::single);
    require_action_cost_bound(input.cost, "--cost");
    if (input.parent) {
        const Action& parent = require_action(signal, *input.parent);
        if (!parent.is_live() || parent.status == ActionStatus::done) {
            throw Refused(fmt::format(
                "action {} of signal {} is {}; plan the sub-activity under an open action",
                parent.number, signal.id, to_string(parent.status)));
        }
    }
    int number = 1;
    for (const Action& a : signal.actions) {
        number = std::max(number, a.number + 1);
    }
    Action action;
    action.number = number;
    action.parent = input.parent;
    action.title = std::move(input.title);
    action.owner = std::move(input.owner);
    action.due = input.due;
    action.cost = input.cost;
    action.created_at = stamp.at;
    action.changed = true;
    const std::string detail =
        input.parent ? fmt::format("action {} under {}: {}", number, *input.parent, action.title)
                     : fmt::format("action {}: {}", number, action.title);
    const Decimal total = total_action_cost(signal) + action.cost;
    if (total > k_max_action_cost) {
        throw InvalidInput(fmt::format(
            "--cost {} brings the actions of signal {} to {}; they cost at most {} together",
            action.cost.to_string(), signal.id, total.to_string(), k_max_action_cost.to_string()));
    }
    signal.actions.push_back(std::move(action));
    apply(signal, Event::plan_action, stamp, detail);
    return number;
}

void set_expectation(Signal& signal, std::optional<Decimal> reduction_percent,
                     std::optional<Decimal> satisfaction_change, const ImpactSettings& settings,
                     const Stamp& stamp, const std::optional<std::string>& revise) {
    Event event = Event::expect_effect;
    std::string why;
    if (revise) {
        why = require_reason(*revise, "--revise REASON");
        event = Event::revise;
    } else if (!find_transition(Event::expect_effect, signal.state) &&
               find_transition(Event::revise, signal.state)) {
        throw Refused(fmt::format(
            "signal {} is {}: its business case was approved{}. Changing the expectation needs "
            "the reason, which is recorded: sileram act {} --expect-… --revise REASON",
            signal.id, to_string(signal.state),
            signal.approved_case ? " on " + format_date(std::chrono::floor<std::chrono::days>(
                                                signal.approved_case->at))
                                 : std::string(),
            signal.id));
    }
    require_transition(signal.id, signal.state, signal.step, event);
    if (!reduction_percent && !satisfaction_change) {
        throw InvalidInput("give --expect-reduction PCT and/or --expect-satisfaction DELTA");
    }
    if (reduction_percent &&
        (reduction_percent->hundredths() < 0 || *reduction_percent > Decimal::from_whole(100))) {
        throw InvalidInput(fmt::format("--expect-reduction {} is not a percentage from 0 to 100",
                                       reduction_percent->to_string()));
    }
    // A change can at most take a score from one end of the scale to the other.
    const Decimal widest = settings.satisfaction_max - settings.satisfaction_min;
    if (satisfaction_change &&
        (*satisfaction_change > widest || *satisfaction_change < Decimal() - widest)) {
        throw InvalidInput(fmt::format(
            "--expect-satisfaction {} is more than the satisfaction scale {}–{} allows; give a "
            "change from -{} to {} (impact.satisfaction_scale)",
            satisfaction_change->to_string(), settings.satisfaction_min.to_string(),
            settings.satisfaction_max.to_string(), widest.to_string(), widest.to_string()));
    }
    std::vector<std::string> parts;
    if (reduction_percent) {
        signal.expected_reduction = reduction_percent;
        parts.push_back(fmt::format("reduction {}%", reduction_percent->to_string()));
    }
    if (satisfaction_change) {
        signal.expected_satisfaction = satisfaction_change;
        parts.push_back(fmt::format("satisfaction {:+}", satisfaction_change->to_double()));
    }
    std::string detail = fmt::format("{}", fmt::join(parts, ", "));
    if (event == Event::revise) {
        detail += "; " + why;
    }
    apply(signal, event, stamp, std::move(detail));
}

void decide_go(Signal& signal, Verdict verdict, const std::string& reason,
               const ImpactSettings& settings, const Stamp& stamp) {
    const Event event = verdict == Verdict::go ? Event::approve : Event::drop_at_approval;
    require_transition(signal.id, signal.state, signal.step, event);
    std::string why = reason;
    if (verdict == Verdict::go) {
        require_clean_text(why, "the reason", Lines::multi);
        if (std::none_of(signal.actions.begin(), signal.actions.end(),
                         [](const Action& a) { return a.is_live(); })) {
            throw Refused(
                fmt::format("signal {} has no planned action to approve. Next: sileram act "
                            "{} --plan TITLE --owner X --due DATE --cost EUR",
                            signal.id, signal.id));
        }
        if (!signal.expected_reduction) {
            throw Refused(fmt::format("signal {} has no business case yet. Next: sileram act {} "
                                      "--expect-reduction PCT",
                                      signal.id, signal.id));
        }
    } else {
        why = require_reason(reason, "the reason for dropping");
    }
    signal.decisions.push_back(Decision{0, Gate::go_no_go, verdict, why, std::nullopt, stamp});
    apply(signal, event, stamp, why);
    if (verdict == Verdict::go) {
        signal.approved_case = approve_case(business_case(signal, settings), stamp.at);
    }
}

void progress_action(Signal& signal, int number, int percent, const Stamp& stamp) {
    require_transition(signal.id, signal.state, signal.step, Event::progress);
    if (percent < 0 || percent > 100) {
        throw InvalidInput(fmt::format("progress {}% is not a percentage from 0 to 100", percent));
    }
    if (percent == 100) {
        finish_action(signal, number, stamp);
        return;
    }
    Action& action = require_action(signal, number);
    if (action.status == ActionStatus::done || action.status == ActionStatus::cancelled) {
        throw Refused(fmt::format("action {} of signal {} is {} already", number, signal.id,
                                  to_string(action.status)));
    }
    action.progress = percent;
    action.status = ActionStatus::in_progress;
    action.changed = true;
    settle_execution(signal, stamp, fmt::format("action {} at {}%", number, percent));
}

void finish_action(Signal& signal, int number, const Stamp& stamp) {
    require_transition(signal.id, signal.state, signal.step, Event::progress);
    Action& action = require_action(signal, number);
    if (action.status == ActionStatus::done || action.status == ActionStatus::cancelled) {
        throw Refused(fmt::format("action {} of signal {} is {} already", number, signal.id,
                                  to_string(action.status)));
    }
    if (has_open_children(signal, number)) {
        std::vector<int> open;
        for (const Action& a : signal.actions) {
            if (a.parent == number && a.is_live() && a.status != ActionStatus::done) {
                open.push_back(a.number);
            }
        }
        throw Refused(fmt::format("action {} of signal {} has open sub-activities ({}); finish or "
                                  "cancel those first",
                                  number, signal.id, fmt::join(open, ", ")));
    }
    action.status = ActionStatus::done;
    action.progress = 100;
    action.done_at = stamp.at;
    action.changed = true;
    settle_execution(signal, stamp, fmt::format("action {} done", number));
}

void cancel_action(Signal& signal, int number, const Stamp& stamp) {
    require_transition(signal.id, signal.state, signal.step, Event::cancel_action);
    Action& action = require_action(signal, number);
    if (action.status == ActionStatus::done || action.status == ActionStatus::cancelled) {
        throw Refused(fmt::format("action {} of signal {} is {} already", number, signal.id,
                                  to_string(action.status)));
    }
    // A cancelled action takes its open sub-activities with it.
    std::vector<int> cancelled{number};
    for (std::size_t i = 0; i < cancelled.size(); ++i) {
        for (Action& a : signal.actions) {
            if ((a.number == cancelled[i] || a.parent == cancelled[i]) && a.is_live() &&
                a.status != ActionStatus::done) {
                a.status = ActionStatus::cancelled;
                a.changed = true;
                if (a.number != cancelled[i]) {
                    cancelled.push_back(a.number);
                }
            }
        }
    }
    const std::string detail = fmt::format("action {} cancelled", fmt::join(cancelled, ", "));
    if (signal.state != State::planned && all_live_actions_done(signal)) {
        apply(signal, Event::finish, stamp, detail);
    } else {
        apply(signal, Event::cancel_action, stamp, detail);
    }
}

void measure(Signal& signal, std::int64_t contacts, std::optional<Decimal> satisfaction,
             const std::string& note_text, const ImpactSettings& settings, const Stamp& stamp) {
    require_transition(signal.id, signal.state, signal.step, Event::measure);
    require_contacts_bound(contacts, "--contacts", settings.period);
    if (signal.impact) {
        require_cost_per_period_bound(contacts, signal.impact->cost_per_contact, "--contacts",
                                      settings.period);
    }
    if (satisfaction) {
        require_on_scale(*satisfaction, settings, "--satisfaction");
    }
    require_clean_text(note_text, "--note", Lines::multi);
    Measurement measurement{0, contacts, satisfaction, note_text, stamp};
    if (signal.impact) {
        // Every figure shown later must be computable now, or the signal could not be shown.
        try {
            (void)effect(*signal.impact, measurement,
                         business_case(signal, settings).expected_savings_per_year, settings);
        } catch (const InvalidInput&) {
            throw InvalidInput(
                fmt::format("--contacts {} gives savings too large to count", contacts));
        }
    }
    signal.measurements.push_back(std::move(measurement));
    const std::int64_t baseline = signal.impact ? signal.impact->contacts : 0;
    apply(signal, Event::measure, stamp,
          fmt::format("{} contacts (baseline {})", grouped(contacts), grouped(baseline)));
}

std::string next_step(const Signal& signal) {
    if (signal.state == State::planned && signal.expected_reduction) {
        return fmt::format("sileram act {} --go | --drop REASON", signal.id);
    }
    return next_command(signal.id, signal.state);
}

void close(Signal& signal, const std::optional<std::string>& summary, const Stamp& stamp) {
    const Outcome outcome = outcome_of(signal.state);
    require_transition(signal.id, signal.state, signal.step, Event::close);
    // The closed mail tells "what we did"; without a summary it has a gap there. Rejected,
    // duplicate and dropped signals carry their reason from the step that ended them.
    const bool blank = !summary || summary->find_first_not_of(" \t\r\n") == std::string::npos;
    if (outcome == Outcome::closed && blank) {
        throw InvalidInput(fmt::format(
            "signal {} is measured: close needs --summary TEXT, what was done, for the feedback "
            "mail to its submitters. Next: sileram close {} --summary TEXT",
            signal.id, signal.id));
    }
    if (summary) {
        require_clean_text(*summary, "--summary", Lines::multi);
        signal.closing_summary = summary;
    }
    const std::vector<std::string> recipients = distinct_recipients(signal);
    for (const std::string& to : recipients) {
        Feedback mail;
        mail.recipient = to;
        mail.outcome = outcome;
        mail.queued_at = stamp.at;
        signal.feedback.push_back(std::move(mail));
    }
    apply(signal, Event::close, stamp,
          fmt::format("{}; feedback queued for {} submitter{}", to_string(outcome),
                      recipients.size(), recipients.size() == 1 ? "" : "s"));
}

std::size_t queue_progress(Signal& signal, const std::vector<State>& notify, const Stamp& stamp) {
    if (std::find(notify.begin(), notify.end(), signal.state) == notify.end()) {
        return 0;
    }
    std::size_t queued = 0;
    for (const std::string& to : distinct_recipients(signal)) {
        const bool known =
            std::any_of(signal.feedback.begin(), signal.feedback.end(), [&](const Feedback& f) {
                return f.outcome == Outcome::progress && f.stage == signal.state &&
                       same_address(f.recipient, to);
            });
        if (!known) {
            Feedback mail;
            mail.recipient = to;
            mail.outcome = Outcome::progress;
            mail.stage = signal.state;
            mail.queued_at = stamp.at;
            signal.feedback.push_back(std::move(mail));
            ++queued;
        }
    }
    return queued;
}

} // namespace sileram::domain
