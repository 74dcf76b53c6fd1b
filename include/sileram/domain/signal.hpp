#pragma once

#include "sileram/domain/decimal.hpp"
#include "sileram/domain/time.hpp"
#include "sileram/domain/workflow.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::domain {

// Ids of stored rows; 0 marks an entry that the domain added and storage has not saved yet.
using RowId = std::int64_t;
using SignalId = std::int64_t;

// Who did something, and when: every change carries one.
struct Stamp {
    std::string by;
    Timestamp at;
};

struct Submitter {
    RowId id = 0;
    std::string email;
    Timestamp joined_at;
    std::string via; // "submit", "join", or "duplicate N" when signal N was merged in
};

// The two axes of step 3, with the money a contact costs and the satisfaction baseline.
struct Impact {
    std::int64_t contacts = 0;           // customer contacts per period
    int satisfaction_impact = 0;         // 1–5
    Decimal cost_per_contact;            // in the configured currency
    std::optional<Decimal> satisfaction; // score on the configured scale, the baseline for step 9
};

enum class Gate { prioritise, go_no_go };
enum class Verdict { go, drop, park };

std::string_view to_string(Gate gate);
std::string_view to_string(Verdict verdict);

struct Decision {
    RowId id = 0;
    Gate gate = Gate::prioritise;
    Verdict verdict = Verdict::go;
    std::string reason;
    std::optional<Date> until; // parked until
    Stamp stamp;
};

struct RootCause {
    std::string cause;
    std::string customer_view;
    std::string internal_view;
    std::string method;
    std::string evidence;
    std::vector<std::string> whys;
    std::vector<std::string> assumptions;
    std::vector<std::string> alternatives;
    Stamp stamp;
};

enum class ActionStatus { planned, in_progress, done, cancelled };

std::string_view to_string(ActionStatus status);
std::optional<ActionStatus> parse_action_status(std::string_view name);

// An improvement action or, with a parent, a sub-activity. Numbered 1, 2, … per signal.
struct Action {
    RowId id = 0;
    int number = 0;
    std::optional<int> parent;
    std::string title;
    std::string owner;
    std::optional<Date> due;
    Decimal cost;
    ActionStatus status = ActionStatus::planned;
    int progress = 0; // percent
    Timestamp created_at;
    std::optional<Timestamp> done_at;
    std::optional<std::string> project; // the customer's project it belongs to (`--project`)
    bool changed = false; // set by the domain when a stored action must be written back

    bool is_live() const { return status != ActionStatus::cancelled; }
};

struct Measurement {
    RowId id = 0;
    std::int64_t contacts = 0;
    std::optional<Decimal> satisfaction;
    std::string note;
    Stamp stamp;
};

// `progress` is a mail sent while the signal is still open, when it reaches a configured state;
// `acknowledged` tells a new submitter the signal arrived, `needs_info` asks them a question.
enum class Outcome { closed, rejected, dropped, duplicate, progress, acknowledged, needs_info };
// `sending`: claimed by one `close --send` run, which sends it and then records its fate.
enum class DeliveryStatus { queued, sending, sent, failed };

std::string_view to_string(Outcome outcome);
std::string_view to_string(DeliveryStatus status);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view name);
std::optional<Outcome> parse_outcome(std::string_view name);

// One feedback mail to one submitter about one signal.
struct Feedback {
    RowId id = 0;
    std::string recipient;
    Outcome outcome = Outcome::closed;
    std::optional<State> stage; // the state reached, for a progress mail
    int question = 0;           // which question of the signal (1, 2, …), for a needs-info mail
    // What this one mail says beyond the signal: the question of a needs-info mail, the day an
    // acknowledged submitter will hear by (empty without a first-response target).
    std::string detail;
    DeliveryStatus status = DeliveryStatus::queued;
    Timestamp queued_at;
    std::optional<Timestamp> sent_at;
    std::string message_id;
    int attempts = 0;
    std::string last_error;
};

// What tells two mails of one outcome to one recipient apart, as text: the state of a progress
// mail, the number of the question of a needs-info mail, else empty.
std::string stage_text(const Feedback& feedback);

struct HistoryEntry {
    RowId id = 0;
    Stamp stamp;
    std::string event;
    std::optional<State> from;
    State to = State::submitted;
    std::string detail;
};

// The business case as `act --go` approved it, kept while the current one may change.
struct ApprovedCase {
    std::optional<Decimal> expected_reduction;
    std::optional<Decimal> expected_satisfaction;
    std::optional<Decimal> expected_savings_per_year;
    Decimal cost;
    Timestamp at;
};

// A closed signal that a new one resembles: if its root cause comes back, it was not the root
// cause. Found by the duplicate guard at submit.
struct PossibleRecurrence {
    SignalId closed_signal = 0;
    std::string title; // of the closed signal, filled when loaded
    double similarity = 0;
};

// The standard characteristics of a signal; any other field is free-form.
inline constexpr std::string_view k_standard_fields[] = {"channel", "product", "process",
                                                         "customer"};

inline bool is_standard_field(std::string_view name) {
    return std::find(std::begin(k_standard_fields), std::end(k_standard_fields), name) !=
           std::end(k_standard_fields);
}

// A customer signal with everything the ten steps recorded about it.
struct Signal {
    SignalId id = 0;
    std::string title;
    std::string description;
    State state = State::submitted;
    int step = 1;
    std::string submitted_by;
    Timestamp submitted_at;
    Timestamp updated_at;
    std::optional<std::string> external_id;
    std::map<std::string, std::string> fields;
    std::optional<std::string> project; // the customer's project it was asked in (`--project`)

    std::optional<std::string> triage_reason; // why it was rejected
    std::optional<SignalId> duplicate_of;
    std::optional<Impact> impact;
    std::optional<Decimal> expected_reduction;    // percent of contacts, step 6
    std::optional<Decimal> expected_satisfaction; // expected change of the score, step 6
    std::optional<RootCause> root_cause;
    std::optional<std::string> closing_summary;
    std::optional<ApprovedCase> approved_case; // from `act --go` on

    std::vector<Submitter> submitters;
    std::vector<Decision> decisions;
    std::vector<Action> actions;
    std::vector<Measurement> measurements;
    std::vector<Feedback> feedback;
    std::vector<HistoryEntry> history;
    std::vector<PossibleRecurrence> recurrence_of; // written with the new signal only

    const Action* find_action(int number) const;
    Action* find_action(int number);
    bool has_submitter(std::string_view email) const;
    // The signal `email` raised before it was merged into this one as a duplicate, if any.
    std::optional<SignalId> merged_from(std::string_view email) const;
};

} // namespace sileram::domain
