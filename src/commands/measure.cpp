#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/output/format.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace sileram::commands {

namespace {

struct MeasureOptions {
    std::string id;
    std::string contacts;
    std::optional<std::string> satisfaction;
    std::string note;
};

void measure(Session& session, const MeasureOptions& o) {
    const auto id = parse_id(o.id, "signal");
    const std::int64_t contacts = parse_count(o.contacts, "--contacts");
    const auto satisfaction = o.satisfaction
                                  ? std::optional(parse_decimal(*o.satisfaction, "--satisfaction"))
                                  : std::nullopt;
    const auto& settings = session.impact_settings();
    const domain::Signal signal =
        change_signal(session, id, [&](domain::Signal& s, storage::Store&) {
            domain::measure(s, contacts, satisfaction, o.note, settings, session.stamp());
        });

    const auto expected = domain::business_case(signal, settings).expected_savings_per_year;
    const auto e = domain::effect(*signal.impact, signal.measurements.back(), expected, settings);
    std::string message = fmt::format(
        "signal {}: {} contacts saved, {} per {}, {} per year", id, output::count(e.contacts_saved),
        output::money(e.saved_per_period, settings.currency), settings.period,
        output::money(e.saved_per_year, settings.currency));
    if (e.satisfaction_delta) {
        message += fmt::format(", satisfaction {:+.2f}", e.satisfaction_delta->to_double());
    }
    if (e.realised_share) {
        message += fmt::format(", {:.0f}% of the expected savings", *e.realised_share * 100);
    }
    report_change(session, signal, message);
}

} // namespace

Runner define_measure(CLI::App& command) {
    auto o = std::make_shared<MeasureOptions>();
    command.add_option("id", o->id, "The signal")->required()->type_name("ID");
    command
        .add_option("--contacts", o->contacts,
                    "Customer contacts per period now, the metric of step 3")
        ->required()
        ->type_name("N");
    command
        .add_option("--satisfaction", o->satisfaction,
                    "Satisfaction score now, on the configured scale")
        ->type_name("SCORE");
    command.add_option("--note", o->note, "How and over which period it was measured")
        ->type_name("TEXT");
    return [o](Session& session) { measure(session, *o); };
}

} // namespace sileram::commands
