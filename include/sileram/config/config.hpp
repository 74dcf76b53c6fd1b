#pragma once

#include "sileram/domain/fields.hpp"
#include "sileram/domain/figures.hpp"
#include "sileram/domain/reports.hpp"
#include "sileram/domain/targets.hpp"
#include "sileram/domain/workflow.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sileram::config {

struct MailSettings {
    std::string from = "sileram <sileram@localhost>";
    std::string url = "smtp://localhost:25";
    bool url_given = false; // the configuration set mail.url; `close --send` needs it set
    std::string username;
    std::string password_env = "SILERAM_SMTP_PASSWORD";
    std::filesystem::path templates;   // empty: the built-in templates
    bool starttls = false;             // smtp:// only: refuse to send unless STARTTLS succeeds
    std::vector<domain::State> notify; // states that queue a progress mail when reached
    bool acknowledge = false;          // a new submitter gets a mail that the signal arrived
};

// The response targets of [targets]: how soon the people who wait hear from us.
using TargetSettings = domain::Targets;

// Who runs sileram, so that `submit` need not be told each time.
struct UserSettings {
    std::string email; // `submit` without --by files under it; empty: not set
};

// Everything the TOML configuration can set; defaults apply where it is silent or absent.
struct Config {
    std::optional<std::filesystem::path> source; // the file it came from, if any
    std::optional<std::filesystem::path> database_path;
    std::vector<domain::FieldRule> fields;
    domain::ImpactSettings impact;
    MailSettings mail;
    domain::ReportSettings reports;
    TargetSettings targets;
    UserSettings user;
};

// Reads and checks a configuration file. Throws InvalidInput naming file, line and key for a
// syntax error, an unknown key, a wrong type or a value out of range.
Config load_config(const std::filesystem::path& file);

// Parses configuration text; `origin` names it in messages.
Config parse_config(std::string_view text, const std::filesystem::path& origin);

// The days a signal may spend in each step of `report funnel` that has a target: step 1, from
// submit to the first verdict or question, takes targets.first_response_days (else the days_in
// of submitted); any other step the sum of [targets.days_in] over the states it passes on the
// way to closed (step 8: in-progress and implemented), when each of them has one.
domain::StepTargets step_targets(const TargetSettings& targets);

// Which file to read: `explicit_path`, else $SILERAM_CONFIG, else ./sileram.toml, else
// $XDG_CONFIG_HOME/sileram/config.toml (or ~/.config/…). nullopt when none exists; an explicit
// path or $SILERAM_CONFIG that does not exist is an error.
std::optional<std::filesystem::path> find_config(const std::optional<std::string>& explicit_path);

// A complete configuration with every key commented, as `init` prints it.
std::string_view sample_config();

} // namespace sileram::config
