#include "sileram/output/signal_page.hpp"

#include "sileram/domain/steps.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/output/format.hpp"
#include "sileram/output/signal_json.hpp"
#include "sileram/output/table.hpp"

#include <fmt/format.h>

namespace sileram::output {

namespace {

using namespace domain;

constexpr std::size_t k_label_width = 16;

class Page {
public:
    Page(std::size_t width, Color color) : m_width(width), m_color(color) {}

    // Every piece of text enters the page through heading, line or block, each of which shows
    // control characters escaped: stored text may come from older databases or other writers.
    void heading(const std::string& text) { m_text += bold(printable(text, Lines::single)) + "\n"; }

    // A labelled line, its text in `hue` on a terminal; continuation lines of the same section
    // pass an empty label.
    void line(const std::string& label, const std::string& text, Hue hue = Hue::none) {
        const std::string padded = pad_to_width(label, k_label_width, Align::left);
        const std::size_t room = m_width > k_label_width + 20 ? m_width - k_label_width : 20;
        const std::string indent(k_label_width, ' ');
        bool first = true;
        for (const std::string& paragraph : paragraphs(printable(text, Lines::multi))) {
            for (const std::string& part : wrap_to_width(paragraph, room)) {
                m_text += (first ? (label.empty() ? padded : bold(padded)) : indent) +
                          paint(part, hue, m_color) + "\n";
                first = false;
            }
        }
    }

    void block(const std::string& text) { m_text += printable(text, Lines::multi); }
    // A rendered Table: it made its cells printable itself and holds its own escape codes.
    void table(const std::string& rendered) { m_text += rendered; }
    void gap() { m_text += "\n"; }
    std::string text() const { return m_text; }

private:
    std::string bold(const std::string& text) const {
        return m_color == Color::on ? fmt::format("{}{}{}", k_style_bold, text, k_style_reset)
                                    : text;
    }
    static std::vector<std::string> paragraphs(const std::string& text) {
        std::vector<std::string> lines;
        std::size_t start = 0;
        while (start <= text.size()) {
            const auto eol = std::min(text.find('\n', start), text.size());
            std::string line = text.substr(start, eol - start);
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            lines.push_back(std::move(line));
            start = eol + 1;
        }
        return lines;
    }

    std::size_t m_width;
    Color m_color;
    std::string m_text;
};

void impact_section(Page& page, const Signal& s, const ImpactSettings& settings) {
    if (!s.impact) {
        return;
    }
    const ImpactFigures f = impact_figures(*s.impact, settings);
    page.line("Impact",
              fmt::format("{} contacts per {} × impact {} = score {} ({})",
                          count(s.impact->contacts), settings.period, s.impact->satisfaction_impact,
                          count(f.score), to_string(f.impact_class)),
              class_hue(f.impact_class));
    page.line("", fmt::format("{} per {}, {} per year at {} a contact",
                              money(f.cost_per_period, settings.currency), settings.period,
                              money(f.cost_per_year, settings.currency),
                              money(s.impact->cost_per_contact, settings.currency)));
    if (s.impact->satisfaction) {
        page.line("", "satisfaction " + s.impact->satisfaction->to_string());
    }
}

void root_cause_section(Page& page, const Signal& s) {
    if (!s.root_cause) {
        return;
    }
    const RootCause& rc = *s.root_cause;
    page.line("Root cause", rc.cause);
    const std::pair<const char*, const std::string*> texts[] = {
        {"customer view: ", &rc.customer_view},
        {"internal view: ", &rc.internal_view},
        {"method: ", &rc.method},
        {"evidence: ", &rc.evidence}};
    for (const auto& [label, text] : texts) {
        if (!text->empty()) {
            page.line("", label + *text);
        }
    }
    for (std::size_t i = 0; i < rc.whys.size(); ++i) {
        page.line("", fmt::format("why {}: {}", i + 1, rc.whys[i]));
    }
    for (const std::string& a : rc.assumptions) {
        page.line("", "assumption: " + a);
    }
    for (const std::string& a : rc.alternatives) {
        page.line("", "ruled out: " + a);
    }
}

std::string case_text(const BusinessCase& bc, const ImpactSettings& settings) {
    std::string text = fmt::format("cost {}", money(bc.cost, settings.currency));
    if (bc.expected_reduction && bc.expected_savings_per_year) {
        text = fmt::format("{}% fewer contacts saves {} a year; {}",
                           bc.expected_reduction->to_string(),
                           money(*bc.expected_savings_per_year, settings.currency), text);
    }
    if (bc.roi) {
        text += "; " + roi_text(*bc.roi);
    }
    if (bc.payback_months) {
        text += "; " + payback_text(*bc.payback_months);
    }
    if (bc.expected_satisfaction) {
        text += "; satisfaction " + change(*bc.expected_satisfaction) + " expected";
    }
    return text;
}

std::string signed_money(const Decimal& amount, const ImpactSettings& settings) {
    return amount.hundredths() < 0 ? "-" + money(Decimal() - amount, settings.currency)
                                   : "+" + money(amount, settings.currency);
}

// Current minus approved, with signs: "savings -EUR 12,000.00 a year; cost +EUR 5,000.00".
std::string difference_text(const BusinessCase& d, const ImpactSettings& settings) {
    std::vector<std::string> parts;
    if (d.expected_reduction) {
        parts.push_back("reduction " + change(*d.expected_reduction) + " points");
    }
    if (d.expected_savings_per_year) {
        parts.push_back("savings " + signed_money(*d.expected_savings_per_year, settings) +
                        " a year");
    }
    parts.push_back("cost " + signed_money(d.cost, settings));
    if (d.roi) {
        parts.push_back(fmt::format("ROI {:+.1f}×", *d.roi));
    }
    if (d.payback_months) {
        parts.push_back(fmt::format("payback {:+.1f} months", *d.payback_months));
    }
    if (d.expected_satisfaction) {
        parts.push_back("satisfaction " + change(*d.expected_satisfaction));
    }
    return fmt::format("{}", fmt::join(parts, "; "));
}

void actions_section(Page& page, const Signal& s, const ImpactSettings& settings, Timestamp now,
                     std::size_t width, Color color) {
    if (s.actions.empty()) {
        return;
    }
    const Date today = std::chrono::floor<std::chrono::days>(now);
    Table table({{"#", Align::right},
                 {"under", Align::right, false, 0, Overflow::truncate, 6},
                 {"action", Align::left, true, k_min_title_width},
                 {"owner", Align::left, true, 6, Overflow::truncate, 4},
                 {"due", Align::left, false, 0, Overflow::truncate, 1},
                 {"cost " + settings.currency, Align::right, false, 0, Overflow::truncate, 3},
                 {"status", Align::left, false, 0, Overflow::truncate, 2},
                 {"done", Align::right, false, 0, Overflow::truncate, 5}});
    table.set_omission_hint("show --json has every column");
    for (const Action& a : s.actions) {
        const bool overdue =
            a.due && *a.due < today &&
            (a.status == ActionStatus::planned || a.status == ActionStatus::in_progress);
        const std::string due = a.due ? format_date(*a.due) + (overdue ? " OVERDUE" : "") : "";
        table.add_row({std::to_string(a.number), a.parent ? std::to_string(*a.parent) : "", a.title,
                       a.owner, due, whole_money(a.cost), std::string(to_string(a.status)),
                       fmt::format("{}%", a.progress)},
                      {Hue::none, Hue::none, Hue::none, Hue::none, overdue ? Hue::red : Hue::none});
    }
    page.gap();
    page.heading("Actions");
    page.table(table.render(width, color));
    const BusinessCase bc = business_case(s, settings);
    page.line("Business case", case_text(bc, settings));
    if (!s.approved_case) {
        return;
    }
    const BusinessCase approved = approved_business_case(*s.approved_case);
    page.line("Approved case", fmt::format("{}: {}", local_time(s.approved_case->at),
                                           case_text(approved, settings)));
    page.line("Difference", difference_text(case_difference(approved, bc), settings));
}

void effect_section(Page& page, const Signal& s, const ImpactSettings& settings) {
    if (s.measurements.empty() || !s.impact) {
        return;
    }
    const auto expected = business_case(s, settings).expected_savings_per_year;
    bool first = true;
    for (const Measurement& m : s.measurements) {
        const Effect e = effect(*s.impact, m, expected, settings);
        std::string text = fmt::format(
            "{}: {} contacts, {} saved: {} per {}, {} per year",
            format_date(std::chrono::floor<std::chrono::days>(m.stamp.at)), count(m.contacts),
            count(e.contacts_saved), money(e.saved_per_period, settings.currency), settings.period,
            money(e.saved_per_year, settings.currency));
        if (e.satisfaction_delta) {
            text += "; satisfaction " + change(*e.satisfaction_delta);
        }
        if (e.realised_share) {
            text += fmt::format("; {:.0f}% of expected", *e.realised_share * 100);
        }
        page.line(first ? "Effect" : "", text);
        first = false;
    }
}

} // namespace

std::string signal_page(const Signal& s, const ImpactSettings& settings, Timestamp now,
                        std::size_t width, Color color, const std::optional<Lateness>& late) {
    Page page(width, color);
    page.heading(fmt::format("Signal {}: {}", s.id, s.title));
    page.line("State", fmt::format("{} (step {} of 10)", to_string(s.state), s.step),
              state_hue(s.state));
    const std::string next = next_step(s);
    if (!next.empty()) {
        page.line("Next", next);
    }
    if (late) {
        page.line("Late", late_text(*late), Hue::red);
    }
    page.line("Submitted", fmt::format("{} by {}", local_time(s.submitted_at), s.submitted_by));
    if (s.submitters.size() > 1) {
        std::vector<std::string> others;
        for (const Submitter& sub : s.submitters) {
            if (sub.email != s.submitted_by) {
                others.push_back(sub.email);
            }
        }
        page.line("Also raised by", fmt::format("{}", fmt::join(others, ", ")));
    }
    if (!s.fields.empty()) {
        std::vector<std::string> pairs;
        pairs.reserve(s.fields.size());
        for (const auto& [name, value] : s.fields) {
            pairs.push_back(fmt::format("{}: {}", name, value));
        }
        page.line("Fields", fmt::format("{}", fmt::join(pairs, ", ")));
    }
    if (s.external_id) {
        page.line("External id", *s.external_id);
    }
    if (s.project) {
        page.line("Project", *s.project);
    }
    for (const PossibleRecurrence& r : s.recurrence_of) {
        page.line(&r == &s.recurrence_of.front() ? "Recurrence?" : "",
                  fmt::format("resembles closed signal {} ({} alike): {}; was its root cause the "
                              "real one?",
                              r.closed_signal, alike_share(r.similarity), r.title));
    }
    if (!s.description.empty()) {
        page.gap();
        page.block(s.description + (s.description.back() == '\n' ? "" : "\n"));
    }
    page.gap();
    const std::string verdict = triage_verdict(s);
    if (!verdict.empty()) {
        page.line("Triage", s.triage_reason ? verdict + ": " + *s.triage_reason : verdict);
    }
    impact_section(page, s, settings);
    for (const Decision& d : s.decisions) {
        page.line(d.gate == Gate::prioritise ? "Priority" : "Go/no-go",
                  fmt::format("{}{}{} ({}, {})", to_string(d.verdict), d.reason.empty() ? "" : ": ",
                              d.reason, d.stamp.by,
                              format_date(std::chrono::floor<std::chrono::days>(d.stamp.at))) +
                      (d.until ? " until " + format_date(*d.until) : ""));
    }
    root_cause_section(page, s);
    actions_section(page, s, settings, now, width, color);
    effect_section(page, s, settings);
    if (s.closing_summary) {
        page.line("Summary", *s.closing_summary);
    }
    for (const Feedback& f : s.feedback) {
        page.line(&f == &s.feedback.front() ? "Feedback" : "",
                  fmt::format("{}: {} mail {}{}", f.recipient, to_string(f.outcome),
                              to_string(f.status), f.sent_at ? " " + local_time(*f.sent_at) : ""));
    }
    Table history({{"when"},
                   {"by", Align::left, true, 6, Overflow::truncate, 2},
                   {"event"},
                   {"state", Align::left, false, 0, Overflow::truncate, 1},
                   {"detail", Align::left, true, k_min_title_width, Overflow::wrap}});
    history.set_omission_hint("show --json has every column");
    for (const HistoryEntry& h : s.history) {
        // The state it came from is the row above; the row shows where it went.
        history.add_row(
            {local_time(h.stamp.at), h.stamp.by, h.event, std::string(to_string(h.to)), h.detail},
            {Hue::none, Hue::none, Hue::none, state_hue(h.to)});
    }
    page.gap();
    page.heading("History");
    page.table(history.render(width, color));
    return page.text();
}

} // namespace sileram::output
