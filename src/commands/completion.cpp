#include "sileram/output/completion.hpp"

#include "sileram/commands/registry.hpp"
#include "sileram/commands/session.hpp"
#include "sileram/domain/figures.hpp"
#include "sileram/domain/workflow.hpp"

#include <CLI/CLI.hpp>
#include <ostream>

namespace sileram::commands {

namespace {

constexpr std::string_view k_shells[] = {"bash", "zsh", "fish"};

std::vector<std::string> words(std::span<const std::string_view> names) {
    return {names.begin(), names.end()};
}

// The values an option offers, where sileram knows them: states, impact classes, shells;
// file names where its value is a file (its value name ends in FILE, as in --db FILE).
void describe_values(const CLI::Option& option, output::CompletionOption& described) {
    if (option.get_expected_max() == 0) {
        return; // a flag
    }
    described.kind = output::ValueKind::text;
    const std::string type = option.get_type_name();
    if (type.ends_with("FILE") || type == "DIR") {
        described.kind = output::ValueKind::file;
    }
    const auto& names = option.get_lnames();
    const auto has = [&](std::string_view name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    if (has("state")) {
        described.kind = output::ValueKind::words;
        for (const domain::StateInfo& state : domain::k_states) {
            described.values.emplace_back(state.name);
        }
    } else if (has("class")) {
        described.kind = output::ValueKind::words;
        for (const auto impact_class :
             {domain::ImpactClass::high, domain::ImpactClass::medium, domain::ImpactClass::low}) {
            described.values.emplace_back(domain::to_string(impact_class));
        }
    }
}

output::CompletionOption describe_option(const CLI::Option& option) {
    output::CompletionOption described;
    for (const std::string& name : option.get_snames()) {
        described.names.push_back("-" + name);
    }
    for (const std::string& name : option.get_lnames()) {
        described.names.push_back("--" + name);
    }
    described.help = option.get_description();
    describe_values(option, described);
    return described;
}

bool is_global(const output::CompletionModel& model, const output::CompletionOption& option) {
    for (const output::CompletionOption& global : model.globals) {
        if (global.names == option.names) {
            return true;
        }
    }
    return false;
}

// `list --channel phone`: the configured fields filter list and report, with their allowed
// values when the configuration names them.
void add_field_filters(const config::Config& config, output::CompletionCommand& command) {
    for (const domain::FieldRule& rule : config.fields) {
        output::CompletionOption option;
        option.names = {"--" + rule.name};
        option.help = "Only signals with this " + rule.name;
        option.kind = rule.allowed.empty() ? output::ValueKind::text : output::ValueKind::words;
        option.values = rule.allowed;
        command.options.push_back(std::move(option));
    }
}

// The command line as CLI11 holds it: every command, its options and its first argument.
output::CompletionModel describe(const CLI::App& app, const config::Config& config) {
    output::CompletionModel model;
    model.program = app.get_name();
    for (const CLI::Option* option : app.get_options()) {
        if (!option->get_positional() && option != app.get_version_ptr()) {
            model.globals.push_back(describe_option(*option));
        }
    }
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        output::CompletionCommand command;
        command.name = sub->get_name();
        command.summary = sub->get_description();
        bool first_argument = true;
        for (const CLI::Option* option : sub->get_options()) {
            if (option->get_positional()) {
                if (first_argument) {
                    output::CompletionOption argument;
                    describe_values(*option, argument);
                    command.argument = argument.kind;
                }
                first_argument = false;
                continue;
            }
            output::CompletionOption described = describe_option(*option);
            if (!is_global(model, described)) {
                command.options.push_back(std::move(described));
            }
        }
        if (command.name == "report") {
            command.argument = output::ValueKind::words;
            command.arguments = words(report_names());
        } else if (command.name == "completion") {
            command.argument = output::ValueKind::words;
            command.arguments = words(k_shells);
        }
        if (sub->get_allow_extras()) {
            add_field_filters(config, command);
        }
        model.commands.push_back(std::move(command));
    }
    return model;
}

} // namespace

Runner define_completion(CLI::App& command) {
    auto shell = std::make_shared<std::string>();
    command.add_option("shell", *shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember(words(k_shells)));
    command.footer("Examples:\n"
                   "  source <(sileram completion bash)\n"
                   "  sileram completion fish > ~/.config/fish/completions/sileram.fish\n"
                   "The Debian package installs all three; the script offers the fields and "
                   "values of the configuration found when it was generated.");
    const CLI::App* app = &command;
    return [shell, app](Session& session) {
        const output::CompletionModel model = describe(*app->get_parent(), session.config());
        if (*shell == "bash") {
            session.out() << output::bash_completion(model);
        } else if (*shell == "zsh") {
            session.out() << output::zsh_completion(model);
        } else {
            session.out() << output::fish_completion(model);
        }
    };
}

} // namespace sileram::commands
