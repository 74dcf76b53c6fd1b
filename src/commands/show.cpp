#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/output/signal_json.hpp"
#include "sileram/output/signal_page.hpp"

#include <CLI/CLI.hpp>
#include <ostream>

namespace sileram::commands {

Runner define_show(CLI::App& command) {
    auto id = std::make_shared<std::string>();
    command.add_option("id", *id, "The signal")->required()->type_name("ID");
    return [id](Session& session) {
        const domain::Signal signal =
            load_signal(session, storage::Access::read, parse_id(*id, "signal"));
        if (session.json()) {
            print_json(session, signal_json(session, signal));
            return;
        }
        session.use_pager();
        const auto& terminal = session.output().terminal;
        session.out() << output::signal_page(
            signal, session.impact_settings(), session.now(), terminal.width,
            terminal.color ? output::Color::on : output::Color::off,
            signal_lateness(session, domain::late_facts(signal)));
    };
}

} // namespace sileram::commands
