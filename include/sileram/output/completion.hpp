#pragma once

#include <string>
#include <vector>

// Shell completion scripts for bash, zsh and fish from a plain description of the command line,
// so the scripts follow the commands and options sileram actually has.
namespace sileram::output {

// What may follow an option or stand as a command's first argument.
enum class ValueKind {
    none,  // a flag: takes no value
    text,  // a value with no list to offer
    file,  // a file name
    words, // one of `values`
};

struct CompletionOption {
    std::vector<std::string> names; // "--state", "-q", "--quiet"
    std::string help;
    ValueKind kind = ValueKind::none;
    std::vector<std::string> values; // for ValueKind::words
};

struct CompletionCommand {
    std::string name;
    std::string summary;
    std::vector<CompletionOption> options;
    ValueKind argument = ValueKind::none; // the first positional argument
    std::vector<std::string> arguments;   // its values, for ValueKind::words
};

struct CompletionModel {
    std::string program;                   // "sileram"
    std::vector<CompletionOption> globals; // accepted before and after the command
    std::vector<CompletionCommand> commands;
};

// A script for `source` or bash-completion's completions folder: `complete -F _PROGRAM PROGRAM`.
std::string bash_completion(const CompletionModel& model);
// A script for zsh's fpath, named _PROGRAM (#compdef), built on _arguments.
std::string zsh_completion(const CompletionModel& model);
// A script for fish's vendor_completions.d: one `complete -c PROGRAM` line per choice.
std::string fish_completion(const CompletionModel& model);

} // namespace sileram::output
