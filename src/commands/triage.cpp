#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/errors.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace sileram::commands {

namespace {

struct TriageOptions {
    std::string id;
    bool accept = false;
    std::optional<std::string> reject;
    std::optional<std::string> duplicate_of;
    std::optional<std::string> needs_info;
};

void triage(Session& session, const TriageOptions& options) {
    const int verdicts = (options.accept ? 1 : 0) + (options.reject ? 1 : 0) +
                         (options.duplicate_of ? 1 : 0) + (options.needs_info ? 1 : 0);
    if (verdicts != 1) {
        throw InvalidInput("triage needs exactly one of --accept, --reject REASON, --duplicate-of "
                           "ID, --needs-info QUESTION");
    }
    const auto id = parse_id(options.id, "signal");
    const auto original_id =
        options.duplicate_of ? parse_id(*options.duplicate_of, "--duplicate-of") : 0;
    std::string message;
    const domain::Signal signal =
        change_signal(session, id, [&](domain::Signal& signal, storage::Store& store) {
            const domain::Stamp stamp = session.stamp();
            if (options.accept) {
                domain::accept(signal, stamp);
                message = fmt::format("signal {} accepted", id);
            } else if (options.needs_info) {
                domain::ask_for_info(signal, *options.needs_info, stamp);
                message = fmt::format("signal {} waits for an answer; the question went to its "
                                      "submitters",
                                      id);
            } else if (options.reject) {
                domain::reject(signal, *options.reject, stamp);
                message = fmt::format("signal {} rejected: {}", id, *options.reject);
            } else {
                domain::Signal original = load_signal(session, storage::Access::write, original_id);
                domain::mark_duplicate(signal, original, stamp);
                store.save(original);
                message =
                    fmt::format("signal {} is a duplicate of signal {}; its submitters joined {} "
                                "({} submitters now)",
                                id, original.id, original.id, original.submitters.size());
            }
        });
    report_change(session, signal, message);
}

} // namespace

Runner define_triage(CLI::App& command) {
    auto options = std::make_shared<TriageOptions>();
    command.add_option("id", options->id, "The signal")->required()->type_name("ID");
    command.add_flag("--accept", options->accept, "It is a clear customer signal: take it on");
    command
        .add_option("--reject", options->reject,
                    "Not a customer signal or not clear; the reason goes back to the submitters")
        ->type_name("REASON");
    command
        .add_option("--duplicate-of", options->duplicate_of,
                    "Same as signal ID; every submitter joins that one")
        ->type_name("ID");
    command
        .add_option("--needs-info", options->needs_info,
                    "Not clear yet: ask the submitters this question; the signal waits for "
                    "`sileram answer`")
        ->type_name("QUESTION");
    return [options](Session& session) { triage(session, *options); };
}

} // namespace sileram::commands
