#include "sileram/commands/registry.hpp"

namespace sileram::commands {

Runner define_init(CLI::App& command);
Runner define_submit(CLI::App& command);
Runner define_triage(CLI::App& command);
Runner define_answer(CLI::App& command);
Runner define_impact(CLI::App& command);
Runner define_root_cause(CLI::App& command);
Runner define_act(CLI::App& command);
Runner define_measure(CLI::App& command);
Runner define_close(CLI::App& command);
Runner define_list(CLI::App& command);
Runner define_show(CLI::App& command);
Runner define_export(CLI::App& command);
Runner define_backup(CLI::App& command);
Runner define_copy(CLI::App& command);
Runner define_report(CLI::App& command);
Runner define_customer(CLI::App& command);
Runner define_project(CLI::App& command);
Runner define_completion(CLI::App& command);

namespace {

// clang-format off
constexpr CommandEntry k_commands[] = {
    {"init",       "Create the database and print a commented sample config",       define_init},
    {"submit",     "Step 1: submit a signal, or join an existing one",              define_submit},
    {"triage",     "Step 2: quality check: accept, reject, duplicate, or ask",      define_triage},
    {"answer",     "Step 2: the submitter's answer to a question of triage",        define_answer},
    {"impact",     "Steps 3-4: impact analysis, then go, drop or park",             define_impact},
    {"root-cause", "Step 5: the real cause, from the customer's perspective",       define_root_cause},
    {"act",        "Steps 6-8: actions, business case, go/no-go, execution",        define_act},
    {"measure",    "Step 9: measure the effect against the step-3 baseline",        define_measure},
    {"close",      "Step 10: close and queue feedback mail to every submitter",     define_close},
    {"list",       "List signals, filtered and sorted",                             define_list},
    {"show",       "Everything about one signal",                                   define_show},
    {"report",     "Reports: impact, fields, funnel, effect, customers, overdue, response", define_report},
    {"customer",   "The customers table: size (revenue) for report customers",      define_customer},
    {"project",    "Customers' projects: add and list; see report scope",          define_project},
    {"export",     "Every signal with all its data, as JSON lines or CSV",          define_export},
    {"backup",     "Copy the database to a new file, consistent while others write", define_backup},
    {"copy",       "Copy a whole database into an empty one, SQLite <-> PostgreSQL", define_copy},
    {"completion", "Print a shell completion script for bash, zsh or fish",          define_completion},
};
// clang-format on

} // namespace

std::span<const CommandEntry> all_commands() {
    return k_commands;
}

} // namespace sileram::commands
