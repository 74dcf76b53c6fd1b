#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/steps.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace sileram::commands {

namespace {

struct CloseOptions {
    std::string id;
    std::optional<std::string> summary;
};

void close(Session& session, const CloseOptions& o) {
    const auto id = parse_id(o.id, "signal");
    const domain::Signal signal =
        change_signal(session, id, [&](domain::Signal& s, storage::Store&) {
            domain::close(s, o.summary, session.stamp());
        });
    std::size_t queued = 0;
    for (const domain::Feedback& f : signal.feedback) {
        queued += f.status == domain::DeliveryStatus::queued ? 1 : 0;
    }
    report_change(session, signal,
                  fmt::format("signal {} closed; feedback queued for {} submitter{}", id, queued,
                              queued == 1 ? "" : "s"));
}

} // namespace

Runner define_close(CLI::App& command) {
    auto o = std::make_shared<CloseOptions>();
    command.add_option("id", o->id, "The signal: measured, rejected, duplicate or dropped")
        ->required()
        ->type_name("ID");
    command
        .add_option("--summary", o->summary, "What was done, in a sentence for the feedback mail")
        ->type_name("TEXT");
    return [o](Session& session) { close(session, *o); };
}

} // namespace sileram::commands
