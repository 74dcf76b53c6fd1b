#include "sileram/output/signal_json.hpp"

#include "sileram/domain/steps.hpp"
#include "sileram/domain/workflow.hpp"
#include "sileram/output/format.hpp"

namespace sileram::output {

namespace {

using namespace domain;
using Json = nlohmann::ordered_json;

Json optional_text(const std::optional<std::string>& text) {
    return text ? Json(*text) : Json(nullptr);
}

Json optional_double(const std::optional<double>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json impact_json(const Signal& s, const ImpactSettings& settings) {
    if (!s.impact) {
        return nullptr;
    }
    const Impact& impact = *s.impact;
    const ImpactFigures figures = impact_figures(impact, settings);
    return Json{
        {"contacts", impact.contacts},
        {"satisfaction_impact", impact.satisfaction_impact},
        {"cost_per_contact", number(impact.cost_per_contact)},
        {"satisfaction", number(impact.satisfaction)},
        {"score", figures.score},
        {"class", to_string(figures.impact_class)},
        {"cost_per_period", number(figures.cost_per_period)},
        {"cost_per_year", number(figures.cost_per_year)},
        {"currency", settings.currency},
        {"period", settings.period},
    };
}

Json root_cause_json(const Signal& s) {
    if (!s.root_cause) {
        return nullptr;
    }
    const RootCause& rc = *s.root_cause;
    return Json{
        {"cause", rc.cause},
        {"customer_view", rc.customer_view},
        {"internal_view", rc.internal_view},
        {"method", rc.method},
        {"whys", rc.whys},
        {"evidence", rc.evidence},
        {"assumptions", rc.assumptions},
        {"alternatives", rc.alternatives},
        {"by", rc.stamp.by},
        {"at", format_timestamp(rc.stamp.at)},
    };
}

Json case_json(const BusinessCase& bc) {
    return Json{
        {"expected_reduction", number(bc.expected_reduction)},
        {"expected_satisfaction", number(bc.expected_satisfaction)},
        {"expected_savings_per_year", number(bc.expected_savings_per_year)},
        {"cost", number(bc.cost)},
        {"roi", optional_double(bc.roi)},
        {"payback_months", optional_double(bc.payback_months)},
    };
}

// The current case at the top level, as before approval; `approved` as `act --go` kept it and
// `difference`, current minus approved, once it is approved.
Json business_case_json(const Signal& s, const ImpactSettings& settings) {
    if (s.actions.empty() && !s.expected_reduction && !s.expected_satisfaction) {
        return nullptr;
    }
    const BusinessCase current = business_case(s, settings);
    Json json = case_json(current);
    json["current"] = case_json(current);
    json["approved"] = nullptr;
    json["difference"] = nullptr;
    if (s.approved_case) {
        const BusinessCase approved = approved_business_case(*s.approved_case);
        json["approved"] = case_json(approved);
        json["approved"]["at"] = format_timestamp(s.approved_case->at);
        json["difference"] = case_json(case_difference(approved, current));
    }
    return json;
}

Json actions_json(const Signal& s, Timestamp now) {
    Json list = Json::array();
    const Date today = std::chrono::floor<std::chrono::days>(now);
    for (const Action& a : s.actions) {
        const bool open =
            a.status == ActionStatus::planned || a.status == ActionStatus::in_progress;
        list.push_back(Json{
            {"id", a.number},
            {"parent", a.parent ? Json(*a.parent) : Json(nullptr)},
            {"title", a.title},
            {"owner", a.owner},
            {"due", a.due ? Json(format_date(*a.due)) : Json(nullptr)},
            {"cost", number(a.cost)},
            {"status", to_string(a.status)},
            {"progress", a.progress},
            {"overdue", open && a.due && *a.due < today},
            {"done_at", a.done_at ? Json(format_timestamp(*a.done_at)) : Json(nullptr)},
            {"project", optional_text(a.project)},
        });
    }
    return list;
}

Json measurements_json(const Signal& s, const ImpactSettings& settings) {
    Json list = Json::array();
    if (!s.impact) {
        return list;
    }
    const auto expected = business_case(s, settings).expected_savings_per_year;
    for (const Measurement& m : s.measurements) {
        const Effect e = effect(*s.impact, m, expected, settings);
        list.push_back(Json{
            {"at", format_timestamp(m.stamp.at)},
            {"by", m.stamp.by},
            {"contacts", m.contacts},
            {"satisfaction", number(m.satisfaction)},
            {"note", m.note},
            {"contacts_saved", e.contacts_saved},
            {"saved_per_period", number(e.saved_per_period)},
            {"saved_per_year", number(e.saved_per_year)},
            {"satisfaction_delta", number(e.satisfaction_delta)},
            {"realised_share", optional_double(e.realised_share)},
        });
    }
    return list;
}

// The closed signals this one may be a recurrence of.
Json recurrences_json(const Signal& s) {
    Json list = Json::array();
    for (const PossibleRecurrence& r : s.recurrence_of) {
        list.push_back(Json{{"id", r.closed_signal}, {"title", r.title}, {"score", r.similarity}});
    }
    return list;
}

} // namespace

Json number(const Decimal& value) {
    if (value.hundredths() % 100 == 0) {
        return value.hundredths() / 100;
    }
    // The shortest double that reads back as these hundredths: 0.3, not 0.29999999999999999.
    return value.to_double();
}

Json number(const std::optional<Decimal>& value) {
    return value ? number(*value) : Json(nullptr);
}

std::string triage_verdict(const Signal& s) {
    for (const HistoryEntry& h : s.history) {
        if (h.event == to_string(Event::accept)) {
            return "accepted";
        }
        if (h.event == to_string(Event::reject)) {
            return "rejected";
        }
        if (h.event == to_string(Event::mark_duplicate)) {
            return "duplicate";
        }
    }
    return {};
}

Json signal_to_json(const Signal& s, const ImpactSettings& settings, Timestamp now) {
    Json submitters = Json::array();
    for (const Submitter& sub : s.submitters) {
        submitters.push_back(Json{{"email", sub.email},
                                  {"joined_at", format_timestamp(sub.joined_at)},
                                  {"via", sub.via}});
    }
    const std::string verdict = triage_verdict(s);
    Json triage = verdict.empty()
                      ? Json(nullptr)
                      : Json{{"verdict", verdict}, {"reason", optional_text(s.triage_reason)}};

    Json decisions = Json::array();
    for (const Decision& d : s.decisions) {
        decisions.push_back(Json{{"gate", to_string(d.gate)},
                                 {"verdict", to_string(d.verdict)},
                                 {"reason", d.reason},
                                 {"by", d.stamp.by},
                                 {"at", format_timestamp(d.stamp.at)},
                                 {"until", d.until ? Json(format_date(*d.until)) : Json(nullptr)}});
    }
    Json feedback = Json::array();
    for (const Feedback& f : s.feedback) {
        feedback.push_back(
            Json{{"to", f.recipient},
                 {"outcome", to_string(f.outcome)},
                 {"stage", f.stage ? Json(to_string(*f.stage)) : Json(nullptr)},
                 {"status", to_string(f.status)},
                 {"queued_at", format_timestamp(f.queued_at)},
                 {"sent_at", f.sent_at ? Json(format_timestamp(*f.sent_at)) : Json(nullptr)},
                 {"message_id", f.message_id},
                 {"attempts", f.attempts},
                 {"error", f.last_error}});
    }
    Json history = Json::array();
    for (const HistoryEntry& h : s.history) {
        history.push_back(Json{{"at", format_timestamp(h.stamp.at)},
                               {"by", h.stamp.by},
                               {"event", h.event},
                               {"from", h.from ? Json(to_string(*h.from)) : Json(nullptr)},
                               {"to", to_string(h.to)},
                               {"detail", h.detail}});
    }
    const std::string next = next_step(s);
    return Json{
        {"id", s.id},
        {"title", s.title},
        {"description", s.description},
        {"state", to_string(s.state)},
        {"step", s.step},
        {"next", next.empty() ? Json(nullptr) : Json(next)},
        {"submitted_by", s.submitted_by},
        {"submitted_at", format_timestamp(s.submitted_at)},
        {"updated_at", format_timestamp(s.updated_at)},
        {"external_id", optional_text(s.external_id)},
        {"project", optional_text(s.project)},
        {"duplicate_of", s.duplicate_of ? Json(*s.duplicate_of) : Json(nullptr)},
        {"submitters", submitters},
        {"fields", s.fields},
        {"triage", triage},
        {"impact", impact_json(s, settings)},
        {"decisions", decisions},
        {"root_cause", root_cause_json(s)},
        {"actions", actions_json(s, now)},
        {"business_case", business_case_json(s, settings)},
        {"measurements", measurements_json(s, settings)},
        {"summary", optional_text(s.closing_summary)},
        {"feedback", feedback},
        {"history", history},
        {"recurrence_of", recurrences_json(s)},
    };
}

Json late_to_json(const std::optional<Lateness>& late) {
    if (!late) {
        return Json(nullptr);
    }
    return Json{{"reason", to_string(late->reason)},
                {"state", to_string(late->state)},
                {"due", format_date(late->due)},
                {"days_late", late->days_late},
                {"text", late_text(*late)}};
}

Json summary_to_json(const SignalSummary& s, const ImpactSettings& settings) {
    Json row{
        {"id", s.id},
        {"title", s.title},
        {"state", to_string(s.state)},
        {"step", s.step},
        {"submitted_by", s.submitted_by},
        {"submitted_at", format_timestamp(s.submitted_at)},
        {"updated_at", format_timestamp(s.updated_at)},
        {"submitter_count", s.submitter_count},
        {"fields", s.fields},
    };
    if (s.impact) {
        const ImpactFigures figures = impact_figures(*s.impact, settings);
        row["contacts"] = s.impact->contacts;
        row["satisfaction_impact"] = s.impact->satisfaction_impact;
        row["score"] = figures.score;
        row["class"] = to_string(figures.impact_class);
        row["cost_per_period"] = number(figures.cost_per_period);
    } else {
        row["contacts"] = nullptr;
        row["satisfaction_impact"] = nullptr;
        row["score"] = nullptr;
        row["class"] = nullptr;
        row["cost_per_period"] = nullptr;
    }
    return row;
}

} // namespace sileram::output
