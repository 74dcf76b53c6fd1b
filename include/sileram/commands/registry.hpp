#pragma once

#include <functional>
#include <span>
#include <string_view>

namespace CLI {
class App;
}

namespace sileram::commands {

class Session;

// What a parsed command does once the session exists.
using Runner = std::function<void(Session&)>;
// Adds a command's options and arguments to its CLI11 subcommand; returns how to run it.
using Define = Runner (*)(CLI::App& command);

struct CommandEntry {
    std::string_view name;
    std::string_view summary;
    Define define;
};

// Every command, in the order of the ten steps; also the order of `--help`.
std::span<const CommandEntry> all_commands();

// The reports `sileram report` makes, by the name it takes; also offered by shell completion.
std::span<const std::string_view> report_names();

} // namespace sileram::commands
