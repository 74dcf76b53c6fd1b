#include "sileram/commands/common.hpp"
#include "sileram/commands/filters.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/output/format.hpp"
#include "sileram/output/signal_json.hpp"
#include "sileram/output/signal_list.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <ostream>

namespace sileram::commands {

namespace {

struct ListOptions {
    std::vector<std::string> states;
    bool all = false;
    std::optional<std::string> step;
    std::optional<std::string> impact_class;
    std::optional<std::string> since;
    std::string sort = "id";
    std::optional<std::string> limit;
    bool csv = false;
    std::optional<std::string> search;
    bool late = false;
    bool recurring = false;
};

struct SortName {
    std::string_view name;
    storage::SortKey key;
};

constexpr SortName k_sort_names[] = {
    {"id", storage::SortKey::id},
    {"title", storage::SortKey::title},
    {"state", storage::SortKey::state},
    {"step", storage::SortKey::step},
    {"submitted_at", storage::SortKey::submitted_at},
    {"updated_at", storage::SortKey::updated_at},
    {"score", storage::SortKey::score},
    {"contacts", storage::SortKey::contacts},
};

// "a, b,c" as its names; an empty name is kept so that `--state ,` is reported.
std::vector<std::string> split_state_list(const std::string& list) {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = list.find(',', start);
        std::string name = list.substr(start, comma == std::string::npos ? comma : comma - start);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        names.push_back(std::move(name));
        if (comma == std::string::npos) {
            return names;
        }
        start = comma + 1;
    }
}

// Adds the state `name`, or every state of the group open or closed, once each.
void add_states(std::vector<domain::State>& states, const std::string& name) {
    const auto add = [&](domain::State state) {
        if (std::find(states.begin(), states.end(), state) == states.end()) {
            states.push_back(state);
        }
    };
    if (name == "open" || name == "closed") {
        for (const auto& info : domain::all_states()) {
            if (domain::is_open(info.state) == (name == "open")) {
                add(info.state);
            }
        }
        return;
    }
    if (const auto state = domain::parse_state(name)) {
        add(*state);
        return;
    }
    std::vector<std::string_view> names{"open", "closed"};
    for (const auto& s : domain::all_states()) {
        names.push_back(s.name);
    }
    const std::string guess = domain::closest_name(name, names);
    throw InvalidInput(
        fmt::format("--state {} is not a state{}; states: {}", domain::quote_value(name),
                    guess.empty() ? "" : "; did you mean " + guess + "?", fmt::join(names, ", ")));
}

storage::ListQuery build_query(const ListOptions& o, const std::vector<std::string>& extras,
                               Session& session) {
    storage::ListQuery q;
    if (o.all && !o.states.empty()) {
        throw InvalidInput("--all and --state exclude each other; --all shows every state");
    }
    for (const std::string& list : o.states) {
        for (const std::string& name : split_state_list(list)) {
            add_states(q.states, name);
        }
    }
    // Open signals are what a team lead works on; --all, --state or --step asks for more.
    if (q.states.empty() && !o.all && !o.step) {
        add_states(q.states, "open");
    }
    if (o.step) {
        q.step = parse_whole_in(*o.step, "--step", 1, 10);
    }
    if (o.impact_class) {
        const auto c = domain::parse_impact_class(*o.impact_class);
        if (!c) {
            throw InvalidInput(
                fmt::format("--class {} is not an impact class; use high, medium or low",
                            domain::quote_value(*o.impact_class)));
        }
        const auto& settings = session.impact_settings();
        if (*c == domain::ImpactClass::high) {
            q.min_score = settings.high;
        } else if (*c == domain::ImpactClass::medium) {
            q.min_score = settings.medium;
            q.max_score = settings.high;
        } else {
            q.min_score = 0;
            q.max_score = settings.medium;
        }
    }
    if (o.since) {
        q.since = parse_moment(*o.since, "--since", session.now());
    }
    std::string sort = o.sort;
    if (!sort.empty() && sort.front() == '-') {
        q.order = storage::SortOrder::descending;
        sort.erase(0, 1);
    }
    const auto it = std::find_if(std::begin(k_sort_names), std::end(k_sort_names),
                                 [&](const SortName& s) { return s.name == sort; });
    if (it == std::end(k_sort_names)) {
        std::vector<std::string_view> names;
        for (const auto& s : k_sort_names) {
            names.push_back(s.name);
        }
        throw InvalidInput(fmt::format("--sort {} is not a sort key; use one of {} (prefix - for "
                                       "descending)",
                                       domain::quote_value(o.sort), fmt::join(names, ", ")));
    }
    q.sort = it->key;
    if (o.limit) {
        q.limit = parse_count(*o.limit, "--limit");
    }
    q.search = o.search;
    if (o.late) {
        q.late = late_cuts(session);
    }
    q.recurring = o.recurring;
    q.fields = parse_field_filters(extras, session, "list");
    return q;
}

} // namespace

Runner define_list(CLI::App& command) {
    auto o = std::make_shared<ListOptions>();
    command
        .add_option("--state", o->states,
                    "Only signals in these states (repeatable, comma list; the groups open and "
                    "closed); default: open")
        ->type_name("S")
        ->allow_extra_args(false);
    command.add_flag("--all", o->all, "Every signal, closed ones too");
    command.add_option("--step", o->step, "Only signals at this step, 1-10")->type_name("N");
    command.add_option("--class", o->impact_class, "Only this impact class: high, medium or low")
        ->type_name("C");
    command
        .add_option("--since", o->since,
                    "Only signals submitted on or after DATE (also today, yesterday, Nd, Nw)")
        ->type_name("DATE");
    command
        .add_option("--sort", o->sort,
                    "id, title, state, step, submitted_at, updated_at, score or contacts; -FIELD "
                    "for descending")
        ->type_name("FIELD");
    command.add_option("--limit", o->limit, "At most N signals")->type_name("N");
    command.add_flag("--csv", o->csv, "RFC 4180 CSV instead of a table");
    command
        .add_option("--search", o->search,
                    "Only signals whose title or description holds all these words (any case, "
                    "any accents)")
        ->type_name("WORDS");
    command.add_flag("--late", o->late,
                     "Only signals past a response target of [targets] (first response, days in "
                     "a state) or parked past their --until day, with the target they missed");
    command.add_flag("--recurring", o->recurring,
                     "Only signals that recur a closed root cause (see report recurrence)");
    command.allow_extras();
    command.footer(
        "Filter on any field with --FIELD VALUE, e.g. --channel phone --process billing.\n"
        "Example:\n  sileram list --state analysed --class high --sort -score --limit 10\n"
        "  sileram list --late --channel phone");
    CLI::App* app = &command;
    return [o, app](Session& session) {
        require_one_format(session, o->csv);
        const storage::ListQuery query = build_query(*o, app->remaining(), session);
        session.use_pager();
        storage::Store& store = session.store(storage::Access::read);
        auto rows = store.list(query);
        for (auto& s : rows) {
            if (s.late_facts) {
                s.late = signal_lateness(session, *s.late_facts);
            }
        }
        const auto late_column = query.late ? output::LateColumn::on : output::LateColumn::off;
        // Only a list the limit may have cut needs counting again.
        const std::int64_t total =
            query.limit && static_cast<std::int64_t>(rows.size()) >= *query.limit
                ? store.count(query)
                : static_cast<std::int64_t>(rows.size());
        if (session.json()) {
            nlohmann::ordered_json array = nlohmann::ordered_json::array();
            for (const auto& s : rows) {
                auto row = output::summary_to_json(s, session.impact_settings());
                if (query.late) {
                    row["late"] = output::late_to_json(s.late);
                }
                array.push_back(std::move(row));
            }
            print_json(session, array);
        } else if (o->csv) {
            session.out() << output::signal_list_csv(rows, session.impact_settings(), late_column);
        } else {
            const auto& terminal = session.output().terminal;
            session.out() << output::signal_list_text(
                rows, session.quiet() ? std::nullopt : std::optional(total),
                session.impact_settings(), terminal.width,
                terminal.color ? output::Color::on : output::Color::off, late_column);
        }
    };
}

} // namespace sileram::commands
