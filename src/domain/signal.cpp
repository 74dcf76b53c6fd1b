#include "sileram/domain/signal.hpp"

#include "sileram/domain/text.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace sileram::domain {

namespace {

template <typename Enum>
struct Named {
    Enum value;
    std::string_view name;
};

constexpr Named<Gate> k_gates[] = {{Gate::prioritise, "prioritise"}, {Gate::go_no_go, "go-no-go"}};
constexpr Named<Verdict> k_verdicts[] = {
    {Verdict::go, "go"}, {Verdict::drop, "drop"}, {Verdict::park, "park"}};
constexpr Named<ActionStatus> k_action_statuses[] = {{ActionStatus::planned, "planned"},
                                                     {ActionStatus::in_progress, "in-progress"},
                                                     {ActionStatus::done, "done"},
                                                     {ActionStatus::cancelled, "cancelled"}};
constexpr Named<Outcome> k_outcomes[] = {
    {Outcome::closed, "closed"},        {Outcome::rejected, "rejected"},
    {Outcome::dropped, "dropped"},      {Outcome::duplicate, "duplicate"},
    {Outcome::progress, "progress"},    {Outcome::acknowledged, "acknowledged"},
    {Outcome::needs_info, "needs-info"}};
constexpr Named<DeliveryStatus> k_delivery_statuses[] = {{DeliveryStatus::queued, "queued"},
                                                         {DeliveryStatus::sending, "sending"},
                                                         {DeliveryStatus::sent, "sent"},
                                                         {DeliveryStatus::failed, "failed"}};

template <typename Enum, std::size_t N>
std::string_view name_of(const Named<Enum> (&table)[N], Enum value) {
    for (const auto& entry : table) {
        if (entry.value == value) {
            return entry.name;
        }
    }
    return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const Named<Enum> (&table)[N], std::string_view name) {
    for (const auto& entry : table) {
        if (entry.name == name) {
            return entry.value;
        }
    }
    return std::nullopt;
}

} // namespace

std::string_view to_string(Gate gate) {
    return name_of(k_gates, gate);
}
std::string_view to_string(Verdict verdict) {
    return name_of(k_verdicts, verdict);
}
std::string_view to_string(ActionStatus status) {
    return name_of(k_action_statuses, status);
}
std::optional<ActionStatus> parse_action_status(std::string_view name) {
    return value_of(k_action_statuses, name);
}
std::string_view to_string(Outcome outcome) {
    return name_of(k_outcomes, outcome);
}
std::optional<Outcome> parse_outcome(std::string_view name) {
    return value_of(k_outcomes, name);
}
std::string_view to_string(DeliveryStatus status) {
    return name_of(k_delivery_statuses, status);
}
std::optional<DeliveryStatus> parse_delivery_status(std::string_view name) {
    return value_of(k_delivery_statuses, name);
}

std::string stage_text(const Feedback& feedback) {
    if (feedback.outcome == Outcome::needs_info) {
        return std::to_string(feedback.question);
    }
    return feedback.stage ? std::string(to_string(*feedback.stage)) : std::string();
}

const Action* Signal::find_action(int number) const {
    const auto it = std::find_if(actions.begin(), actions.end(),
                                 [number](const Action& a) { return a.number == number; });
    return it == actions.end() ? nullptr : &*it;
}

Action* Signal::find_action(int number) {
    return const_cast<Action*>(std::as_const(*this).find_action(number));
}

bool Signal::has_submitter(std::string_view email) const {
    return std::any_of(submitters.begin(), submitters.end(),
                       [email](const Submitter& s) { return same_address(s.email, email); });
}

std::optional<SignalId> Signal::merged_from(std::string_view email) const {
    constexpr std::string_view k_prefix = "duplicate ";
    for (const Submitter& s : submitters) {
        if (!same_address(s.email, email) || !s.via.starts_with(k_prefix)) {
            continue;
        }
        SignalId id = 0;
        const std::string_view number = std::string_view(s.via).substr(k_prefix.size());
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), id);
        if (ec == std::errc() && end == number.data() + number.size() && id > 0) {
            return id;
        }
    }
    return std::nullopt;
}

} // namespace sileram::domain
