#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/steps.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace sileram::commands {

namespace {

struct RootCauseOptions {
    std::string id;
    domain::RootCause cause;
};

void root_cause(Session& session, const RootCauseOptions& o) {
    const auto id = parse_id(o.id, "signal");
    const domain::Signal signal =
        change_signal(session, id, [&](domain::Signal& s, storage::Store&) {
            domain::record_root_cause(s, o.cause, session.stamp());
        });
    report_change(session, signal, fmt::format("signal {}: root cause recorded", id));
}

} // namespace

Runner define_root_cause(CLI::App& command) {
    auto o = std::make_shared<RootCauseOptions>();
    domain::RootCause& c = o->cause;
    command.add_option("id", o->id, "The signal")->required()->type_name("ID");
    command.add_option("--cause", c.cause, "The real cause, from the customer's perspective")
        ->required()
        ->type_name("TEXT");
    command.add_option("--customer-view", c.customer_view, "What the customer experiences")
        ->type_name("TEXT");
    command
        .add_option("--internal-view", c.internal_view,
                    "How the internal process runs and where it fails")
        ->type_name("TEXT");
    command
        .add_option("--method", c.method,
                    "How it was found (5 whys, interviews, journey mapping, ...)")
        ->type_name("NAME");
    command.add_option("--why", c.whys, "One answer of a why-chain, repeatable, in order")
        ->type_name("TEXT")
        ->allow_extra_args(false);
    command.add_option("--evidence", c.evidence, "How the cause was proven")->type_name("TEXT");
    command.add_option("--assumption", c.assumptions, "An assumption still to verify, repeatable")
        ->type_name("TEXT")
        ->allow_extra_args(false);
    command
        .add_option("--alternative", c.alternatives, "A cause considered and ruled out, repeatable")
        ->type_name("TEXT")
        ->allow_extra_args(false);
    return [o](Session& session) { root_cause(session, *o); };
}

} // namespace sileram::commands
