#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/steps.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace sileram::commands {

namespace {

struct AnswerOptions {
    std::string id;
    std::string text;
    std::string by;
};

void answer(Session& session, const AnswerOptions& options) {
    const auto id = parse_id(options.id, "signal");
    const domain::Signal signal =
        change_signal(session, id, [&](domain::Signal& signal, storage::Store&) {
            domain::answer(signal, options.text, options.by, session.stamp());
        });
    report_change(session, signal,
                  fmt::format("signal {} has its answer and is submitted again", id));
}

} // namespace

Runner define_answer(CLI::App& command) {
    auto options = std::make_shared<AnswerOptions>();
    command.add_option("id", options->id, "The signal")->required()->type_name("ID");
    command.add_option("text", options->text, "The answer to the question of triage --needs-info")
        ->required()
        ->type_name("TEXT");
    command.add_option("--by", options->by, "Who answered (an e-mail address)")->type_name("EMAIL");
    command.footer("Example:\n  sileram answer 12 'Invoice 2026-0042, page 2' --by "
                   "agent@example.org");
    return [options](Session& session) { answer(session, *options); };
}

} // namespace sileram::commands
