#include "sileram/config/config.hpp"

#include "sileram/domain/fields.hpp"
#include "sileram/domain/limits.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/domain/workflow.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <toml++/toml.h>

namespace sileram::config {

namespace {

namespace fs = std::filesystem;
using domain::Decimal;
using sileram::InvalidInput;

enum class Kind { string, integer, number, string_list, number_pair, boolean };

struct Key {
    std::string_view section;
    std::string_view name;
    Kind kind;
};

// Every key the configuration knows; [fields] takes any field name with a list of strings.
// clang-format off
constexpr Key k_keys[] = {
    {"database", "path",               Kind::string},
    {"database", "url",                Kind::string},
    {"impact",   "currency",           Kind::string},
    {"impact",   "cost_per_contact",   Kind::number},
    {"impact",   "period",             Kind::string},
    {"impact",   "high",               Kind::integer},
    {"impact",   "medium",             Kind::integer},
    {"impact",   "satisfaction_scale", Kind::number_pair},
    {"mail",     "from",               Kind::string},
    {"mail",     "url",                Kind::string},
    {"mail",     "username",           Kind::string},
    {"mail",     "password_env",       Kind::string},
    {"mail",     "templates",          Kind::string},
    {"mail",     "starttls",           Kind::boolean},
    {"mail",     "notify",             Kind::string_list},
    {"mail",     "acknowledge",        Kind::boolean},
    {"reports",  "stale_days",               Kind::integer},
    {"reports",  "silent_days",              Kind::integer},
    {"reports",  "disproportion",            Kind::number},
    {"reports",  "care_window_days",         Kind::integer},
    {"reports",  "care_signals",             Kind::integer},
    {"reports",  "many_contacts",            Kind::integer},
    {"reports",  "high_satisfaction_impact", Kind::integer},
    {"reports",  "rows",                     Kind::integer},
    {"targets",  "first_response_days",      Kind::integer},
    {"targets",  "answer_days",              Kind::integer},
    {"user",     "email",                    Kind::string},
};
// clang-format on

constexpr std::string_view k_sections[] = {"database", "fields",  "impact", "mail",
                                           "reports",  "targets", "user"};

std::string_view kind_name(Kind kind) {
    switch (kind) {
    case Kind::string:
        return "a string";
    case Kind::integer:
        return "a whole number";
    case Kind::number:
        return "a number";
    case Kind::string_list:
        return "a list of strings";
    case Kind::number_pair:
        return "a list of two numbers";
    case Kind::boolean:
        return "true or false";
    }
    return "?";
}

// Builds the located error every bad key or value gets.
struct Reporter {
    const fs::path& origin;

    [[noreturn]] void fail(const toml::source_region& where, std::string_view key,
                           const std::string& what) const {
        throw InvalidInput(
            fmt::format("{}:{}: {}: {}", origin.string(), where.begin.line, key, what));
    }
};

Decimal to_decimal(const toml::node& node, const Reporter& report, std::string_view key) {
    if (const auto* i = node.as_integer()) {
        if (auto d = Decimal::parse(std::to_string(i->get()))) {
            return *d;
        }
    } else if (const auto* f = node.as_floating_point()) {
        if (std::isfinite(f->get())) {
            if (auto d = Decimal::parse(fmt::format("{}", f->get()))) {
                return *d;
            }
            if (std::fabs(f->get()) > Decimal::largest().to_double()) {
                report.fail(node.source(), key,
                            fmt::format("{} is too large; at most {}", f->get(),
                                        Decimal::largest().to_string()));
            }
        }
    }
    if (const auto* i = node.as_integer()) {
        report.fail(
            node.source(), key,
            fmt::format("{} is too large; at most {}", i->get(), Decimal::largest().to_string()));
    }
    report.fail(node.source(), key, "must be a number with at most two decimals");
}

std::string_view toml_type_name(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "a whole number";
    case toml::node_type::floating_point:
        return "a number";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::array:
        return "a list";
    case toml::node_type::table:
        return "a table";
    default:
        return "a date or time";
    }
}

void check_kind(const toml::node& node, Kind kind, const Reporter& report, std::string_view key) {
    bool fits = false;
    switch (kind) {
    case Kind::string:
        fits = node.is_string();
        break;
    case Kind::integer:
        fits = node.is_integer();
        break;
    case Kind::number:
        fits = node.is_integer() || node.is_floating_point();
        break;
    case Kind::string_list:
        fits = node.is_array() && node.as_array()->is_homogeneous(toml::node_type::string);
        fits = fits || (node.is_array() && node.as_array()->empty());
        break;
    case Kind::number_pair:
        fits = node.is_array() && node.as_array()->size() == 2;
        if (fits) {
            for (const toml::node& item : *node.as_array()) {
                fits = fits && (item.is_integer() || item.is_floating_point());
            }
        }
        break;
    case Kind::boolean:
        fits = node.is_boolean();
        break;
    }
    if (!fits) {
        report.fail(node.source(), key,
                    fmt::format("must be {}, not {}", kind_name(kind), toml_type_name(node)));
    }
}

std::string string_value(const toml::node& node, const Reporter& report, std::string_view key) {
    std::string value = *node.value<std::string>();
    if (!domain::is_valid_utf8(value) ||
        value.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos) {
        report.fail(node.source(), key, "must be one line of text");
    }
    return value;
}

// Progress mails are for the open states; closing and a question send their own mails.
bool notify_allowed(domain::State state) {
    using domain::State;
    return state != State::submitted && state != State::closed && state != State::rejected &&
           state != State::duplicate && state != State::dropped && state != State::needs_info;
}

std::string notify_state_names() {
    std::string names;
    for (const domain::StateInfo& info : domain::all_states()) {
        if (notify_allowed(info.state)) {
            names += (names.empty() ? "" : ", ") + std::string(info.name);
        }
    }
    return names;
}

// A whole number of [reports] within [lowest, highest].
std::int64_t whole_in(const toml::node& node, const Reporter& report, std::string_view key,
                      std::int64_t lowest, std::int64_t highest) {
    const std::int64_t value = *node.value<std::int64_t>();
    if (value < lowest || value > highest) {
        report.fail(node.source(), key,
                    fmt::format("{} is out of range; give a whole number from {} to {}", value,
                                lowest, highest));
    }
    return value;
}

void apply_reports_key(domain::ReportSettings& r, const std::string& name, const toml::node& node,
                       const Reporter& report) {
    constexpr std::int64_t k_ten_years = 3650;
    constexpr std::int64_t k_most = 1'000'000'000;
    if (name == "reports.stale_days") {
        r.stale_days = static_cast<int>(whole_in(node, report, name, 1, k_ten_years));
    } else if (name == "reports.silent_days") {
        r.silent_days = static_cast<int>(whole_in(node, report, name, 1, k_ten_years));
    } else if (name == "reports.care_window_days") {
        r.care_window_days = static_cast<int>(whole_in(node, report, name, 1, k_ten_years));
    } else if (name == "reports.care_signals") {
        r.care_signals = static_cast<int>(whole_in(node, report, name, 1, k_most));
    } else if (name == "reports.many_contacts") {
        r.many_contacts = whole_in(node, report, name, 0, k_most);
    } else if (name == "reports.high_satisfaction_impact") {
        r.high_satisfaction_impact = static_cast<int>(whole_in(node, report, name, 1, 5));
    } else if (name == "reports.rows") {
        r.rows = static_cast<int>(whole_in(node, report, name, 0, k_most));
    }
}

void apply_key(Config& config, const Key& key, const toml::node& node, const Reporter& report) {
    const std::string name = fmt::format("{}.{}", key.section, key.name);
    check_kind(node, key.kind, report, name);
    domain::ImpactSettings& impact = config.impact;
    if (name == "database.path" || name == "database.url") {
        config.database_path = fs::path(string_value(node, report, name));
    } else if (name == "impact.currency") {
        impact.currency = string_value(node, report, name);
        if (impact.currency.empty() || impact.currency.size() > 8) {
            report.fail(node.source(), name, "must be a currency code such as EUR");
        }
    } else if (name == "impact.cost_per_contact") {
        impact.cost_per_contact = to_decimal(node, report, name);
        if (impact.cost_per_contact.hundredths() < 0) {
            report.fail(node.source(), name, "must not be negative");
        }
        if (impact.cost_per_contact > domain::k_max_cost_per_contact) {
            report.fail(node.source(), name,
                        fmt::format("{} is too large; a contact costs at most {}",
                                    impact.cost_per_contact.to_string(),
                                    domain::k_max_cost_per_contact.to_string()));
        }
    } else if (name == "impact.period") {
        impact.period = string_value(node, report, name);
        const auto per_year = domain::periods_per_year(impact.period);
        if (!per_year) {
            report.fail(node.source(), name,
                        fmt::format("'{}' is not a period; use day, week, month, quarter or year",
                                    impact.period));
        }
        impact.periods_per_year = *per_year;
    } else if (name == "impact.high" || name == "impact.medium") {
        const std::int64_t value = *node.value<std::int64_t>();
        if (value < 0) {
            report.fail(node.source(), name, "must not be negative");
        }
        (name == "impact.high" ? impact.high : impact.medium) = value;
    } else if (name == "impact.satisfaction_scale") {
        const toml::array& pair = *node.as_array();
        impact.satisfaction_min = to_decimal(*pair.get(0), report, name);
        impact.satisfaction_max = to_decimal(*pair.get(1), report, name);
        if (!(impact.satisfaction_min < impact.satisfaction_max)) {
            report.fail(node.source(), name, "must be [lowest, highest] with lowest < highest");
        }
        const Decimal most = domain::k_max_satisfaction;
        if (impact.satisfaction_min < Decimal() - most || most < impact.satisfaction_max) {
            report.fail(
                node.source(), name,
                fmt::format("must lie within -{} and {}", most.to_string(), most.to_string()));
        }
    } else if (name == "user.email") {
        config.user.email = string_value(node, report, name);
        try {
            domain::require_email(config.user.email, "the address");
        } catch (const InvalidInput& e) {
            report.fail(node.source(), name, e.what());
        }
    } else if (name == "mail.from") {
        config.mail.from = string_value(node, report, name);
    } else if (name == "mail.url") {
        config.mail.url = string_value(node, report, name);
        config.mail.url_given = true;
        const std::string& url = config.mail.url;
        if (url.rfind("smtp://", 0) != 0 && url.rfind("smtps://", 0) != 0 &&
            url.rfind("file://", 0) != 0) {
            report.fail(node.source(), name,
                        fmt::format("'{}' must start with smtp://, smtps:// or file://", url));
        }
    } else if (name == "mail.username") {
        config.mail.username = string_value(node, report, name);
    } else if (name == "mail.password_env") {
        config.mail.password_env = string_value(node, report, name);
    } else if (name == "mail.templates") {
        config.mail.templates = fs::path(string_value(node, report, name));
    } else if (name == "mail.starttls") {
        config.mail.starttls = *node.value<bool>();
    } else if (name == "mail.notify") {
        config.mail.notify.clear();
        for (const toml::node& item : *node.as_array()) {
            const std::string state_name = string_value(item, report, name);
            const auto state = domain::parse_state(state_name);
            if (!state || !notify_allowed(*state)) {
                report.fail(item.source(), name,
                            fmt::format("'{}' is not a state a signal passes on its way; use "
                                        "some of {}",
                                        state_name, notify_state_names()));
            }
            if (std::find(config.mail.notify.begin(), config.mail.notify.end(), *state) ==
                config.mail.notify.end()) {
                config.mail.notify.push_back(*state);
            }
        }
    } else if (name == "mail.acknowledge") {
        config.mail.acknowledge = *node.value<bool>();
    } else if (name == "targets.first_response_days") {
        constexpr std::int64_t k_a_year = 365;
        config.targets.first_response_days =
            static_cast<int>(whole_in(node, report, name, 0, k_a_year));
    } else if (name == "targets.answer_days") {
        constexpr std::int64_t k_a_year = 365;
        config.targets.answer_days = static_cast<int>(whole_in(node, report, name, 0, k_a_year));
    } else if (name == "reports.disproportion") {
        config.reports.disproportion = to_decimal(node, report, name);
        if (config.reports.disproportion.hundredths() <= 0) {
            report.fail(node.source(), name, "must be a number above 0, such as 2");
        }
    } else if (key.section == "reports") {
        apply_reports_key(config.reports, name, node, report);
    }
}

// [targets.days_in]: per state, the whole days a signal may stay in it.
void apply_days_in(Config& config, const toml::node& node, const Reporter& report) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
        report.fail(node.source(), "targets.days_in", "must be a table ([targets.days_in])");
    }
    constexpr std::int64_t k_ten_years = 3650;
    for (auto&& [key, value] : *table) {
        const std::string name = fmt::format("targets.days_in.{}", key.str());
        const auto state = domain::parse_state(key.str());
        if (!state || *state == domain::State::closed) {
            std::vector<std::string_view> names;
            for (const auto& info : domain::all_states()) {
                if (info.state != domain::State::closed) {
                    names.push_back(info.name);
                }
            }
            const std::string guess = domain::closest_name(key.str(), names);
            report.fail(key.source(), name,
                        fmt::format("'{}' is not a state a signal waits in{}; use one of {}",
                                    key.str(), guess.empty() ? "" : "; did you mean " + guess + "?",
                                    fmt::join(names, ", ")));
        }
        check_kind(value, Kind::integer, report, name);
        config.targets.days_in[*state] =
            static_cast<int>(whole_in(value, report, name, 0, k_ten_years));
    }
}

void apply_fields(Config& config, const toml::table& fields, const Reporter& report) {
    for (auto&& [key, node] : fields) {
        const std::string name = fmt::format("fields.{}", key.str());
        try {
            domain::require_field_name(std::string(key.str()));
        } catch (const InvalidInput& e) {
            report.fail(key.source(), name, e.what());
        }
        check_kind(node, Kind::string_list, report, name);
        domain::FieldRule rule{std::string(key.str()), {}};
        for (const toml::node& value : *node.as_array()) {
            rule.allowed.push_back(string_value(value, report, name));
        }
        config.fields.push_back(std::move(rule));
    }
}

// The key a "key = value" line defines, for naming it in a syntax error; empty if none.
std::string key_on_line(std::string_view text, std::size_t line) {
    std::size_t start = 0;
    for (std::size_t n = 1; n < line && start != std::string_view::npos; ++n) {
        start = text.find('\n', start);
        start = start == std::string_view::npos ? start : start + 1;
    }
    if (start == std::string_view::npos) {
        return {};
    }
    const std::string_view row = text.substr(start, text.find('\n', start) - start);
    const auto eq = row.find('=');
    if (eq == std::string_view::npos) {
        return {};
    }
    std::string_view key = row.substr(0, eq);
    const auto first = key.find_first_not_of(" \t");
    const auto last = key.find_last_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    key = key.substr(first, last - first + 1);
    const bool plain = std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    return plain ? std::string(key) : std::string();
}

} // namespace

Config parse_config(std::string_view text, const fs::path& origin) {
    const Reporter report{origin};
    toml::table root;
    try {
        root = toml::parse(text, origin.string());
    } catch (const toml::parse_error& e) {
        const auto line = e.source().begin.line;
        const std::string key = key_on_line(text, line);
        throw InvalidInput(fmt::format("{}:{}: {}{}", origin.string(), line,
                                       key.empty() ? "" : key + ": ", e.description()));
    }
    Config config;
    config.source = origin;
    for (auto&& [section_key, section_node] : root) {
        const std::string section{section_key.str()};
        const toml::table* table = section_node.as_table();
        const bool known = std::find(std::begin(k_sections), std::end(k_sections), section) !=
                           std::end(k_sections);
        if (!known) {
            const std::string guess = domain::closest_name(section, k_sections);
            report.fail(section_key.source(), section,
                        "unknown section" +
                            (guess.empty() ? "" : "; did you mean [" + guess + "]?"));
        }
        if (table == nullptr) {
            report.fail(section_node.source(), section, "must be a table ([" + section + "])");
        }
        if (section == "fields") {
            apply_fields(config, *table, report);
            continue;
        }
        for (auto&& [key, node] : *table) {
            if (section == "targets" && key.str() == "days_in") {
                apply_days_in(config, node, report);
                continue;
            }
            const Key* match = nullptr;
            std::vector<std::string_view> names;
            for (const Key& candidate : k_keys) {
                if (candidate.section == section) {
                    names.push_back(candidate.name);
                    if (candidate.name == key.str()) {
                        match = &candidate;
                    }
                }
            }
            const std::string name = fmt::format("{}.{}", section, key.str());
            if (match == nullptr) {
                const std::string guess = domain::closest_name(key.str(), names);
                report.fail(key.source(), name,
                            guess.empty()
                                ? std::string("unknown key")
                                : fmt::format("unknown key; did you mean {}.{}?", section, guess));
            }
            apply_key(config, *match, node, report);
        }
    }
    if (config.impact.medium > config.impact.high) {
        const toml::node* medium = root.at_path("impact.medium").node();
        const toml::node* high = root.at_path("impact.high").node();
        const toml::node* where = medium != nullptr ? medium : high;
        report.fail(where->source(), medium != nullptr ? "impact.medium" : "impact.high",
                    fmt::format("impact.medium ({}) must not exceed impact.high ({})",
                                config.impact.medium, config.impact.high));
    }
    return config;
}

Config load_config(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw InvalidInput(fmt::format("{}: cannot read the configuration file", file.string()));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), file);
}

domain::StepTargets step_targets(const TargetSettings& targets) {
    // The states a signal passes on the way to closed, each with its step; the side states
    // (needs-info, parked, rejected, ...), which k_states lists after closed, are no part of a
    // step's expected stay.
    std::map<int, std::vector<domain::State>> path;
    for (const domain::StateInfo& info : domain::k_states) {
        if (info.state == domain::State::closed) {
            break;
        }
        path[info.step].push_back(info.state);
    }
    domain::StepTargets steps;
    for (const auto& [step, states] : path) {
        std::optional<int> days = 0;
        for (const domain::State state : states) {
            const auto found = targets.days_in.find(state);
            days = found == targets.days_in.end() || !days ? std::nullopt
                                                           : std::optional(*days + found->second);
        }
        if (days) {
            steps[step] = *days;
        }
    }
    if (targets.first_response_days) {
        steps[1] = *targets.first_response_days;
    }
    return steps;
}

std::optional<fs::path> find_config(const std::optional<std::string>& explicit_path) {
    const char* from_env = std::getenv("SILERAM_CONFIG");
    if (explicit_path || (from_env != nullptr && *from_env != '\0')) {
        const fs::path path = explicit_path ? fs::path(*explicit_path) : fs::path(from_env);
        if (!fs::exists(path)) {
            throw InvalidInput(fmt::format("{}: configuration file not found ({})", path.string(),
                                           explicit_path ? "--config" : "$SILERAM_CONFIG"));
        }
        return path;
    }
    if (fs::exists("sileram.toml")) {
        return fs::path("sileram.toml");
    }
    fs::path base;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
        base = xdg;
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        base = fs::path(home) / ".config";
    }
    if (!base.empty() && fs::exists(base / "sileram" / "config.toml")) {
        return base / "sileram" / "config.toml";
    }
    return std::nullopt;
}

std::string_view sample_config() {
    return R"(# sileram configuration. Found as --config FILE, else $SILERAM_CONFIG, else ./sileram.toml,
# else $XDG_CONFIG_HOME/sileram/config.toml. Every key is optional; the values below are the defaults
# unless marked as an example.

[database]
# The SQLite file; --db and $SILERAM_DB take precedence.
# path = "sileram.db"

[fields]
# A field listed here is required at submit; a non-empty list limits it to those values.
# Without this section every field is optional free text. Examples:
# channel = ["phone", "email", "chat", "letter", "social"]
# process = ["ordering", "delivery", "billing", "support", "cancellation"]
# product = []

[impact]
currency = "EUR"
# Money one customer contact costs, when `impact --cost-per-contact` is not given (at most 10000).
cost_per_contact = 10.0
# What --contacts counts per: day, week, month, quarter or year.
period = "month"
# Impact score (contacts x satisfaction impact 1-5) from which a signal is high or medium.
high = 5000
medium = 1000
# The scale of --satisfaction scores, lowest and highest (within -1000 and 1000).
satisfaction_scale = [1, 10]

[mail]
from = "sileram <sileram@localhost>"
# smtp://host:port, smtps://host:port, or file:///path/to/outbox for .eml files.
url = "smtp://localhost:25"
username = ""
# The environment variable that holds the SMTP password; it is never stored.
password_env = "SILERAM_SMTP_PASSWORD"
# A folder with closed.mustache, rejected.mustache, dropped.mustache, duplicate.mustache,
# progress.mustache, acknowledged.mustache and needs-info.mustache (relative to this file); a
# file that is missing, or no folder, means the built-in English template.
# templates = "templates"
# smtp:// only: true refuses to send unless the server offers STARTTLS (smtps:// is TLS anyway).
starttls = false
# Progress mails: the states that, once a signal reaches them, queue a mail to its submitters.
# Any of accepted, analysed, prioritised, parked, root-caused, planned, approved, in-progress,
# implemented, measured. Empty: no progress mails. Example:
# notify = ["accepted", "prioritised", "approved", "implemented"]
notify = []
# true: every new submitter (submit, each row of submit --from, --join) gets a mail that the
# signal arrived, with its number and, with targets.first_response_days, the day they will hear
# by (acknowledged.mustache).
acknowledge = false

[user]
# Your e-mail address: `submit` files signals under it when --by is not given
# ($SILERAM_EMAIL takes precedence). Example:
# email = "anna@example.org"

[reports]
# report overdue: a signal without any change for this many days is stale,
stale_days = 14
# and a submitter of an open signal who has heard nothing for this many days gets a call.
silent_days = 30
# report customers: a customer asks disproportionately when its share of the signals is at
# least this many times its share of the revenue (customers table, `sileram customer`).
disproportion = 2.0
# A care customer has care_signals signals, or one high-impact signal, within the window.
care_window_days = 90
care_signals = 3
# report impact: contacts per period from which a signal has "many" contacts, and the
# satisfaction impact (1-5) from which it is "high": act first, plan, delegate, avoid.
many_contacts = 1000
high_satisfaction_impact = 3
# Rows a report lists unless --limit says otherwise (0: all).
rows = 20

[targets]
# Days from submit until the first verdict or question (a whole number, 0-365); the
# acknowledgement mail names the day. Unset: no target.
# first_response_days = 5
# Days a submitter may take to answer a question of `triage --needs-info` (0-365); past it,
# `report overdue` says so in its section waiting. Unset: no target.
# answer_days = 10

# [targets.days_in]
# Days a signal may stay in a state (a whole number, 0-3650), per state name; past it, the
# signal is late (`list --late`, `show`, `report overdue`). A state not named: no target.
# accepted = 7
# analysed = 14
)";
}

} // namespace sileram::config
