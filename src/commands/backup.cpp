#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/errors.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

namespace sileram::commands {

Runner define_backup(CLI::App& command) {
    auto target = std::make_shared<std::string>();
    command.add_option("file", *target, "The new file to write the copy to; it must not exist")
        ->required()
        ->type_name("FILE");
    command.footer("The copy is one consistent snapshot, taken while others go on working.\n"
                   "Example (cron):\n  sileram backup /backups/signals-$(date +%F).db");
    return [target](Session& session) {
        const std::filesystem::path file(*target);
        if (file.has_parent_path() && !std::filesystem::is_directory(file.parent_path())) {
            throw InvalidInput(fmt::format("{}: the folder {} does not exist", file.string(),
                                           file.parent_path().string()));
        }
        // The session refuses a missing database with the same words as every command.
        storage::Store& store = session.store(storage::Access::read);
        const std::int64_t pages = store.backup_to(file);
        if (session.json()) {
            print_json(session, {{"database", session.database_path().string()},
                                 {"backup", file.string()},
                                 {"pages", pages}});
        } else if (!session.quiet()) {
            session.out() << fmt::format("backed up {} to {} ({} pages, integrity ok)\n",
                                         session.database_path().string(), file.string(), pages);
        }
    };
}

} // namespace sileram::commands
