#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/projects.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/output/format.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace sileram::commands {

namespace {

struct ActOptions {
    std::string id;
    std::optional<std::string> plan;
    std::string owner;
    std::optional<std::string> due;
    std::optional<std::string> cost;
    std::optional<std::string> under;
    std::optional<std::string> project;
    std::optional<std::string> expect_reduction;
    std::optional<std::string> expect_satisfaction;
    std::optional<std::string> revise;
    bool go = false;
    std::optional<std::string> drop;
    std::string reason;
    std::optional<std::string> progress;
    std::optional<std::string> done;
    std::optional<std::string> cancel;
};

int action_number(const std::string& text, std::string_view option) {
    return static_cast<int>(std::min<std::int64_t>(parse_id(text, option), INT32_MAX));
}

std::string plan(const ActOptions& o, domain::Signal& signal, const Session& session,
                 storage::Store& store) {
    if (o.expect_reduction || o.expect_satisfaction) {
        throw InvalidInput("give --expect-reduction in a command of its own, after --plan");
    }
    domain::NewAction action;
    action.title = *o.plan;
    action.owner = o.owner;
    if (o.due) {
        action.due = parse_day(*o.due, "--due");
    }
    if (o.cost) {
        action.cost = parse_decimal(*o.cost, "--cost");
    }
    if (o.under) {
        action.parent = action_number(*o.under, "--under");
    }
    std::optional<std::string> project;
    if (o.project) {
        project =
            domain::require_known_project(store.reports().all_projects(), *o.project, "--project")
                .name;
    }
    const int number = domain::plan_action(signal, std::move(action), session.stamp());
    signal.find_action(number)->project = project;
    return o.under ? fmt::format("signal {}: sub-activity {} planned under action {}", signal.id,
                                 number, *o.under)
                   : fmt::format("signal {}: action {} planned", signal.id, number);
}

std::string progress(const std::string& text, domain::Signal& signal, const Session& session) {
    const auto eq = text.find('=');
    if (eq == std::string::npos) {
        throw InvalidInput(fmt::format("--progress {} must be ACTION=PCT, such as 2=50",
                                       domain::quote_value(text)));
    }
    const int number = action_number(text.substr(0, eq), "--progress action");
    const int percent = parse_whole_in(text.substr(eq + 1), "--progress percentage", 0, 100);
    domain::progress_action(signal, number, percent, session.stamp());
    return fmt::format("signal {}: action {} at {}%", signal.id, number, percent);
}

void act(Session& session, const ActOptions& o) {
    const bool expecting = o.expect_reduction || o.expect_satisfaction;
    const int modes = (o.plan ? 1 : 0) + (expecting && !o.plan ? 1 : 0) + (o.go ? 1 : 0) +
                      (o.drop ? 1 : 0) + (o.progress ? 1 : 0) + (o.done ? 1 : 0) +
                      (o.cancel ? 1 : 0);
    if (modes != 1) {
        throw InvalidInput("act needs exactly one of --plan TITLE, --expect-reduction PCT, --go, "
                           "--drop REASON, --progress ACTION=PCT, --done ACTION, --cancel ACTION");
    }
    if (o.revise && !expecting) {
        throw InvalidInput("--revise REASON goes with --expect-reduction PCT or "
                           "--expect-satisfaction DELTA: it changes an approved business case");
    }
    if (!o.reason.empty() && !o.go) {
        throw InvalidInput("--reason goes with --go; --drop takes its reason directly");
    }
    if (!o.plan && (o.due || o.cost || o.under || o.project || !o.owner.empty())) {
        throw InvalidInput("--owner, --due, --cost, --under and --project go with --plan");
    }
    const auto id = parse_id(o.id, "signal");
    std::string message;
    const domain::Signal signal =
        change_signal(session, id, [&](domain::Signal& signal, storage::Store& store) {
            const domain::Stamp stamp = session.stamp();
            if (o.plan) {
                message = plan(o, signal, session, store);
            } else if (expecting) {
                const auto reduction =
                    o.expect_reduction
                        ? std::optional(parse_decimal(*o.expect_reduction, "--expect-reduction"))
                        : std::nullopt;
                const auto change = o.expect_satisfaction
                                        ? std::optional(parse_decimal(*o.expect_satisfaction,
                                                                      "--expect-satisfaction"))
                                        : std::nullopt;
                domain::set_expectation(signal, reduction, change, session.impact_settings(), stamp,
                                        o.revise);
                const auto bc = domain::business_case(signal, session.impact_settings());
                const std::string& currency = session.impact_settings().currency;
                message = fmt::format(
                    "signal {}: business case: {} saved per year for {} cost{}{}", id,
                    output::money(bc.expected_savings_per_year.value_or(domain::Decimal()),
                                  currency),
                    output::money(bc.cost, currency),
                    bc.roi ? "; " + output::roi_text(*bc.roi) : "",
                    bc.payback_months ? "; " + output::payback_text(*bc.payback_months) : "");
            } else if (o.go) {
                domain::decide_go(signal, domain::Verdict::go, o.reason, session.impact_settings(),
                                  stamp);
                message = fmt::format("signal {}: go, actions approved", id);
            } else if (o.drop) {
                domain::decide_go(signal, domain::Verdict::drop, *o.drop, session.impact_settings(),
                                  stamp);
                message = fmt::format("signal {}: dropped: {}", id, *o.drop);
            } else if (o.progress) {
                message = progress(*o.progress, signal, session);
            } else if (o.done) {
                const int number = action_number(*o.done, "--done");
                domain::finish_action(signal, number, stamp);
                message = fmt::format("signal {}: action {} done", id, number);
            } else {
                const int number = action_number(*o.cancel, "--cancel");
                domain::cancel_action(signal, number, stamp);
                message = fmt::format("signal {}: action {} cancelled", id, number);
            }
        });
    report_change(session, signal, message);
}

} // namespace

Runner define_act(CLI::App& command) {
    auto o = std::make_shared<ActOptions>();
    command.add_option("id", o->id, "The signal")->required()->type_name("ID");
    command.add_option("--plan", o->plan, "Plan an improvement action (step 6)")
        ->type_name("TITLE");
    command.add_option("--owner", o->owner, "With --plan: who carries it out")->type_name("X");
    command.add_option("--due", o->due, "With --plan: when it must be done")->type_name("DATE");
    command.add_option("--cost", o->cost, "With --plan: what it costs")->type_name("EUR");
    command
        .add_option("--project", o->project,
                    "With --plan: the customer's project it belongs to (see sileram project add)")
        ->type_name("NAME");
    command.add_option("--under", o->under, "With --plan: make it a sub-activity of ACTION")
        ->type_name("ACTION");
    command
        .add_option("--expect-reduction", o->expect_reduction,
                    "Expected reduction of contacts, percent: the business case")
        ->type_name("PCT");
    command
        .add_option("--expect-satisfaction", o->expect_satisfaction,
                    "Expected change of the satisfaction score")
        ->type_name("DELTA");
    command
        .add_option("--revise", o->revise,
                    "With --expect-…: change an approved business case, for this reason "
                    "(recorded)")
        ->type_name("REASON");
    command.add_flag("--go", o->go, "Approve the business case (step 7)");
    command.add_option("--drop", o->drop, "Do not carry it out, with the reason")
        ->type_name("REASON");
    command.add_option("--reason", o->reason, "Context of a --go decision")->type_name("TEXT");
    command
        .add_option("--progress", o->progress, "Progress of an action (step 8); 100 finishes it")
        ->type_name("ACTION=PCT");
    command.add_option("--done", o->done, "Mark an action done")->type_name("ACTION");
    command.add_option("--cancel", o->cancel, "Cancel an action and its open sub-activities")
        ->type_name("ACTION");
    command.footer(
        "Example:\n  sileram act 12 --plan 'New invoice layout' --owner billing --due 2027-01-15 "
        "--cost 30000\n"
        "  sileram act 12 --expect-reduction 40\n  sileram act 12 --go\n  sileram act 12 --done 1");
    return [o](Session& session) { act(session, *o); };
}

} // namespace sileram::commands
