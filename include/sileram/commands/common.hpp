#pragma once

#include "sileram/commands/session.hpp"
#include "sileram/domain/decimal.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/domain/targets.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sileram::commands {

// Option values are taken as text and read here, so every bad value gets sileram's own message
// naming the option and the value (exit 2).

// A signal or action id: a whole number from 1.
std::int64_t parse_id(const std::string& text, std::string_view what);
// A count such as contacts: a whole number from 0 that fits in 63 bits.
std::int64_t parse_count(const std::string& text, std::string_view option);
// A whole number within [lowest, highest].
int parse_whole_in(const std::string& text, std::string_view option, int lowest, int highest);
// A number with at most two decimals (money, scores, percentages).
domain::Decimal parse_decimal(const std::string& text, std::string_view option);
// An ISO 8601 day, or a timestamp cut to its day.
domain::Date parse_day(const std::string& text, std::string_view option);
// Which end of a day a --since or --until value that names a whole day stands for.
enum class DayEdge { start, end };
// A --since or --until value: ISO 8601, or a day counted back from the local today ("today",
// "yesterday", "7d", "2w"; see domain::parse_days_ago). A whole day stands for its start, or
// with DayEdge::end for the start of the next day (--until is inclusive).
domain::Timestamp parse_moment(const std::string& text, std::string_view option,
                               domain::Timestamp now, DayEdge edge = DayEdge::start);

// The signal with this id, or Refused naming the id and the database.
domain::Signal load_signal(Session& session, storage::Access access, domain::SignalId id);

// Loads signal `id` in the command's one write transaction, lets `change(signal, store)` apply a
// step to it, queues the progress mails the configuration asks for (mail.notify), saves and
// commits; nothing is written when `change` throws.
template <typename Change>
domain::Signal change_signal(Session& session, domain::SignalId id, Change&& change) {
    storage::Store& store = session.store(storage::Access::write);
    storage::WriteTransaction transaction(store);
    domain::Signal signal = load_signal(session, storage::Access::write, id);
    const domain::State before = signal.state;
    change(signal, store);
    if (signal.state != before) {
        // Progress mails for the states the configuration names (mail.notify).
        domain::queue_progress(signal, session.config().mail.notify, session.stamp());
    }
    store.save(signal);
    transaction.commit();
    return signal;
}

// After a step: the signal as JSON, or `message` and what comes next as text.
void report_change(Session& session, const domain::Signal& signal, const std::string& message);

// Refuses --csv together with --json (exit 2): the output can be only one of them.
void require_one_format(const Session& session, bool csv);

// Whether and why a signal is late now, by the configured targets, in the user's local days.
std::optional<domain::Lateness> signal_lateness(const Session& session,
                                                const domain::LateFacts& facts);

// The JSON of one signal as `show --json` prints it (and export and every step with --json):
// output::signal_to_json with its `late` object as of now.
nlohmann::ordered_json signal_json(const Session& session, const domain::Signal& signal);

// The moments a query of the signals late now compares with, in the user's local days.
domain::LateCuts late_cuts(const Session& session);

// Prints JSON to stdout in the one layout every command uses.
void print_json(Session& session, const nlohmann::ordered_json& value);

} // namespace sileram::commands
