#include "sileram/mail/content.hpp"

#include "random.hpp"
#include "sileram/output/format.hpp"

#include <fmt/format.h>

namespace sileram::mail {

namespace {

using namespace domain;
using Json = nlohmann::json;

// What reaching each state means, in the words of a progress mail.
std::string_view stage_description(State state) {
    switch (state) {
    case State::accepted:
        return "it is a clear customer signal and we take it on";
    case State::analysed:
        return "we have worked out how many customers it affects and how much";
    case State::prioritised:
        return "we decided to work on it";
    case State::parked:
        return "we will come back to it later";
    case State::root_caused:
        return "we found the real cause";
    case State::planned:
        return "we planned the improvements";
    case State::approved:
        return "the improvements are approved and going ahead";
    case State::in_progress:
        return "the improvements are under way";
    case State::implemented:
        return "the improvements are done; next we measure their effect";
    case State::measured:
        return "we measured the effect of the improvements";
    default:
        return "it moved on";
    }
}

// The reason that goes back to the submitters: the triage reason, else that of the latest
// drop or park decision.
std::string reason_of(const Signal& s) {
    if (s.triage_reason) {
        return *s.triage_reason;
    }
    for (auto it = s.decisions.rbegin(); it != s.decisions.rend(); ++it) {
        if (it->verdict != Verdict::go) {
            return it->reason;
        }
    }
    return "";
}

std::string action_status(const Action& a) {
    switch (a.status) {
    case ActionStatus::done:
        return "done";
    case ActionStatus::in_progress:
        return fmt::format("in progress ({} %)", a.progress);
    case ActionStatus::planned:
        return "planned";
    case ActionStatus::cancelled:
        return "cancelled";
    }
    return "";
}

Json result_of(const Signal& s, const ImpactSettings& settings) {
    if (!s.impact || s.measurements.empty()) {
        return Json(false);
    }
    const Measurement& last = s.measurements.back();
    const Effect e =
        effect(*s.impact, last, business_case(s, settings).expected_savings_per_year, settings);
    Json result{{"contacts_before", output::count(s.impact->contacts)},
                {"contacts_after", output::count(last.contacts)},
                {"contacts_saved", output::count(e.contacts_saved)},
                {"saved_per_period", output::money(e.saved_per_period, settings.currency)},
                {"saved_per_year", output::money(e.saved_per_year, settings.currency)},
                {"period", settings.period},
                {"measured_on", format_date(std::chrono::floor<std::chrono::days>(last.stamp.at))},
                {"has_satisfaction", false},
                {"satisfaction_before", ""},
                {"satisfaction_after", ""},
                {"satisfaction_change", ""}};
    if (e.satisfaction_delta && s.impact->satisfaction && last.satisfaction) {
        result["has_satisfaction"] = true;
        result["satisfaction_before"] = s.impact->satisfaction->to_fixed();
        result["satisfaction_after"] = last.satisfaction->to_fixed();
        result["satisfaction_change"] = output::change(*e.satisfaction_delta);
    }
    return result;
}

} // namespace

Json template_values(const Signal& s, const Feedback& f, const ImpactSettings& settings,
                     std::string_view sender, const std::optional<OwnSignal>& own) {
    Json actions = Json::array();
    for (const Action& a : s.actions) {
        if (!a.is_live()) {
            continue;
        }
        actions.push_back(Json{{"number", a.number},
                               {"title", a.title},
                               {"owner", a.owner},
                               {"has_owner", !a.owner.empty()},
                               {"status", action_status(a)},
                               {"done", a.status == ActionStatus::done},
                               {"is_sub", a.parent.has_value()}});
    }
    const Json result = result_of(s, settings);
    const std::string reason = reason_of(s);
    Json values{
        {"signal",
         {{"id", s.id},
          {"title", s.title},
          {"description", s.description},
          {"submitted_at", format_date(std::chrono::floor<std::chrono::days>(s.submitted_at))},
          {"submitted_by", s.submitted_by},
          {"state", to_string(s.state)},
          {"step", s.step}}},
        {"recipient", f.recipient},
        {"outcome", to_string(f.outcome)},
        {"reason", reason},
        {"has_reason", !reason.empty()},
        {"summary", s.closing_summary.value_or("")},
        {"has_summary", s.closing_summary.has_value() && !s.closing_summary->empty()},
        {"duplicate_of", s.duplicate_of ? Json(*s.duplicate_of) : Json("")},
        {"actions", actions},
        {"has_actions", !actions.empty()},
        {"result", result},
        {"has_result", !result.is_boolean()},
        {"stage", false},
        {"sender", std::string(sender)},
        {"question", f.outcome == Outcome::needs_info ? f.detail : std::string()},
        {"respond_by", f.outcome == Outcome::acknowledged ? f.detail : std::string()},
        {"has_respond_by", f.outcome == Outcome::acknowledged && !f.detail.empty()},
        {"own_signal", false},
    };
    if (own) {
        values["own_signal"] =
            Json{{"id", own->id},
                 {"title", own->title},
                 {"submitted_at",
                  format_date(std::chrono::floor<std::chrono::days>(own->submitted_at))}};
    }
    if (f.stage) {
        values["stage"] = Json{{"name", to_string(*f.stage)},
                               {"step", info(*f.stage).step},
                               {"description", stage_description(*f.stage)}};
    }
    return values;
}

std::string new_message_id(SignalId signal, RowId feedback, std::string_view sender_address) {
    const auto at = sender_address.rfind('@');
    const std::string_view domain_part = at == std::string_view::npos
                                             ? std::string_view("localhost")
                                             : sender_address.substr(at + 1);
    // Signal and row ids repeat in every database; the random part does not.
    return fmt::format("sileram.{}.{}.{}@{}", signal, feedback, random_hex<8>(), domain_part);
}

Message compose(const Signal& s, const Feedback& f, const Templates& templates, const Mailbox& from,
                const ImpactSettings& settings, Timestamp now,
                const std::optional<OwnSignal>& own) {
    require_address(f.recipient, "the recipient");
    const Json values =
        template_values(s, f, settings, from.name.empty() ? from.address : from.name, own);
    RenderedMail rendered =
        render_mail(templates.text(f.outcome), values, templates.origin(f.outcome));
    Message m;
    m.from = from;
    m.to = Mailbox{"", f.recipient};
    m.subject = std::move(rendered.subject);
    m.body = std::move(rendered.body);
    m.date = now;
    m.message_id = f.message_id.empty() ? new_message_id(s.id, f.id, from.address) : f.message_id;
    return m;
}

} // namespace sileram::mail
