#include "sileram/storage/copy.hpp"

#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/storage/store.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

namespace sileram::commands {

Runner define_copy(CLI::App& command) {
    auto source = std::make_shared<std::string>();
    auto target = std::make_shared<std::string>();
    command
        .add_option("source", *source, "The database to copy: a SQLite file or a PostgreSQL URI")
        ->required()
        ->type_name("SOURCE");
    command
        .add_option("target", *target,
                    "The empty database to copy into: a new SQLite file, or a PostgreSQL URI")
        ->required()
        ->type_name("TARGET");
    command.footer(
        "Copies every signal with its history, actions, measurements, the customers and the mail\n"
        "queue, ids and all, in one transaction: the target gets everything or nothing. The\n"
        "target must be empty: a SQLite file that does not exist yet, a PostgreSQL database\n"
        "without the schema sileram, or one that `sileram init` just made. The source is read as\n"
        "one snapshot while others go on working; an older schema is migrated first, as by any\n"
        "command. Mails that a `close --send` run was sending stay in doubt in the copy and are\n"
        "never sent again.\n"
        "Example (move a team's file to a shared server):\n"
        "  sileram copy signals.db postgresql://sileram@db.example.org/quality");
    return [source, target](Session& session) {
        const storage::CopyCount copied = storage::copy_database(*source, *target);
        const std::string from = storage::display_name(*source);
        const std::string into = storage::display_name(*target);
        if (session.json()) {
            print_json(session, {{"source", from},
                                 {"target", into},
                                 {"signals", copied.signals},
                                 {"rows", copied.rows}});
        } else if (!session.quiet()) {
            session.out() << fmt::format("copied {} to {} ({} signals, {} rows)\n", from, into,
                                         copied.signals, copied.rows);
        }
    };
}

} // namespace sileram::commands
