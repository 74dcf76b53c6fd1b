#include "sileram/output/report.hpp"

#include "sileram/commands/clock.hpp"
#include "sileram/commands/common.hpp"
#include "sileram/commands/filters.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/config/config.hpp"
#include "sileram/domain/reports.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/output/html.hpp"
#include "sileram/storage/store.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <fmt/format.h>
#include <ostream>
#include <unistd.h>

namespace sileram::commands {

namespace {

constexpr std::string_view k_reports[] = {"impact",    "fields",  "funnel",   "effect",
                                          "customers", "overdue", "response", "recurrence",
                                          "trend",     "scope"};
// What `report` takes as its name: every report, and `all` of them in one document.
constexpr std::string_view k_names[] = {"impact",    "fields",  "funnel",   "effect",
                                        "customers", "overdue", "response", "recurrence",
                                        "trend",     "scope",   "all"};
constexpr const auto& k_standard = domain::k_standard_fields;

struct ReportOptions {
    std::string kind;
    std::optional<std::string> since;
    std::optional<std::string> until;
    std::optional<std::string> by;
    std::optional<std::string> limit;
    std::optional<std::string> section;
    std::optional<std::string> as_of;
    std::string delimiter = ",";
    bool csv = false;
    bool html = false;
};

char parse_delimiter(const std::string& text) {
    if (text == "\\t" || text == "tab") {
        return '\t';
    }
    if (text.size() != 1 || text == "\"" || text == "\r" || text == "\n") {
        throw InvalidInput(fmt::format("--delimiter {} must be one character such as , or ;",
                                       domain::quote_value(text)));
    }
    return text[0];
}

// The end of the local day `--as-of` names (a day, today, yesterday or Nd): the moment before
// which the history counts. A day after today is refused: its end has not come.
domain::Timestamp parse_as_of(const std::string& text, domain::Timestamp now) {
    const domain::Date today = local_day(now);
    std::optional<domain::Date> day;
    if (const auto days_ago = domain::parse_days_ago(text)) {
        day = today - std::chrono::days(*days_ago);
    } else {
        day = domain::parse_date(text);
    }
    if (!day) {
        throw InvalidInput(fmt::format("--as-of {} is not a day; use a date such as 2026-12-01, "
                                       "or today, yesterday, 7d, 2w",
                                       domain::quote_value(text)));
    }
    if (*day > today) {
        throw InvalidInput(fmt::format("--as-of {} lies in the future; today is {}",
                                       domain::quote_value(text), domain::format_date(today)));
    }
    return local_day_start(now, static_cast<int>((today - *day).count()) - 1);
}

std::string require_kind(const std::string& kind) {
    if (kind.empty()) {
        throw InvalidInput(fmt::format("report needs the name of a report: {}. Example: sileram "
                                       "report impact --by process",
                                       fmt::join(k_reports, ", ")));
    }
    if (std::find(std::begin(k_names), std::end(k_names), kind) != std::end(k_names)) {
        return kind;
    }
    const std::string guess = domain::closest_name(kind, k_names);
    throw InvalidInput(fmt::format("{} is not a report{}; reports: {}", domain::quote_value(kind),
                                   guess.empty() ? "" : "; did you mean " + guess + "?",
                                   fmt::join(k_names, ", ")));
}

std::string require_by(const ReportOptions& o, Session& session) {
    if (!o.by) {
        return {};
    }
    if (o.kind != "impact" && o.kind != "fields" && o.kind != "all") {
        throw InvalidInput(fmt::format("--by applies to report impact, fields and all, not to "
                                       "report {}",
                                       o.kind));
    }
    std::vector<std::string> known(std::begin(k_standard), std::end(k_standard));
    for (const auto& rule : session.config().fields) {
        known.push_back(rule.name);
    }
    for (const auto& name : session.store(storage::Access::read).custom_field_names()) {
        known.push_back(name);
    }
    if (std::find(known.begin(), known.end(), *o.by) == known.end()) {
        const std::string guess = domain::closest_name(*o.by, known);
        throw InvalidInput(fmt::format(
            "--by {} is not a field{}; fields: {}", domain::quote_value(*o.by),
            guess.empty() ? "" : "; did you mean " + guess + "?", fmt::join(known, ", ")));
    }
    return *o.by;
}

output::ReportDocument build(const std::string& kind, const std::string& by,
                             const storage::ReportFilter& filter, Session& session) {
    storage::ReportQueries& queries = session.store(storage::Access::read).reports();
    const auto& impact = session.impact_settings();
    const domain::ReportSettings& settings = session.config().reports;
    // As of a day: its last second, unless that is still to come.
    const domain::Timestamp now =
        filter.as_of ? std::min(session.now(), *filter.as_of - std::chrono::seconds(1))
                     : session.now();
    const domain::ReportWindows windows = domain::report_windows(now, filter.since, settings);
    if (kind == "impact") {
        const storage::ImpactData data = queries.impact(filter, by, settings);
        return output::impact_document(
            domain::build_impact_report(data.ranked, data.groups, data.quadrants, impact, settings),
            by, impact);
    }
    if (kind == "funnel") {
        const domain::StepTargets targets = config::step_targets(session.config().targets);
        const storage::FunnelData data =
            queries.funnel(filter, windows.funnel_months_since, targets);
        return output::funnel_document(
            domain::build_funnel_report(data.states, data.stays, data.months, now, targets));
    }
    if (kind == "effect") {
        const storage::EffectData data = queries.effect(filter, impact);
        return output::effect_document(domain::build_effect_report(data.lines, data.sums, impact),
                                       impact);
    }
    if (kind == "fields") {
        std::vector<std::string> names(std::begin(k_standard), std::end(k_standard));
        if (!by.empty()) {
            names = {by};
        }
        const storage::FieldsData data = queries.fields(filter, names);
        std::vector<domain::FieldBreakdown> breakdowns;
        for (const storage::FieldData& f : data.fields) {
            breakdowns.push_back(
                domain::build_field_breakdown(f.field, f.values, f.distinct, data.signals, impact));
        }
        return output::fields_document(breakdowns, data.signals, impact);
    }
    if (kind == "customers") {
        storage::ReportFilter all = filter;
        all.limit = 0; // the flags need every customer; the document lists `limit` of them
        const storage::CustomersData data = queries.customers(all, windows.care_since, impact.high);
        return output::customers_document(
            domain::build_customer_report(data.customers, data.revenue_total, settings),
            filter.limit, settings, impact);
    }
    if (kind == "response") {
        const std::optional<int> target = session.config().targets.first_response_days;
        return output::response_document(
            domain::build_response_report(queries.response(filter, target, now), target));
    }
    if (kind == "recurrence") {
        storage::RecurrenceData data = queries.recurrence(filter);
        return output::recurrence_document(
            domain::build_recurrence_report(std::move(data.pairs), data.closed, filter.limit));
    }
    if (kind == "trend") {
        storage::TrendData data = queries.trend(filter, windows.funnel_months_since);
        return output::trend_document(
            domain::build_trend_report(std::move(data.months), data.median_days_to_close, impact),
            impact);
    }
    if (kind == "scope") {
        const storage::ScopeData data = queries.scope(filter);
        return output::scope_document(
            domain::build_scope_report(data.projects, data.signals, data.actions, filter.limit),
            impact);
    }
    // overdue
    const storage::OverdueData data = queries.overdue(
        filter, windows.today, windows.stale_before, windows.silent_before,
        domain::late_cuts(session.config().targets, local_day(now),
                          [now](int days_ago) { return local_day_start(now, days_ago); }));
    domain::OverdueReport report =
        domain::build_overdue_report(data.actions, data.actions_total, data.stale, data.stale_total,
                                     data.silent, data.silent_total, now);
    domain::add_waiting_and_late(report, data.waiting, data.waiting_total, data.late,
                                 data.late_total, session.config().targets, local_day(now),
                                 local_day);
    return output::overdue_document(report, settings);
}

// A report's document without rows, for its help page: what it holds, not what it found.
output::ReportDocument outline(const std::string& kind) {
    const domain::ImpactSettings impact;
    const domain::ReportSettings settings;
    if (kind == "impact") {
        return output::impact_document(domain::ImpactReport{}, "process", impact);
    }
    if (kind == "funnel") {
        return output::funnel_document(domain::FunnelReport{});
    }
    if (kind == "effect") {
        return output::effect_document(domain::EffectReport{}, impact);
    }
    if (kind == "fields") {
        std::vector<domain::FieldBreakdown> fields;
        for (const std::string_view name : k_standard) {
            fields.push_back(domain::FieldBreakdown{std::string(name), {}, 0});
        }
        return output::fields_document(fields, 0, impact);
    }
    if (kind == "customers") {
        return output::customers_document(domain::CustomerReport{}, 0, settings, impact);
    }
    if (kind == "response") {
        return output::response_document(domain::ResponseReport{});
    }
    if (kind == "recurrence") {
        return output::recurrence_document(domain::RecurrenceReport{});
    }
    if (kind == "trend") {
        return output::trend_document(domain::TrendReport{}, impact);
    }
    if (kind == "scope") {
        return output::scope_document(domain::ScopeReport{}, impact);
    }
    return output::overdue_document(domain::OverdueReport{}, settings);
}

const output::Section& pick_section(const output::ReportDocument& d,
                                    const std::optional<std::string>& name) {
    if (!name) {
        return d.sections.front();
    }
    std::vector<std::string_view> names;
    for (const output::Section& s : d.sections) {
        if (s.name == *name) {
            return s;
        }
        names.push_back(s.name);
    }
    throw InvalidInput(fmt::format("--section {} is not a section of report {}; sections: {}",
                                   domain::quote_value(*name), d.report, fmt::join(names, ", ")));
}

// The page's own account of the filters, in the order of the command line's options.
std::vector<std::pair<std::string, std::string>>
shown_filters(const ReportOptions& o, const std::string& by, const storage::ReportFilter& f) {
    std::vector<std::pair<std::string, std::string>> shown;
    if (o.since) {
        shown.emplace_back("--since", *o.since);
    }
    if (o.until) {
        shown.emplace_back("--until", *o.until);
    }
    if (!by.empty()) {
        shown.emplace_back("--by", by);
    }
    for (const auto& [field, value] : f.fields) {
        shown.emplace_back("--" + field, value);
    }
    shown.emplace_back("--limit", f.limit == 0 ? "0 (all rows)" : std::to_string(f.limit));
    return shown;
}

} // namespace

std::span<const std::string_view> report_names() {
    return k_names;
}

Runner define_report(CLI::App& command) {
    auto o = std::make_shared<ReportOptions>();
    command
        .add_option("report", o->kind,
                    "impact, fields, funnel, effect, customers, overdue, response, recurrence, "
                    "trend, scope, or all of them")
        ->type_name("REPORT");
    command
        .add_option("--since", o->since,
                    "Only signals submitted on or after DATE (effect: measured; recurrence: "
                    "the new signals); also today, yesterday, Nd, Nw")
        ->type_name("DATE");
    command
        .add_option("--until", o->until,
                    "Only signals submitted up to DATE, inclusive (effect: "
                    "measured; recurrence: the new signals)")
        ->type_name("DATE");
    command.add_option("--by", o->by, "impact: group by this field; fields: only this field")
        ->type_name("FIELD");
    command
        .add_option("--limit", o->limit,
                    "List at most N rows (default reports.rows, 20; 0 "
                    "for all); totals cover everything")
        ->type_name("N");
    command
        .add_option("--as-of", o->as_of,
                    "The report as it stood at the end of DATE (local day), rebuilt from the "
                    "history; also today, yesterday, Nd, Nw")
        ->type_name("DATE");
    command.add_flag("--csv", o->csv, "RFC 4180 CSV of one section instead of tables");
    command.add_flag("--html", o->html,
                     "One self-contained HTML page with charts, to stdout (> report.html)");
    command.add_option("--delimiter", o->delimiter, "CSV delimiter: , (default), ; or tab")
        ->type_name("C");
    command
        .add_option("--section", o->section,
                    "The section --csv prints (default the first; see --json for names)")
        ->type_name("NAME");
    command.allow_extras();
    // Evaluated when help is printed, after the report's name was read: `report impact --help`
    // describes that report.
    command.footer([o]() -> std::string {
        if (std::find(std::begin(k_reports), std::end(k_reports), o->kind) == std::end(k_reports)) {
            return fmt::format("Reports: {}; sileram report NAME --help describes one, and "
                               "sileram report all gives them all in one document.",
                               fmt::join(k_reports, ", "));
        }
        return output::report_outline(outline(o->kind),
                                      output::detect_terminal(STDOUT_FILENO).width);
    });
    command.footer("Filter on any field with --FIELD VALUE, e.g. --channel phone.\n"
                   "Examples:\n  sileram report impact --by process\n"
                   "  sileram report overdue --csv --delimiter ';' --section silent\n"
                   "  sileram report all --html > report.html");
    CLI::App* app = &command;
    return [o, app](Session& session) {
        require_one_format(session, o->csv);
        if (o->html && (o->csv || session.json())) {
            throw InvalidInput(fmt::format("--html and {} exclude each other; choose one",
                                           o->csv ? "--csv" : "--json"));
        }
        o->kind = require_kind(o->kind);
        if (o->kind == "all" && (o->csv || o->section)) {
            throw InvalidInput(fmt::format("report all has no single section for {}; use --json "
                                           "or --html, or name one report",
                                           o->csv ? "--csv" : "--section"));
        }
        storage::ReportFilter filter;
        if (o->since) {
            filter.since = parse_moment(*o->since, "--since", session.now());
        }
        if (o->until) {
            filter.until = parse_moment(*o->until, "--until", session.now(), DayEdge::end);
        }
        if (o->as_of) {
            filter.as_of = parse_as_of(*o->as_of, session.now());
        }
        filter.limit = o->limit ? parse_count(*o->limit, "--limit")
                                : static_cast<std::int64_t>(session.config().reports.rows);
        const char delimiter = parse_delimiter(o->delimiter);
        filter.fields = parse_field_filters(app->remaining(), session, "report");
        const std::string by = require_by(*o, session);
        std::vector<output::ReportDocument> documents;
        if (o->kind == "all") {
            for (const std::string_view kind : k_reports) {
                const bool grouped = kind == "impact" || kind == "fields";
                documents.push_back(build(std::string(kind), grouped ? by : "", filter, session));
            }
        } else {
            documents.push_back(build(o->kind, by, filter, session));
        }
        if (o->html) {
            output::HtmlPage page;
            page.generated_at = domain::format_timestamp(session.now());
            page.database = storage::display_name(session.database_path());
            page.filters = shown_filters(*o, by, filter);
            page.settings = session.config().reports;
            session.out() << output::render_html(documents, page);
            return;
        }
        if (o->kind == "all") {
            if (session.json()) {
                nlohmann::ordered_json all = {{"report", "all"},
                                              {"reports", nlohmann::ordered_json::object()}};
                for (const output::ReportDocument& d : documents) {
                    all["reports"][d.report] = output::render_json(d);
                }
                print_json(session, all);
                return;
            }
            session.use_pager();
            const auto& terminal = session.output().terminal;
            output::TextStyle style;
            style.width = terminal.width;
            style.color = terminal.color ? output::Color::on : output::Color::off;
            style.currency = session.impact_settings().currency;
            for (const output::ReportDocument& d : documents) {
                session.out() << fmt::format("{}== report {} ==\n",
                                             &d == &documents.front() ? "" : "\n", d.report)
                              << output::render_text(d, style);
            }
            return;
        }
        const output::ReportDocument& document = documents.front();
        if (session.json()) {
            print_json(session, output::render_json(document));
        } else if (o->csv) {
            session.out() << output::render_csv(pick_section(document, o->section), delimiter);
        } else {
            session.use_pager();
            const auto& terminal = session.output().terminal;
            output::TextStyle style;
            style.width = terminal.width;
            style.color = terminal.color ? output::Color::on : output::Color::off;
            style.currency = session.impact_settings().currency;
            if (o->section) {
                output::ReportDocument one;
                one.report = document.report;
                one.sections.push_back(pick_section(document, o->section));
                session.out() << output::render_text(one, style);
            } else {
                session.out() << output::render_text(document, style);
            }
        }
    };
}

} // namespace sileram::commands
