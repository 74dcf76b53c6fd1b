#include "sileram/commands/clock.hpp"
#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/customers.hpp"
#include "sileram/domain/projects.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/output/table.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

namespace sileram::commands {

namespace {

constexpr std::string_view k_actions[] = {"add", "list"};

struct ProjectOptions {
    std::string action;
    std::optional<std::string> name;
    std::optional<std::string> customer;
    std::optional<std::string> start;
};

nlohmann::ordered_json project_json(const domain::Project& p) {
    return {{"name", p.name},
            {"customer", p.customer},
            {"start", domain::format_date(p.start)},
            {"starts_at", domain::format_timestamp(p.starts_at)}};
}

void add(Session& session, const ProjectOptions& o) {
    session.allow_creating_database();
    if (!o.name) {
        throw InvalidInput("project add needs a NAME: sileram project add NAME --customer C "
                           "--start DATE");
    }
    if (!o.customer) {
        throw InvalidInput("project add needs --customer C (the customer the project is for)");
    }
    if (!o.start) {
        throw InvalidInput("project add needs --start DATE (the day the project started)");
    }
    const domain::Timestamp now = session.now();
    // A day alone is the local day: the project starts when that day began here, as `today` or
    // `7d` do; a moment (2026-03-01T09:00:00Z) is taken as it is.
    domain::Timestamp starts_at = parse_moment(*o.start, "--start", now);
    if (o.start->size() == 10) {
        const domain::Date day = std::chrono::floor<std::chrono::days>(starts_at);
        starts_at = local_day_start(now, static_cast<int>((local_day(now) - day).count()));
    }
    domain::Project project{domain::project_name(*o.name), domain::customer_name(*o.customer),
                            local_day(starts_at), starts_at, now};
    domain::require_project(project, "");
    storage::Store& store = session.store(storage::Access::write);
    storage::WriteTransaction transaction(store);
    const std::vector<domain::Project> known = store.reports().all_projects();
    if (const domain::Project* taken = domain::find_project(known, project.name)) {
        throw InvalidInput(fmt::format("project {} exists already (as {}, for {}); names are "
                                       "unique ignoring case",
                                       domain::quote_value(project.name),
                                       domain::quote_value(taken->name),
                                       domain::quote_value(taken->customer)));
    }
    store.reports().add_project(project);
    transaction.commit();
    if (session.json()) {
        print_json(session, project_json(project));
    } else if (!session.quiet()) {
        session.out() << fmt::format("Project {} for {}, started {}\n", project.name,
                                     project.customer, domain::format_date(project.start));
    }
}

void list(Session& session) {
    const auto projects = session.store(storage::Access::read).reports().all_projects();
    if (session.json()) {
        nlohmann::ordered_json array = nlohmann::ordered_json::array();
        for (const auto& p : projects) {
            array.push_back(project_json(p));
        }
        print_json(session, array);
        return;
    }
    output::Table table({{"project", output::Align::left, true, 8},
                         {"customer", output::Align::left, true, 8},
                         {"start", output::Align::left}});
    for (const auto& p : projects) {
        table.add_row({p.name, p.customer, domain::format_date(p.start)});
    }
    const auto& terminal = session.output().terminal;
    session.out() << table.render(terminal.width,
                                  terminal.color ? output::Color::on : output::Color::off);
}

} // namespace

Runner define_project(CLI::App& command) {
    auto o = std::make_shared<ProjectOptions>();
    command.add_option("action", o->action, "add or list")->required()->type_name("ACTION");
    command.add_option("name", o->name, "add: the project's NAME (unique ignoring case)")
        ->type_name("NAME");
    command.add_option("--customer", o->customer, "add: the customer the project is for")
        ->type_name("C");
    command
        .add_option("--start", o->start,
                    "add: the day the project started (its local start); also today, "
                    "yesterday, Nd, Nw")
        ->type_name("DATE");
    command.footer("Signals and actions name a project with --project NAME; report scope "
                   "shows what came in before and after its start.\nExamples:\n"
                   "  sileram project add \"Portal 2.0\" --customer \"Acme BV\" --start "
                   "2026-03-01\n  sileram project list --json");
    return [o](Session& session) {
        if (o->action == "add") {
            add(session, *o);
        } else if (o->action == "list") {
            if (o->name || o->customer || o->start) {
                throw InvalidInput("project list takes no NAME, --customer or --start");
            }
            list(session);
        } else {
            const std::string guess = domain::closest_name(o->action, k_actions);
            throw InvalidInput(fmt::format("project {} is not an action{}; use add or list",
                                           domain::quote_value(o->action),
                                           guess.empty() ? "" : "; did you mean " + guess + "?"));
        }
    };
}

} // namespace sileram::commands
