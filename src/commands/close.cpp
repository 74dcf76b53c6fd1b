#include "close_send.hpp"
#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/errors.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace sileram::commands {

namespace {

struct CloseOptions {
    std::optional<std::string> id;
    std::optional<std::string> summary;
    bool send = false;
    bool dry_run = false;
};

void close(Session& session, const CloseOptions& o) {
    if (o.dry_run && o.id && !o.send) {
        // What closing would mail, from the signal closed in memory only.
        domain::Signal signal =
            load_signal(session, storage::Access::read, parse_id(*o.id, "signal"));
        domain::close(signal, o.summary, session.stamp());
        preview_close(session, signal);
        return;
    }
    if (o.send || o.dry_run) {
        if (o.id || o.summary) {
            throw InvalidInput("close ID closes one signal, close --send delivers the queued mail; "
                               "give one of them, not both");
        }
        if (!o.send) {
            throw InvalidInput("--dry-run goes with close ID or close --send");
        }
        send_feedback(session, o.dry_run ? DryRun::yes : DryRun::no);
        return;
    }
    if (!o.id) {
        throw InvalidInput(
            "close needs a signal ID, or --send to deliver the queued feedback mail");
    }
    const auto id = parse_id(*o.id, "signal");
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
        ->type_name("ID");
    command
        .add_option("--summary", o->summary,
                    "What was done, in a sentence for the feedback mail (needed for a measured "
                    "signal)")
        ->type_name("TEXT");
    command.add_flag("--send", o->send,
                     "Deliver every queued feedback mail (for cron); exit 75 if any stay queued");
    command.add_flag("--dry-run", o->dry_run,
                     "Print the mails close ID would queue, or close --send would send; change "
                     "nothing");
    return [o](Session& session) { close(session, *o); };
}

} // namespace sileram::commands
