#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/config/config.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

namespace sileram::commands {

Runner define_init(CLI::App&) {
    return [](Session& session) {
        const bool existed = storage::database_exists(session.database_path());
        const int version = storage::initialise_database(session.database_path());
        if (session.json()) {
            print_json(session, {{"database", storage::display_name(session.database_path())},
                                 {"created", !existed},
                                 {"schema_version", version}});
            return;
        }
        if (!session.quiet()) {
            session.err() << fmt::format("{} {} (schema version {})\n",
                                         existed ? "database ready:" : "created",
                                         storage::display_name(session.database_path()), version);
        }
        session.out() << config::sample_config();
    };
}

} // namespace sileram::commands
