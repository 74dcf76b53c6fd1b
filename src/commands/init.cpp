#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/config/config.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

namespace sileram::commands {

namespace {

// What a person at a terminal needs after init: where things are and the next command; the
// sample config goes to a file (`init > sileram.toml`) or is asked for (`--sample-config`).
void print_next_steps(Session& session, bool existed, int version) {
    session.out() << fmt::format(
        "{} {} (schema version {})\n"
        "Next:\n"
        "  sileram init --sample-config > sileram.toml   a commented config to edit (optional)\n"
        "  sileram submit 'What the customer runs into' --by you@example.org\n"
        "  sileram list\n",
        existed ? "Database ready:" : "Created the database",
        storage::display_name(session.database_path()), version);
}

} // namespace

Runner define_init(CLI::App& command) {
    auto sample_only = std::make_shared<bool>(false);
    command.add_flag("--sample-config", *sample_only,
                     "Print the commented sample config only (the database is left alone)");
    command.footer("On a terminal init says what it created and what comes next; with output "
                   "redirected\n(sileram init > sileram.toml) it writes the sample config.");
    return [sample_only](Session& session) {
        if (*sample_only) {
            session.out() << config::sample_config();
            return;
        }
        const bool existed = storage::database_exists(session.database_path());
        const int version = storage::initialise_database(session.database_path());
        if (session.json()) {
            print_json(session, {{"database", storage::display_name(session.database_path())},
                                 {"created", !existed},
                                 {"schema_version", version}});
            return;
        }
        if (session.output().terminal.is_tty) {
            print_next_steps(session, existed, version);
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
