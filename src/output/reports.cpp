#include "sileram/output/format.hpp"
#include "sileram/output/report.hpp"
#include "sileram/output/table.hpp"

#include <fmt/format.h>
#include <map>

// The six reports laid out as documents: which sections, which columns, in which order.
namespace sileram::output {

namespace {

using domain::Decimal;

Cell text(std::string_view value) {
    return Cell::of_text(std::string(value));
}

Cell text(std::string_view value, Hue hue) {
    Cell cell = Cell::of_text(std::string(value));
    cell.hue = hue;
    return cell;
}

Cell state_cell(domain::State state) {
    return text(domain::to_string(state), state_hue(state));
}

std::string shown_note(std::size_t shown, std::int64_t total, std::string_view what) {
    if (static_cast<std::int64_t>(shown) >= total) {
        return {};
    }
    return fmt::format("{} of {} {} shown (--limit N, 0 for all)",
                       count(static_cast<std::int64_t>(shown)), count(total), what);
}

std::vector<ReportColumn> totals_columns(const std::string& first_key,
                                         const std::string& first_header) {
    return {{first_key, first_header, true, 8},
            {"signals", "signals"},
            {"contacts", "contacts", false, 0, 2},
            {"score", "score"},
            {"cost_per_period", "cost/period", false, 0, 3},
            {"cost_per_year", "cost/year", false, 0, 5},
            {"share_of_cost", "share of cost", false, 0, 4}};
}

std::vector<Cell> totals_row(const domain::ImpactTotals& t, std::string_view label) {
    return {text(label),
            Cell::of_count(t.signals),
            Cell::of_count(t.contacts),
            Cell::of_count(t.score),
            Cell::of_money(t.cost_per_period),
            Cell::of_money(t.cost_per_year),
            Cell::of_share(t.share_of_cost)};
}

Cell state_counts(const std::vector<domain::StateCount>& states) {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    counts.reserve(states.size());
    for (const domain::StateCount& c : states) {
        counts.emplace_back(domain::to_string(c.state), c.signals);
    }
    return Cell::of_counts(std::move(counts));
}

std::string shown_value(const std::string& value) {
    return value.empty() ? "(none)" : value;
}

} // namespace

ReportDocument impact_document(const domain::ImpactReport& report, const std::string& by,
                               const domain::ImpactSettings& impact) {
    ReportDocument d;
    d.report = "impact";
    d.currency = impact.currency;
    d.summary = {
        {"signals", "Open signals with impact figures", Cell::of_count(report.total.signals)},
        {"contacts", fmt::format("Contacts per {}", impact.period),
         Cell::of_count(report.total.contacts)},
        {"cost_per_period", fmt::format("Cost per {}", impact.period),
         Cell::of_money(report.total.cost_per_period)},
        {"cost_per_year", "Cost per year", Cell::of_money(report.total.cost_per_year)}};

    Section ranked;
    ranked.name = "signals";
    ranked.title = "Open signals by impact score";
    // cost/year is cost/period times the periods of a year: the first to go.
    ranked.columns = {{"id", "id"},
                      {"title", "title", true, k_min_title_width},
                      {"state", "state", true, 6, 4},
                      {"class", "class", false, 0, 3},
                      {"contacts", "contacts", false, 0, 1},
                      {"satisfaction_impact", "sat.", false, 0, 5},
                      {"score", "score"},
                      {"cost_per_period", "cost/period", false, 0, 2},
                      {"cost_per_year", "cost/year", false, 0, 7},
                      {"quadrant", "quadrant", true, 5, 6}};
    for (const domain::ImpactLine& l : report.ranked) {
        ranked.rows.push_back(
            {Cell::of_id(l.id), text(l.title), state_cell(l.state),
             text(domain::to_string(l.figures.impact_class), class_hue(l.figures.impact_class)),
             Cell::of_count(l.contacts), Cell::of_count(l.satisfaction_impact),
             Cell::of_count(l.figures.score), Cell::of_money(l.figures.cost_per_period),
             Cell::of_money(l.figures.cost_per_year), text(domain::to_string(l.quadrant))});
    }
    ranked.note = shown_note(report.ranked.size(), report.total.signals, "signals");
    d.sections.push_back(std::move(ranked));

    if (!by.empty()) {
        Section groups;
        groups.name = "groups";
        groups.title = fmt::format("By {}", by);
        groups.columns = totals_columns("value", by);
        for (const domain::ImpactTotals& g : report.groups) {
            groups.rows.push_back(totals_row(g, shown_value(g.label)));
        }
        groups.totals = totals_row(report.total, "total");
        d.sections.push_back(std::move(groups));
    }

    Section quadrants;
    quadrants.name = "quadrants";
    quadrants.title = "Contacts x satisfaction impact";
    quadrants.columns = totals_columns("quadrant", "quadrant");
    for (const domain::ImpactTotals& q : report.quadrants) {
        quadrants.rows.push_back(totals_row(q, q.label));
    }
    quadrants.totals = totals_row(report.total, "total");
    // The rows come as act first, plan, delegate, avoid (see domain::quadrant).
    quadrants.grid = Grid{"",
                          {"many contacts", "few contacts"},
                          {"high satisfaction impact", "low satisfaction impact"},
                          {{{0, 2}, {1, 3}}}};
    d.sections.push_back(std::move(quadrants));
    return d;
}

ReportDocument funnel_document(const domain::FunnelReport& report) {
    ReportDocument d;
    d.report = "funnel";
    d.summary = {{"signals", "Signals", Cell::of_count(report.total)}};

    Section steps;
    steps.name = "steps";
    steps.title = "Signals per step, and days spent in each step";
    steps.columns = {{"step", "step"},
                     {"name", "name"},
                     {"signals", "signals"},
                     {"share", "share", false, 0, 2},
                     {"median_days", "median days", false, 0, 5},
                     {"longest_days", "longest days", false, 0, 7},
                     {"oldest_waiting_days", "waiting days", false, 0, 3},
                     {"oldest_waiting_signal", "oldest", false, 0, 6},
                     {"states", "states", true, 12, 4},
                     {"target_days", "target days", false, 0, 9},
                     {"within_target", "within target", false, 0, 8}};
    for (const domain::FunnelStep& s : report.steps) {
        steps.rows.push_back(
            {Cell::of_count(s.step), text(s.name), Cell::of_count(s.signals),
             Cell::of_share(s.share), Cell::of_days(s.median_days), Cell::of_days(s.longest_days),
             Cell::of_days(s.oldest_days),
             s.oldest_signal ? Cell::of_id(*s.oldest_signal) : Cell::none(), state_counts(s.states),
             s.target_days ? Cell::of_count(*s.target_days) : Cell::missing("-"),
             s.within_target ? Cell::of_share(s.within_target) : Cell::missing("-")});
    }
    d.sections.push_back(std::move(steps));

    Section states;
    states.name = "states";
    states.title = "Signals per state";
    states.columns = {
        {"step", "step"}, {"state", "state"}, {"signals", "signals"}, {"share", "share"}};
    for (const domain::StateCount& c : report.states) {
        states.rows.push_back({Cell::of_count(c.step), state_cell(c.state),
                               Cell::of_count(c.signals),
                               Cell::of_share(domain::share(static_cast<double>(c.signals),
                                                            static_cast<double>(report.total)))});
    }
    d.sections.push_back(std::move(states));

    Section months;
    months.name = "months";
    months.title = "Entering (submitted) and leaving (closed) per month";
    months.columns = {{"month", "month"}, {"entered", "entered"}, {"left", "left"}, {"net", "net"}};
    std::int64_t entered = 0;
    std::int64_t left = 0;
    for (const domain::MonthFlow& m : report.months) {
        months.rows.push_back({text(m.month), Cell::of_count(m.entered), Cell::of_count(m.left),
                               Cell::of_count(m.entered - m.left)});
        entered += m.entered;
        left += m.left;
    }
    months.totals = {text("total"), Cell::of_count(entered), Cell::of_count(left),
                     Cell::of_count(entered - left)};
    d.sections.push_back(std::move(months));
    return d;
}

namespace {

// A yearly amount in hundredths as a month's: divided by 12, rounded half away from zero.
domain::Decimal per_month(std::int64_t hundredths_per_year) {
    const std::int64_t q = hundredths_per_year / 12;
    const std::int64_t r = hundredths_per_year % 12;
    return domain::Decimal::from_hundredths(q + (r >= 6 ? 1 : 0) - (r <= -6 ? 1 : 0));
}

std::int64_t saturated_sum(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) {
        return a > 0 ? domain::Decimal::k_max_hundredths : -domain::Decimal::k_max_hundredths;
    }
    return sum;
}

// The listed signals' savings per month of their latest measurement (UTC, as the measured
// column shows it), oldest month first: what the HTML page charts as realised against expected.
Section effect_months_section(const std::vector<domain::EffectLine>& lines) {
    struct Month {
        std::int64_t signals = 0;
        std::int64_t saved = 0;
        std::int64_t expected = 0;
        bool has_expected = false;
    };
    std::map<std::string, Month> months;
    for (const domain::EffectLine& l : lines) {
        Month& m = months[domain::format_timestamp(l.measured_at).substr(0, 7)];
        ++m.signals;
        m.saved = saturated_sum(m.saved, l.effect.saved_per_year.hundredths());
        if (l.expected_per_year) {
            m.expected = saturated_sum(m.expected, l.expected_per_year->hundredths());
            m.has_expected = true;
        }
    }
    Section s;
    s.name = "months";
    s.title = "Savings per month of measurement (listed signals)";
    s.columns = {{"month", "month"},
                 {"signals", "signals"},
                 {"saved_per_month", "saved/month"},
                 {"expected_per_month", "expected/month"}};
    for (const auto& [month, m] : months) {
        s.rows.push_back({text(month), Cell::of_count(m.signals),
                          Cell::of_money(per_month(m.saved)),
                          m.has_expected ? Cell::of_money(per_month(m.expected)) : Cell::none()});
    }
    return s;
}

} // namespace

ReportDocument effect_document(const domain::EffectReport& report,
                               const domain::ImpactSettings& impact) {
    ReportDocument d;
    d.report = "effect";
    d.currency = impact.currency;
    const domain::EffectTotals& t = report.total;
    d.summary = {
        {"signals", "Measured signals", Cell::of_count(t.signals)},
        {"contacts_saved", fmt::format("Contacts saved per {}", impact.period),
         Cell::of_count(t.contacts_saved)},
        {"saved_per_period", fmt::format("Saved per {}", impact.period),
         Cell::of_money(t.saved_per_period)},
        {"saved_per_year", "Saved per year", Cell::of_money(t.saved_per_year)},
        {"expected_per_year", "Expected per year", Cell::of_money(t.expected_per_year)},
        {"realised_share", "Realised share of expected", Cell::of_share(t.realised_share)},
        {"cost", "Cost of the actions", Cell::of_money(t.cost)},
        {"roi", "Realised ROI (year)", Cell::of_number(t.roi)},
        {"satisfaction_delta", "Mean satisfaction change",
         Cell::of_change(t.mean_satisfaction_delta)},
        {"approved_signals", "With an approved case", Cell::of_count(t.approved_signals)},
        {"approved_per_year", "Approved savings per year", Cell::of_money(t.approved_per_year)},
        {"saved_per_year_approved", "Saved per year by those signals",
         Cell::of_money(t.saved_per_year_approved)},
        {"versus_approved_per_year", "Saved minus approved per year",
         Cell::of_money(t.versus_approved_per_year)}};

    Section lines;
    lines.name = "signals";
    lines.title = "Measured signals, most saved first";
    lines.columns = {{"id", "id"},
                     {"title", "title", true, k_min_title_width},
                     {"measured_at", "measured", false, 0, 5},
                     {"contacts_before", "before", false, 0, 4},
                     {"contacts_after", "after", false, 0, 3},
                     {"saved_per_year", "saved/year"},
                     {"expected_per_year", "expected/year", false, 0, 2},
                     {"realised_share", "realised", false, 0, 1},
                     {"satisfaction_delta", "sat. change", false, 0, 6},
                     {"cost", "cost", false, 0, 7},
                     {"approved_per_year", "approved/year", false, 0, 9},
                     {"versus_approved_per_year", "vs approved", false, 0, 8}};
    for (const domain::EffectLine& l : report.lines) {
        lines.rows.push_back(
            {Cell::of_id(l.id), text(l.title),
             text(domain::format_timestamp(l.measured_at).substr(0, 10)),
             Cell::of_count(l.baseline_contacts), Cell::of_count(l.measured_contacts),
             Cell::of_money(l.effect.saved_per_year), Cell::of_money(l.expected_per_year),
             Cell::of_share(l.effect.realised_share), Cell::of_change(l.effect.satisfaction_delta),
             Cell::of_money(l.cost), Cell::of_money(l.approved_per_year),
             Cell::of_money(l.versus_approved_per_year)});
    }
    lines.note = shown_note(report.lines.size(), t.signals, "signals");
    d.sections.push_back(std::move(lines));
    d.sections.push_back(effect_months_section(report.lines));
    return d;
}

ReportDocument fields_document(const std::vector<domain::FieldBreakdown>& fields,
                               std::int64_t signals, const domain::ImpactSettings& impact) {
    ReportDocument d;
    d.report = "fields";
    d.currency = impact.currency;
    d.summary = {{"signals", "Signals", Cell::of_count(signals)}};
    for (const domain::FieldBreakdown& f : fields) {
        Section s;
        s.name = f.field;
        s.title = fmt::format("By {}, most frequent first", f.field);
        s.columns = {{"value", f.field, true, 8},
                     {"signals", "signals"},
                     {"share", "share", false, 0, 1},
                     {"contacts", "contacts", false, 0, 3},
                     {"score", "score", false, 0, 4},
                     {"cost_per_period", "cost/period", false, 0, 2},
                     {"cost_per_year", "cost/year", false, 0, 5}};
        for (const domain::FieldValueLine& v : f.values) {
            s.rows.push_back({text(shown_value(v.value)), Cell::of_count(v.sums.signals),
                              Cell::of_share(v.share), Cell::of_count(v.sums.contacts),
                              Cell::of_count(v.sums.score),
                              Cell::of_money(Decimal::from_hundredths(v.sums.cost_cents)),
                              Cell::of_money(v.cost_per_year)});
        }
        s.note = shown_note(f.values.size(), f.distinct, "values");
        d.sections.push_back(std::move(s));
    }
    return d;
}

ReportDocument customers_document(const domain::CustomerReport& report, std::int64_t limit,
                                  const domain::ReportSettings& settings,
                                  const domain::ImpactSettings& impact) {
    ReportDocument d;
    d.report = "customers";
    d.currency = impact.currency;
    d.summary = {
        {"customers", "Customers with signals", Cell::of_count(report.customers)},
        {"signals", "Their signals", Cell::of_count(report.signals)},
        {"revenue_known", "Revenue in the customers table", Cell::of_money(report.revenue_known)},
        {"without_revenue", "Customers without a revenue", Cell::of_count(report.without_revenue)},
        {"disproportionate",
         fmt::format("Asking disproportionately (>= {}x)", settings.disproportion.to_string()),
         Cell::of_count(report.flagged_disproportionate)},
        {"care", fmt::format("Care customers ({} days)", settings.care_window_days),
         Cell::of_count(report.flagged_care)}};
    Section s;
    s.name = "customers";
    s.title = "Customers, flagged first: candidates for a proactive call";
    s.columns = {{"customer", "customer", true, k_min_title_width},
                 {"segment", "segment", true, 5, 7},
                 {"signals", "signals"},
                 {"contacts", "contacts", false, 0, 6},
                 {"revenue", "revenue", false, 0, 5},
                 {"signals_per_million", "per million", false, 0, 9},
                 {"ratio", "ratio", false, 0, 4},
                 {"recent_signals", "recent", false, 0, 8},
                 {"care", "care", false, 0, 2},
                 {"disproportionate", "dispr.", false, 0, 1},
                 {"reason", "why", true, 6, 3}};
    for (const domain::CustomerLine& c : report.lines) {
        if (limit > 0 && static_cast<std::int64_t>(s.rows.size()) >= limit) {
            break;
        }
        s.rows.push_back({text(c.name), text(c.segment), Cell::of_count(c.signals),
                          Cell::of_count(c.contacts), Cell::of_money(c.revenue),
                          Cell::of_number(c.signals_per_million), Cell::of_number(c.ratio),
                          Cell::of_count(c.recent_signals), Cell::of_flag(c.care),
                          Cell::of_flag(c.disproportionate), text(c.reason)});
    }
    s.note = shown_note(s.rows.size(), report.customers, "customers");
    d.sections.push_back(std::move(s));
    return d;
}

ReportDocument overdue_document(const domain::OverdueReport& report,
                                const domain::ReportSettings& settings) {
    ReportDocument d;
    d.report = "overdue";
    d.summary = {
        {"overdue_actions", "Actions past their due date", Cell::of_count(report.actions_total)},
        {"stale_signals", fmt::format("Signals unchanged for {} days or more", settings.stale_days),
         Cell::of_count(report.stale_total)},
        {"silent_submitters",
         fmt::format("Submitters without news for {} days or more", settings.silent_days),
         Cell::of_count(report.silent_total)},
        {"waiting_signals", "Signals waiting for an answer", Cell::of_count(report.waiting_total)},
        {"late_signals", "Signals past a response target", Cell::of_count(report.late_total)}};

    Section actions;
    actions.name = "actions";
    actions.title = "Actions past their due date";
    actions.columns = {{"signal", "signal"},
                       {"action", "action"},
                       {"title", "title", true, k_min_title_width},
                       {"owner", "owner", true, 5, 3},
                       {"due", "due", false, 0, 4},
                       {"days_overdue", "days over"},
                       {"status", "status", false, 0, 2},
                       {"progress", "progress", false, 0, 1}};
    for (const domain::OverdueAction& a : report.actions) {
        Cell days_over = Cell::of_count(a.days_overdue);
        days_over.hue = Hue::red;
        actions.rows.push_back(
            {Cell::of_id(a.action.signal), Cell::of_count(a.action.number), text(a.action.title),
             text(a.action.owner), text(domain::format_date(a.action.due), Hue::red), days_over,
             text(domain::to_string(a.action.status)), Cell::of_count(a.action.progress)});
    }
    actions.note = shown_note(report.actions.size(), report.actions_total, "actions");
    d.sections.push_back(std::move(actions));

    Section stale;
    stale.name = "stale";
    stale.title = fmt::format("Signals without any change for {} days", settings.stale_days);
    stale.columns = {{"id", "id"},
                     {"title", "title", true, k_min_title_width},
                     {"state", "state", false, 0, 1},
                     {"updated_at", "last change", false, 0, 2},
                     {"days_unchanged", "days"}};
    for (const domain::StaleSignal& s : report.stale) {
        stale.rows.push_back({Cell::of_id(s.signal.id), text(s.signal.title),
                              state_cell(s.signal.state),
                              text(domain::format_timestamp(s.signal.updated_at).substr(0, 10)),
                              Cell::of_count(s.days_unchanged)});
    }
    stale.note = shown_note(report.stale.size(), report.stale_total, "signals");
    d.sections.push_back(std::move(stale));

    Section silent;
    silent.name = "silent";
    silent.title = fmt::format("Submitters who have heard nothing for {} days: call them",
                               settings.silent_days);
    silent.columns = {{"email", "submitter", true, k_min_title_width},
                      {"open_signals", "open signals", false, 0, 1},
                      {"waiting_since", "waiting since", false, 0, 2},
                      {"days_waiting", "days"},
                      {"oldest_signal", "oldest", false, 0, 3}};
    for (const domain::SilentSubmitter& s : report.silent) {
        silent.rows.push_back(
            {text(s.submitter.email), Cell::of_count(s.submitter.signals),
             text(domain::format_timestamp(s.submitter.waiting_since).substr(0, 10)),
             Cell::of_count(s.days_waiting), Cell::of_id(s.submitter.oldest_signal)});
    }
    silent.note = shown_note(report.silent.size(), report.silent_total, "submitters");
    d.sections.push_back(std::move(silent));

    Section waiting;
    waiting.name = "waiting";
    waiting.title = report.answer_days
                        ? fmt::format("Signals waiting for an answer (answer within {} days)",
                                      *report.answer_days)
                        : std::string("Signals waiting for an answer");
    waiting.columns = {{"id", "id"},
                       {"title", "title", true, k_min_title_width, 4},
                       {"days_waiting", "days"},
                       {"asked", "asked", true, 10, 2},
                       {"question", "question", true, k_min_title_width},
                       {"past_answer_days", "no answer in time", false, 0, 3}};
    for (const domain::WaitingSignal& w : report.waiting) {
        Cell days = Cell::of_count(w.days_waiting);
        if (w.past_answer_days) {
            days.hue = Hue::red;
        }
        Cell past = Cell::of_flag(w.past_answer_days);
        waiting.rows.push_back({Cell::of_id(w.signal.id), text(w.signal.title), days,
                                text(w.signal.asked), text(w.signal.question), past});
    }
    waiting.note = shown_note(report.waiting.size(), report.waiting_total, "signals");
    if (const auto past =
            std::count_if(report.waiting.begin(), report.waiting.end(),
                          [](const domain::WaitingSignal& w) { return w.past_answer_days; });
        past > 0) {
        waiting.note += fmt::format("{}{} shown without an answer after {} days",
                                    waiting.note.empty() ? "" : "; ", past, *report.answer_days);
    }
    d.sections.push_back(std::move(waiting));

    Section late;
    late.name = "late";
    late.title = "Signals past a response target";
    late.columns = {{"id", "id"},
                    {"title", "title", true, k_min_title_width},
                    {"state", "state", false, 0, 2},
                    {"reason", "missed", false, 0, 3},
                    {"due", "due", false, 0, 1},
                    {"days_late", "days late"}};
    for (const domain::LateSignal& l : report.late) {
        Cell days = Cell::of_count(l.late.days_late);
        days.hue = Hue::red;
        late.rows.push_back(
            {Cell::of_id(l.signal.id), text(l.signal.title), state_cell(l.signal.facts.state),
             text(domain::to_string(l.late.reason)), text(domain::format_date(l.late.due)), days});
    }
    late.note = shown_note(report.late.size(), report.late_total, "signals");
    d.sections.push_back(std::move(late));
    return d;
}

namespace {

// A figure of the response report, "-" in the text table where there is none.
Cell days_or_dash(const std::optional<double>& days) {
    return days ? Cell::of_days(days) : Cell::missing("-");
}

std::vector<Cell> response_row(const domain::ResponseLine& l, const std::string& label) {
    return {text(label),
            Cell::of_count(l.signals),
            Cell::of_count(l.responded),
            Cell::of_count(l.waiting),
            days_or_dash(l.median_days),
            days_or_dash(l.p90_days),
            l.within_target ? Cell::of_share(l.within_target) : Cell::missing("-")};
}

Section response_section(std::string name, std::string title, const std::string& first,
                         const std::vector<domain::ResponseLine>& lines,
                         const domain::ResponseLine& total, bool channel) {
    Section s;
    s.name = std::move(name);
    s.title = std::move(title);
    s.columns = {{first, first, true, 8},
                 {"signals", "signals"},
                 {"responded", "responded", false, 0, 2},
                 {"waiting", "waiting", false, 0, 3},
                 {"median_days", "median days"},
                 {"p90_days", "p90 days", false, 0, 1},
                 {"within_target", "within target"}};
    for (const domain::ResponseLine& l : lines) {
        s.rows.push_back(response_row(l, channel ? shown_value(l.label) : l.label));
    }
    s.totals = response_row(total, "total");
    return s;
}

} // namespace

ReportDocument response_document(const domain::ResponseReport& report) {
    ReportDocument d;
    d.report = "response";
    const domain::ResponseLine& t = report.total;
    d.summary = {{"target_days", "Target for a first response (days)",
                  report.target_days ? Cell::of_count(*report.target_days) : Cell::missing("-")},
                 {"signals", "Signals submitted", Cell::of_count(t.signals)},
                 {"responded", "With a first response", Cell::of_count(t.responded)},
                 {"waiting", "Still waiting", Cell::of_count(t.waiting)},
                 {"median_days", "Median days to first response", days_or_dash(t.median_days)},
                 {"p90_days", "90th percentile, days", days_or_dash(t.p90_days)},
                 {"within_target", "Within the target",
                  t.within_target ? Cell::of_share(t.within_target) : Cell::missing("-")}};
    d.sections.push_back(response_section("months",
                                          "Time to first response per month of submission", "month",
                                          report.months, t, false));
    d.sections.push_back(response_section("channels", "Time to first response per channel",
                                          "channel", report.channels, t, true));
    return d;
}

ReportDocument trend_document(const domain::TrendReport& report,
                              const domain::ImpactSettings& impact) {
    ReportDocument d;
    d.report = "trend";
    d.summary = {{"signals_in", "Signals in", Cell::of_count(report.total.signals_in)},
                 {"verdicts", "Verdicts", Cell::of_count(report.total.verdicts)},
                 {"closed", "Closed", Cell::of_count(report.total.closed)},
                 {"saved_per_period", "Saved per " + impact.period,
                  Cell::of_money(report.total.saved_per_period)},
                 {"median_days_to_close", "Median days from submit to close",
                  Cell::of_days(report.total.median_days_to_close)}};
    Section months;
    months.name = "months";
    months.title = "Per month: in, verdicts, closed, saved, days to close";
    months.columns = {{"month", "month"},
                      {"signals_in", "in"},
                      {"verdicts", "verdicts"},
                      {"closed", "closed"},
                      {"saved_per_period", "saved per " + impact.period},
                      {"saved_per_year", "saved per year", false, 0, 2},
                      {"median_days_to_close", "median days to close", false, 0, 1}};
    const auto row = [](const domain::TrendMonth& m, Cell first) {
        return std::vector<Cell>{std::move(first),
                                 Cell::of_count(m.signals_in),
                                 Cell::of_count(m.verdicts),
                                 Cell::of_count(m.closed),
                                 Cell::of_money(m.saved_per_period),
                                 Cell::of_money(m.saved_per_year),
                                 Cell::of_days(m.median_days_to_close)};
    };
    for (const domain::TrendMonth& m : report.months) {
        months.rows.push_back(row(m, text(m.month)));
    }
    months.totals = row(report.total, text("total"));
    d.sections.push_back(std::move(months));
    return d;
}

ReportDocument recurrence_document(const domain::RecurrenceReport& report) {
    ReportDocument d;
    d.report = "recurrence";
    d.summary = {
        {"closed_root_causes", "Closed root causes (root cause found, effect measured)",
         Cell::of_count(report.closed)},
        {"recurred_root_causes", "Of them came back", Cell::of_count(report.recurred)},
        {"recurring_signals", "New signals that recur one", Cell::of_count(report.signals)}};

    Section recurrences;
    recurrences.name = "recurrences";
    recurrences.title = "Closed root causes that came back, per process";
    recurrences.columns = {{"process", "process", true, 8, 2},
                           {"closed_signal", "closed"},
                           {"root_cause", "root cause", true, k_min_title_width, 5},
                           {"closed_on", "closed on", false, 0, 3},
                           {"signal", "new"},
                           {"title", "title", true, k_min_title_width},
                           {"submitted_on", "submitted", false, 0, 4},
                           {"days_since_closing", "days after"},
                           {"alike", "alike", false, 0, 1}};
    for (const domain::Recurrence& r : report.recurrences) {
        Cell days = Cell::of_count(r.days_since_closing);
        days.hue = Hue::red;
        recurrences.rows.push_back(
            {text(shown_value(r.input.process)), Cell::of_id(r.input.closed), text(r.input.cause),
             text(local_date(r.input.closed_at)), Cell::of_id(r.input.signal), text(r.input.title),
             text(local_date(r.input.submitted_at)), days, Cell::of_share(r.input.similarity)});
    }
    recurrences.note =
        shown_note(report.recurrences.size(), report.recurrences_total, "recurrences");
    d.sections.push_back(std::move(recurrences));

    Section processes;
    processes.name = "processes";
    processes.title = "Per process";
    processes.columns = {{"process", "process", true, 8},
                         {"closed_root_causes", "closed"},
                         {"recurred_root_causes", "came back"},
                         {"recurring_signals", "new signals"},
                         {"share_recurred", "share came back", false, 0, 1}};
    for (const domain::RecurrenceProcess& p : report.processes) {
        processes.rows.push_back({text(shown_value(p.process)), Cell::of_count(p.closed),
                                  Cell::of_count(p.recurred), Cell::of_count(p.signals),
                                  Cell::of_share(p.share)});
    }
    d.sections.push_back(std::move(processes));
    return d;
}

ReportDocument scope_document(const domain::ScopeReport& report,
                              const domain::ImpactSettings& impact) {
    ReportDocument d;
    d.report = "scope";
    d.currency = impact.currency;
    d.summary = {
        {"projects", "Projects", Cell::of_count(static_cast<std::int64_t>(report.projects.size()))},
        {"requests_after_start", "Requests after a project's start",
         Cell::of_count(report.total.signals_after)},
        {"cost_after_start", "Their cost per period (impact analysed)",
         Cell::of_money(report.total.cost_after)},
        {"unassessed_after_start", "Of them without impact analysis yet",
         Cell::of_count(report.total.unassessed_after)}};

    const auto count_cells = [](const domain::ScopeCounts& c) {
        return std::vector<Cell>{
            Cell::of_count(c.signals_before), Cell::of_count(c.signals_after),
            Cell::of_money(c.cost_after),     Cell::of_count(c.unassessed_after),
            Cell::of_count(c.actions_before), Cell::of_count(c.actions_after)};
    };
    const std::vector<ReportColumn> count_columns = {
        {"signals_before", "before"},
        {"requests_after", "after"},
        {"cost_after", "cost after/period"},
        {"unassessed_after", "not analysed", false, 0, 2},
        {"actions_before", "actions before", false, 0, 3},
        {"actions_after", "actions after", false, 0, 3}};

    Section projects;
    projects.name = "projects";
    projects.title = "Per project: what came in before and after its start";
    projects.columns = {{"customer", "customer", true, 8},
                        {"project", "project", true, 8},
                        {"start", "start", false, 0, 1}};
    projects.columns.insert(projects.columns.end(), count_columns.begin(), count_columns.end());
    projects.columns.push_back({"reasons", "after start, per process", true, 12, 4});
    for (const domain::ScopeProject& p : report.projects) {
        std::vector<Cell> row = {text(p.project.customer), text(p.project.name),
                                 text(domain::format_date(p.project.start))};
        const std::vector<Cell> counts = count_cells(p.counts);
        row.insert(row.end(), counts.begin(), counts.end());
        std::vector<std::pair<std::string, std::int64_t>> reasons;
        for (const auto& [process, n] : p.processes) {
            reasons.emplace_back(shown_value(process), n);
        }
        row.push_back(Cell::of_counts(std::move(reasons)));
        if (p.counts.signals_after > 0) {
            row[4].hue = Hue::red;
        }
        projects.rows.push_back(std::move(row));
    }
    projects.totals = {text("total"), Cell::none(), Cell::none()};
    const std::vector<Cell> total = count_cells(report.total);
    projects.totals.insert(projects.totals.end(), total.begin(), total.end());
    projects.totals.push_back(Cell::none());
    d.sections.push_back(std::move(projects));

    Section customers;
    customers.name = "customers";
    customers.title = "Per customer, the most costly after-start requests first";
    customers.columns = {{"customer", "customer", true, 8}, {"projects", "projects"}};
    customers.columns.insert(customers.columns.end(), count_columns.begin(), count_columns.end());
    for (const domain::ScopeCustomer& c : report.customers) {
        std::vector<Cell> row = {text(c.customer), Cell::of_count(c.projects)};
        const std::vector<Cell> counts = count_cells(c.counts);
        row.insert(row.end(), counts.begin(), counts.end());
        customers.rows.push_back(std::move(row));
    }
    d.sections.push_back(std::move(customers));

    Section requests;
    requests.name = "requests";
    requests.title = "Requests after the project's start, the most costly first";
    requests.columns = {{"customer", "customer", true, 8, 3},
                        {"project", "project", true, 8},
                        {"id", "id"},
                        {"title", "title", true, k_min_title_width},
                        {"process", "process", true, 8, 2},
                        {"state", "state", false, 0, 1},
                        {"submitted_on", "submitted", false, 0, 4},
                        {"cost_per_period", "cost/period"}};
    for (const domain::ScopeRequest& r : report.requests) {
        requests.rows.push_back({text(r.customer), text(r.project), Cell::of_id(r.id),
                                 text(r.title), text(shown_value(r.process)), state_cell(r.state),
                                 text(local_date(r.submitted_at)),
                                 r.cost ? Cell::of_money(*r.cost) : Cell::missing("-")});
    }
    requests.note = shown_note(report.requests.size(), report.requests_total, "requests");
    d.sections.push_back(std::move(requests));
    return d;
}

} // namespace sileram::output
