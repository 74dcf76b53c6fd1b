#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/config/config.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

namespace sileram::commands {

Runner define_init(CLI::App&) {
    return [](Session& session) {
        const bool existed = std::filesystem::exists(session.database_path());
        const int version = storage::initialise_database(session.database_path());
        if (session.json()) {
            print_json(session, {{"database", session.database_path().string()},
                                 {"created", !existed},
                                 {"schema_version", version}});
            return;
        }
        if (!session.quiet()) {
            session.err() << fmt::format("{} {} (schema version {})\n",
                                         existed ? "database ready:" : "created",
                                         session.database_path().string(), version);
        }
        session.out() << config::sample_config();
    };
}

} // namespace sileram::commands
