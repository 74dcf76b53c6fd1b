#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/errors.hpp"
#include "sileram/output/format.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace sileram::commands {

namespace {

struct ImpactOptions {
    std::string id;
    std::optional<std::string> contacts;
    std::optional<std::string> satisfaction_impact;
    std::optional<std::string> cost_per_contact;
    std::optional<std::string> satisfaction;
    bool go = false;
    std::optional<std::string> drop;
    std::optional<std::string> park;
    std::optional<std::string> until;
    std::string reason;
};

domain::ImpactInput read_figures(const ImpactOptions& o) {
    domain::ImpactInput input;
    if (o.contacts) {
        input.contacts = parse_count(*o.contacts, "--contacts");
    }
    if (o.satisfaction_impact) {
        input.satisfaction_impact =
            parse_whole_in(*o.satisfaction_impact, "--satisfaction-impact", 1, 5);
    }
    if (o.cost_per_contact) {
        input.cost_per_contact = parse_decimal(*o.cost_per_contact, "--cost-per-contact");
    }
    if (o.satisfaction) {
        input.satisfaction = parse_decimal(*o.satisfaction, "--satisfaction");
    }
    return input;
}

void impact(Session& session, const ImpactOptions& o) {
    const int decisions = (o.go ? 1 : 0) + (o.drop ? 1 : 0) + (o.park ? 1 : 0);
    if (decisions > 1) {
        throw InvalidInput("give one decision: --go, --drop REASON or --park REASON");
    }
    const bool has_figures =
        o.contacts || o.satisfaction_impact || o.cost_per_contact || o.satisfaction;
    if (decisions == 0 && !has_figures) {
        throw InvalidInput("impact needs figures (--contacts N --satisfaction-impact 1-5) or a "
                           "decision (--go, --drop REASON, --park REASON)");
    }
    if (!o.reason.empty() && !o.go) {
        throw InvalidInput("--reason goes with --go; --drop and --park take their reason directly");
    }
    if (o.until && !o.park) {
        throw InvalidInput("--until goes with --park only");
    }
    const auto id = parse_id(o.id, "signal");
    const domain::ImpactInput figures = read_figures(o);
    const auto until = o.until ? std::optional(parse_day(*o.until, "--until")) : std::nullopt;

    std::vector<std::string> done;
    const domain::Signal signal =
        change_signal(session, id, [&](domain::Signal& signal, storage::Store&) {
            const domain::Stamp stamp = session.stamp();
            if (has_figures) {
                domain::analyse(signal, figures, session.impact_settings(), stamp);
                const auto f = domain::impact_figures(*signal.impact, session.impact_settings());
                done.push_back(fmt::format(
                    "impact score {} ({}), {} per {}", output::count(f.score),
                    domain::to_string(f.impact_class),
                    output::money(f.cost_per_period, session.impact_settings().currency),
                    session.impact_settings().period));
            }
            if (o.go) {
                domain::prioritise(signal, domain::Verdict::go, o.reason, std::nullopt, stamp);
                done.emplace_back("go: prioritised");
            } else if (o.drop) {
                domain::prioritise(signal, domain::Verdict::drop, *o.drop, std::nullopt, stamp);
                done.push_back("dropped: " + *o.drop);
            } else if (o.park) {
                domain::prioritise(signal, domain::Verdict::park, *o.park, until, stamp);
                done.push_back("parked: " + *o.park);
            }
        });
    report_change(session, signal, fmt::format("signal {}: {}", id, fmt::join(done, "; ")));
}

} // namespace

Runner define_impact(CLI::App& command) {
    auto o = std::make_shared<ImpactOptions>();
    command.add_option("id", o->id, "The signal")->required()->type_name("ID");
    command
        .add_option("--contacts", o->contacts, "Customer contacts per period about it (= money)")
        ->type_name("N");
    command
        .add_option("--satisfaction-impact", o->satisfaction_impact,
                    "Impact on customer satisfaction, 1 (hardly) to 5 (severely)")
        ->type_name("1-5");
    command
        .add_option("--cost-per-contact", o->cost_per_contact,
                    "Money one contact costs (default impact.cost_per_contact)")
        ->type_name("EUR");
    command
        .add_option("--satisfaction", o->satisfaction,
                    "Satisfaction score now, on the configured scale: the baseline for measure")
        ->type_name("SCORE");
    command.add_flag("--go", o->go, "Prioritise: take it on (also revives a parked signal)");
    command
        .add_option("--drop", o->drop,
                    "Do not take it on, with the reason the submitters will read")
        ->type_name("REASON");
    command.add_option("--park", o->park, "Decide later, with the reason")->type_name("REASON");
    command.add_option("--until", o->until, "With --park: the day to look at it again")
        ->type_name("DATE");
    command.add_option("--reason", o->reason, "Context of a --go decision")->type_name("TEXT");
    command.footer("Example:\n  sileram impact 12 --contacts 12000 --satisfaction-impact 4 "
                   "--satisfaction 6.9\n"
                   "  sileram impact 12 --go --reason 'affects every customer'");
    return [o](Session& session) { impact(session, *o); };
}

} // namespace sileram::commands
