#include "sileram/cli/app.hpp"

#include "sileram/cli/version.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/commands/session.hpp"
#include "sileram/config/config.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/output/terminal.hpp"
#include "sileram/version.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fmt/format.h>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace sileram::cli {

namespace {

namespace fs = std::filesystem;

struct GlobalOptions {
    std::optional<std::string> db;
    std::optional<std::string> config;
    std::optional<std::string> actor;
    bool json = false;
    bool quiet = false;
    bool no_pager = false;
};

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

std::string_view kind_of(ExitCode code) {
    switch (code) {
    case ExitCode::ok:
        return "ok";
    case ExitCode::refused:
        return "refused";
    case ExitCode::invalid_input:
        return "invalid-input";
    case ExitCode::temporary_failure:
        return "temporary-failure";
    }
    return "error";
}

int report_error(ExitCode code, const std::string& message, bool json) {
    if (json) {
        const nlohmann::ordered_json error{
            {"error",
             {{"code", static_cast<int>(code)}, {"kind", kind_of(code)}, {"message", message}}}};
        std::cerr << error.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                  << '\n';
    } else {
        // A message may quote a stored or given value: no control character reaches the terminal.
        std::cerr << "sileram: error: " << domain::printable(message, domain::Lines::multi) << '\n';
    }
    return static_cast<int>(code);
}

std::unique_ptr<commands::Clock> make_clock() {
    const std::string pinned = environment("SILERAM_NOW");
    if (pinned.empty()) {
        return std::make_unique<commands::SystemClock>();
    }
    const auto at = domain::parse_timestamp(pinned);
    if (!at) {
        throw InvalidInput(fmt::format("SILERAM_NOW {} is not an ISO 8601 time such as "
                                       "2026-11-23T12:00:00Z",
                                       domain::quote_value(pinned)));
    }
    return std::make_unique<commands::FixedClock>(*at);
}

std::string actor(const GlobalOptions& options) {
    std::string name = options.actor.value_or(environment("SILERAM_USER"));
    if (name.empty()) {
        name = environment("USER");
    }
    if (name.empty()) {
        name = "unknown";
    }
    domain::require_clean_text(name, "the actor (--as)", domain::Lines::single);
    return name;
}

fs::path database_path(const GlobalOptions& options, const config::Config& config) {
    if (options.db) {
        return *options.db;
    }
    if (const std::string from_env = environment("SILERAM_DB"); !from_env.empty()) {
        return from_env;
    }
    if (config.database_path) {
        // A relative path in a config file means relative to that file, wherever sileram runs.
        if (config.database_path->is_relative() && config.source &&
            !storage::is_database_uri(config.database_path->string())) {
            return config.source->parent_path() / *config.database_path;
        }
        return *config.database_path;
    }
    return "sileram.db";
}

// "did you mean" for a mistyped command, the first word that is not an option.
std::string suggest_command(int argc, char** argv) {
    std::vector<std::string_view> names;
    for (const auto& c : commands::all_commands()) {
        names.push_back(c.name);
    }
    constexpr std::string_view k_valued_globals[] = {"--db", "--config", "--as"};
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (std::find(std::begin(k_valued_globals), std::end(k_valued_globals), word) !=
            std::end(k_valued_globals)) {
            ++i; // its value is not a command
            continue;
        }
        if (word.empty() || word.front() == '-') {
            continue;
        }
        if (std::find(names.begin(), names.end(), word) != names.end()) {
            return {};
        }
        const std::string guess = domain::closest_name(word, names);
        return fmt::format("{} is not a sileram command{}", domain::quote_value(word),
                           guess.empty() ? "; see sileram --help"
                                         : "; did you mean " + guess + "?");
    }
    return {};
}

// The first word that is neither an option nor the value of a global option, or empty.
std::string_view first_command_word(int argc, char** argv) {
    constexpr std::string_view k_valued_globals[] = {"--db", "--config", "--as"};
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (std::find(std::begin(k_valued_globals), std::end(k_valued_globals), word) !=
            std::end(k_valued_globals)) {
            ++i;
            continue;
        }
        if (!word.empty() && word.front() != '-') {
            return word;
        }
    }
    return {};
}

// CLI11's words for the usage errors a person meets most, said the way sileram says things.
std::string usage_message(const CLI::ParseError& e, int argc, char** argv) {
    if (std::string hint = suggest_command(argc, argv); !hint.empty()) {
        return hint;
    }
    std::string what = e.what();
    if (first_command_word(argc, argv).empty()) {
        constexpr std::string_view k_globals[] = {"--db",      "--config",  "--as",   "--json",
                                                  "-q",        "--quiet",   "--help", "-h",
                                                  "--version", "--no-pager"};
        for (int i = 1; i < argc; ++i) {
            const std::string_view word = argv[i];
            const std::string_view name = word.substr(0, word.find('='));
            if (word.size() > 1 && word.front() == '-' &&
                std::find(std::begin(k_globals), std::end(k_globals), name) ==
                    std::end(k_globals)) {
                return fmt::format("{} is not an option of sileram; see sileram --help",
                                   domain::quote_value(word));
            }
        }
        return "a command is needed; see sileram --help for the commands";
    }
    const std::string prefix = "The following arguments were not expected: ";
    if (what.rfind(prefix, 0) == 0) {
        return fmt::format("{} is not an option of sileram {}; see sileram {} --help",
                           domain::quote_value(what.substr(prefix.size())),
                           first_command_word(argc, argv), first_command_word(argc, argv));
    }
    return what;
}

// `sileram` alone and `sileram help [COMMAND]`: the usage, or a command's help; nullopt when
// argv asks for neither.
std::optional<int> print_help_page(CLI::App& app, int argc, char** argv) {
    if (argc <= 1) {
        std::cout << app.help();
        return static_cast<int>(ExitCode::invalid_input);
    }
    if (std::string_view(argv[1]) != "help") {
        return std::nullopt;
    }
    if (argc == 2) {
        std::cout << app.help();
        return 0;
    }
    for (CLI::App* command : app.get_subcommands({})) {
        if (command->get_name() == argv[2]) {
            std::cout << command->help();
            return 0;
        }
    }
    std::vector<std::string_view> names;
    for (const auto& c : commands::all_commands()) {
        names.push_back(c.name);
    }
    const std::string guess = domain::closest_name(argv[2], names);
    return report_error(
        ExitCode::invalid_input,
        fmt::format("{} is not a sileram command{}", domain::quote_value(argv[2]),
                    guess.empty() ? "; see sileram help" : "; did you mean " + guess + "?"),
        false);
}

// CLI11's help wrapped at spaces to the terminal's width (COLUMNS, else the tty's, else 80), a
// description going on under its own column rather than breaking words at the terminal's edge.
class WrappingFormatter final : public CLI::Formatter {
public:
    explicit WrappingFormatter(std::size_t width) : m_width(width) {}

    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        return entry(make_option_name(opt, is_positional) + make_option_opts(opt),
                     make_option_desc(opt));
    }
    std::string make_subcommand(const CLI::App* sub) const override {
        return entry(sub->get_display_name(true), sub->get_description());
    }
    std::string make_description(const CLI::App* app) const override {
        const std::string description = CLI::Formatter::make_description(app);
        return description.empty() ? description : wrap(description, 0) + "\n";
    }
    std::string make_footer(const CLI::App* app) const override {
        const std::string footer = app->get_footer();
        return footer.empty() ? footer : wrap(footer, 0) + "\n";
    }

private:
    // Each line of `text` wrapped to the width less `indent`, its own leading spaces kept on
    // every piece, the pieces joined with a line break and `indent` spaces.
    std::string wrap(const std::string& text, std::size_t indent) const {
        std::string out;
        std::size_t start = 0;
        while (start <= text.size()) {
            const std::size_t end = std::min(text.find('\n', start), text.size());
            const std::string_view line(text.data() + start, end - start);
            const std::size_t lead = std::min(line.find_first_not_of(' '), line.size());
            const std::size_t room = m_width > indent + lead + 20 ? m_width - indent - lead : 20;
            for (const std::string& piece : output::wrap_to_width(line.substr(lead), room)) {
                if (!out.empty()) {
                    out += '\n';
                    out.append(indent, ' ');
                }
                out.append(lead, ' ');
                out += piece;
            }
            start = end + 1;
        }
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
            out.pop_back();
        }
        return out;
    }

    std::string entry(const std::string& name, const std::string& description) const {
        const std::size_t column = get_column_width();
        std::string out = "  " + name;
        if (description.empty()) {
            return out + "\n";
        }
        const std::size_t used = output::display_width(out);
        out += used >= column ? "\n" + std::string(column, ' ') : std::string(column - used, ' ');
        return out + wrap(description, column) + "\n";
    }

    std::size_t m_width;
};

std::size_t help_width() {
    constexpr std::size_t k_off_terminal = 80;
    const std::size_t width = output::detect_terminal(STDOUT_FILENO).width;
    return width == output::k_unlimited_width ? k_off_terminal : width;
}

bool wants_json(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--json") {
            return true;
        }
    }
    return false;
}

// Global options are defined on the app and on every command, bound to the same storage, so
// they may stand before or after the command and `list` can still take --FIELD VALUE extras.
// A command lists them after its own options, under their own heading.
void add_global_options(CLI::App& app, GlobalOptions& options,
                        const std::string& group = "Options") {
    app.add_option("--db", options.db,
                   "SQLite file or PostgreSQL URI (else $SILERAM_DB, database.path, ./sileram.db)")
        ->type_name("FILE")
        ->group(group);
    app.add_option("--config", options.config,
                   "TOML config (else $SILERAM_CONFIG, ./sileram.toml, "
                   "$XDG_CONFIG_HOME/sileram/config.toml)")
        ->type_name("FILE")
        ->group(group);
    app.add_option("--as", options.actor,
                   "Who is acting, for the history (else $SILERAM_USER, $USER)")
        ->type_name("NAME")
        ->group(group);
    app.add_flag("--json", options.json, "Machine output on stdout; errors as JSON on stderr")
        ->group(group);
    app.add_flag("-q,--quiet", options.quiet, "Print only what scripts need")->group(group);
    app.add_flag("--no-pager", options.no_pager,
                 "Never page long output (else $SILERAM_PAGER, $PAGER or less -FRX on a terminal)")
        ->group(group);
}

} // namespace

int run(int argc, char** argv) {
    CLI::App app{"sileram: customer signals through the ten improvement steps, in one SQLite file",
                 "sileram"};
    app.set_version_flag("--version", version_text,
                         "Print the version, its git revision, SQLite and libcurl, and exit");
    app.require_subcommand(1);
    // Before the commands are added: each takes its parent's formatter.
    app.formatter(std::make_shared<WrappingFormatter>(help_width()));
    GlobalOptions options;
    add_global_options(app, options);
    app.footer(
        "Exit codes: 0 success, 1 refused (not found, wrong step), 2 usage or invalid input,\n"
        "75 temporary failure (database busy, mail server unreachable): try again later.\n"
        "SILERAM_NOW=ISO-8601 pins the clock. Run sileram help COMMAND for a command's options.");

    std::map<const CLI::App*, commands::Runner> runners;
    for (const commands::CommandEntry& entry : commands::all_commands()) {
        CLI::App* command = app.add_subcommand(std::string(entry.name), std::string(entry.summary));
        runners[command] = entry.define(*command);
        add_global_options(*command, options, "Global options");
    }

    const bool json = wants_json(argc, argv);
    if (const std::optional<int> code = print_help_page(app, argc, argv)) {
        return *code;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return report_error(ExitCode::invalid_input, usage_message(e, argc, argv), json);
    }

    try {
        const auto config_file = config::find_config(options.config);
        config::Config config = config_file ? config::load_config(*config_file) : config::Config{};
        if (const std::string email = environment("SILERAM_EMAIL"); !email.empty()) {
            domain::require_email(email, "$SILERAM_EMAIL");
            config.user.email = email;
        }
        commands::Output output;
        output.format = options.json ? commands::Format::json : commands::Format::text;
        output.verbosity = options.quiet ? commands::Verbosity::quiet : commands::Verbosity::normal;
        output.terminal = output::detect_terminal(STDOUT_FILENO);
        output.paging = options.no_pager ? commands::Paging::off : commands::Paging::on;
        output.out = &std::cout;
        output.err = &std::cerr;
        const fs::path database = database_path(options, config);
        commands::Session session(std::move(config), database, actor(options), make_clock(),
                                  output);
        for (const auto& [command, runner] : runners) {
            if (command->parsed()) {
                runner(session);
                session.finish_output();
            }
        }
        std::cout.flush();
        return std::cout ? 0 : report_error(ExitCode::refused, "cannot write the output", json);
    } catch (const Error& e) {
        return report_error(e.code(), e.what(), json);
    } catch (const std::exception& e) {
        return report_error(ExitCode::refused, fmt::format("unexpected failure: {}", e.what()),
                            json);
    }
}

} // namespace sileram::cli
