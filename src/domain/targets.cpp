#include "sileram/domain/targets.hpp"

namespace sileram::domain {

std::string_view to_string(LateReason reason) {
    switch (reason) {
    case LateReason::first_response:
        return "first response";
    case LateReason::days_in:
        return "days in";
    case LateReason::review:
        return "review";
    }
    return "?";
}

LateFacts late_facts(const Signal& signal) {
    LateFacts facts;
    facts.state = signal.state;
    facts.submitted_at = signal.submitted_at;
    facts.entered_at = signal.submitted_at;
    for (const HistoryEntry& h : signal.history) {
        if (!h.from || *h.from != h.to) {
            facts.entered_at = h.stamp.at;
        }
        // Only a verdict or a question takes a signal out of `submitted`.
        if (h.from == State::submitted && h.to != State::submitted) {
            facts.responded = true;
        }
    }
    if (signal.state == State::parked) {
        for (const Decision& d : signal.decisions) {
            if (d.verdict == Verdict::park) {
                facts.parked_until = d.until;
            }
        }
    }
    return facts;
}

std::optional<Lateness> lateness(const LateFacts& facts, const Targets& targets, Date today,
                                 const LocalDay& local_day) {
    if (facts.state == State::closed) {
        return std::nullopt;
    }
    std::optional<Lateness> first;
    const auto consider = [&](LateReason reason, Date due) {
        if (due < today && (!first || due < first->due)) {
            first = Lateness{reason, facts.state, due, static_cast<long>((today - due).count())};
        }
    };
    if (facts.state == State::submitted && !facts.responded && targets.first_response_days) {
        consider(LateReason::first_response,
                 local_day(facts.submitted_at) + std::chrono::days(*targets.first_response_days));
    }
    if (const auto it = targets.days_in.find(facts.state); it != targets.days_in.end()) {
        consider(LateReason::days_in, local_day(facts.entered_at) + std::chrono::days(it->second));
    }
    if (facts.state == State::parked && facts.parked_until) {
        consider(LateReason::review, *facts.parked_until);
    }
    return first;
}

LateCuts late_cuts(const Targets& targets, Date today, const LocalDayStart& day_start) {
    LateCuts cuts;
    if (targets.first_response_days) {
        cuts.first_response_before = day_start(*targets.first_response_days);
    }
    for (const auto& [state, days] : targets.days_in) {
        if (state != State::closed) {
            cuts.entered_before.emplace_back(state, day_start(days));
        }
    }
    cuts.review_before = today;
    return cuts;
}

bool answer_overdue(Timestamp asked_at, const Targets& targets, Date today,
                    const LocalDay& local_day) {
    return targets.answer_days &&
           local_day(asked_at) + std::chrono::days(*targets.answer_days) < today;
}

} // namespace sileram::domain
