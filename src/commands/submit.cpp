#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/fields.hpp"
#include "sileram/domain/projects.hpp"
#include "sileram/domain/search.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/output/format.hpp"
#include "submit_from.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <ostream>

namespace sileram::commands {

namespace {

struct SubmitOptions {
    std::string title;
    std::optional<std::string> by;
    std::string description;
    std::map<std::string, std::optional<std::string>> standard; // --channel etc.
    std::vector<std::string> fields;                            // KEY=VALUE
    std::optional<std::string> join;
    std::optional<std::string> external_id;
    std::optional<std::string> project;
    ImportOptions import; // --from and its options
};

// How many similar open signals `submit` shows.
constexpr int k_similar_shown = 5;

// The duplicate guard: open signals like the new one, and the closed ones it may be a
// recurrence of (stored with the signal).
std::vector<storage::SimilarSignal> check_similar(storage::Store& store, domain::Signal& signal) {
    std::vector<storage::SimilarSignal> open;
    // The store leaves out whatever is less alike than domain::k_min_similarity.
    for (storage::SimilarSignal& match :
         store.find_similar(signal.title, signal.description, k_similar_shown)) {
        if (match.state != domain::State::closed) {
            open.push_back(std::move(match));
        } else if (domain::is_recurrence(match.similarity, match.shared.size())) {
            signal.recurrence_of.push_back(
                domain::PossibleRecurrence{match.id, match.title, match.similarity});
        }
    }
    return open;
}

// The submitter: --by, else $SILERAM_EMAIL or `[user] email` (the session's config holds
// either), else the actor when that is an e-mail address.
std::string submitter(const SubmitOptions& options, const Session& session) {
    if (options.by) {
        return *options.by;
    }
    if (!session.config().user.email.empty()) {
        return session.config().user.email;
    }
    std::string actor = session.stamp().by;
    if (actor.find('@') != std::string::npos) {
        return actor;
    }
    throw InvalidInput("--by EMAIL is required: who raised this signal? (feedback goes there); "
                       "set [user] email in the config or $SILERAM_EMAIL to skip it");
}

std::map<std::string, std::string> collect_fields(const SubmitOptions& options) {
    std::map<std::string, std::string> fields;
    for (const auto& [name, value] : options.standard) {
        if (value) {
            fields[name] = *value;
        }
    }
    for (const std::string& pair : options.fields) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos) {
            throw InvalidInput(
                fmt::format("--field {} must be KEY=VALUE", domain::quote_value(pair)));
        }
        const std::string name = pair.substr(0, eq);
        domain::require_field_name(name);
        if (fields.count(name) != 0) {
            throw InvalidInput(fmt::format("field {} is given twice", name));
        }
        fields[name] = pair.substr(eq + 1);
    }
    // An empty value means the field is not set.
    std::erase_if(fields, [](const auto& field) { return field.second.empty(); });
    return fields;
}

void join_existing(Session& session, const SubmitOptions& options) {
    const bool has_standard =
        std::any_of(options.standard.begin(), options.standard.end(),
                    [](const auto& field) { return field.second.has_value(); });
    if (has_standard || !options.fields.empty() || !options.description.empty() ||
        options.external_id || options.project) {
        throw InvalidInput("--join adds a submitter to an existing signal; it takes no -d, "
                           "fields, --external-id or --project");
    }
    const auto id = parse_id(*options.join, "--join");
    const std::string email = submitter(options, session);
    storage::Store& store = session.store(storage::Access::write);
    storage::WriteTransaction transaction(store);
    domain::Signal signal = load_signal(session, storage::Access::write, id);
    const bool joined = domain::join(signal, email, options.title, session.stamp());
    if (joined && session.config().mail.acknowledge) {
        domain::acknowledge(signal, email, session.config().targets.first_response_days,
                            session.stamp());
    }
    store.save(signal);
    transaction.commit();
    if (session.json()) {
        print_json(session, {{"id", signal.id},
                             {"state", domain::to_string(signal.state)},
                             {"joined", joined},
                             {"submitters", signal.submitters.size()},
                             {"similar", nlohmann::ordered_json::array()}});
    } else if (session.quiet()) {
        session.out() << signal.id << '\n';
    } else {
        session.out() << (joined
                              ? fmt::format("{} joined signal {} ({} submitters): {}", email,
                                            signal.id, signal.submitters.size(),
                                            domain::printable(signal.title, domain::Lines::single))
                              : fmt::format("{} is already a submitter of signal {}", email,
                                            signal.id))
                      << '\n';
    }
}

void submit_one(Session& session, const SubmitOptions& options) {
    if (options.join) {
        join_existing(session, options);
        return;
    }
    domain::NewSignal input;
    input.title = options.title;
    input.description = options.description;
    input.submitted_by = submitter(options, session);
    input.fields = collect_fields(options);
    input.external_id = options.external_id;
    domain::require_fields(input.fields, session.config().fields);
    domain::Signal signal = domain::new_signal(std::move(input), session.stamp());
    if (session.config().mail.acknowledge) {
        domain::acknowledge(signal, signal.submitted_by,
                            session.config().targets.first_response_days, session.stamp());
    }

    storage::Store& store = session.store(storage::Access::write);
    storage::WriteTransaction transaction(store);
    if (signal.external_id) {
        if (auto known = store.find_by_external_id(*signal.external_id)) {
            throw Refused(fmt::format("external id {} is known already as signal {}",
                                      domain::quote_value(*signal.external_id), *known));
        }
    }
    if (options.project) {
        signal.project = domain::require_known_project(store.reports().all_projects(),
                                                       *options.project, "--project")
                             .name;
    }
    const auto similar = check_similar(store, signal);
    store.insert(signal);
    transaction.commit();

    if (session.json()) {
        nlohmann::ordered_json matches = nlohmann::ordered_json::array();
        for (const auto& m : similar) {
            matches.push_back({{"id", m.id},
                               {"title", m.title},
                               {"state", domain::to_string(m.state)},
                               {"score", m.similarity},
                               {"shared", m.shared}});
        }
        nlohmann::ordered_json recurrences = nlohmann::ordered_json::array();
        for (const auto& r : signal.recurrence_of) {
            recurrences.push_back(
                {{"id", r.closed_signal}, {"title", r.title}, {"score", r.similarity}});
        }
        print_json(session, {{"id", signal.id},
                             {"state", domain::to_string(signal.state)},
                             {"similar", matches},
                             {"recurrence_of", recurrences}});
    } else if (session.quiet()) {
        session.out() << signal.id << '\n';
    } else {
        session.out() << fmt::format("submitted signal {}: {}\n", signal.id,
                                     domain::printable(signal.title, domain::Lines::single));
        for (const auto& r : signal.recurrence_of) {
            session.out() << fmt::format("Possible recurrence of closed signal {} ({} alike): {}\n",
                                         r.closed_signal, output::alike_share(r.similarity),
                                         domain::printable(r.title, domain::Lines::single));
        }
        if (!similar.empty()) {
            session.out() << fmt::format("Similar open signals (if one is the same: sileram "
                                         "triage {} --duplicate-of ID):\n",
                                         signal.id);
            session.out() << fmt::format("  {:>6}  {:<11}  {:>5}  {}\n", "ID", "STATE", "ALIKE",
                                         "TITLE (WORDS IN COMMON)");
            for (const auto& m : similar) {
                session.out() << fmt::format(
                    "  {:>6}  {:<11}  {:>5}  {} ({})\n", m.id, domain::to_string(m.state),
                    output::alike_share(m.similarity),
                    domain::printable(m.title, domain::Lines::single), fmt::join(m.shared, ", "));
            }
        }
        session.out() << fmt::format("Next: {}\n", domain::next_step(signal));
    }
}

} // namespace

Runner define_submit(CLI::App& command) {
    auto options = std::make_shared<SubmitOptions>();
    command.add_option("title", options->title,
                       "What the customer runs into, in one line (1-300 characters)");
    command
        .add_option("--by", options->by,
                    "E-mail address of the employee who raised it; feedback goes there")
        ->type_name("EMAIL");
    command
        .add_option("-d,--description", options->description,
                    "The whole story (up to 20,000 characters)")
        ->type_name("TEXT");
    for (std::string_view name : domain::k_standard_fields) {
        const std::string key{name};
        options->standard[key] = std::nullopt;
        command
            .add_option("--" + key, options->standard[key], fmt::format("The {} it concerns", key))
            ->type_name("X");
    }
    command.add_option("--field", options->fields, "Any other characteristic, repeatable")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    command
        .add_option("--join", options->join,
                    "Add the submitter to signal ID instead of creating a new one")
        ->type_name("ID");
    command
        .add_option("--external-id", options->external_id,
                    "Id in the system it came from; a known id is refused")
        ->type_name("X");
    command
        .add_option("--project", options->project,
                    "The customer's project it was asked in (see sileram project add)")
        ->type_name("NAME");
    command
        .add_option("--from", options->import.from,
                    "Import signals from a CSV or JSON lines file; - reads standard input")
        ->type_name("FILE");
    command
        .add_option("--format", options->import.format,
                    "csv or jsonl for --from (else from the file name)")
        ->type_name("FORMAT");
    command
        .add_option("--map", options->import.maps,
                    "With --from: read FIELD from a column of another name, repeatable")
        ->type_name("FIELD=COLUMN")
        ->allow_extra_args(false);
    command
        .add_option("--skip-invalid", options->import.skip_invalid,
                    "With --from: import the valid rows, write the rejected ones with their "
                    "reason to REJECTS_FILE")
        ->type_name("REJECTS_FILE");
    command.add_flag("--timings", options->import.timings,
                     "With --from: print the seconds of each phase of the import on stderr");
    command.footer(
        "Example:\n  sileram submit 'Invoice is unclear' --by agent@example.org --channel phone "
        "--process billing\n  sileram submit --from export.csv --by intake@example.org --map "
        "title=Subject --skip-invalid rejects.csv");
    return [options](Session& session) {
        // Joining needs a signal, so only a new signal may start a new database.
        if (!options->join) {
            session.allow_creating_database();
        }
        if (!options->import.from.empty()) {
            const bool has_standard =
                std::any_of(options->standard.begin(), options->standard.end(),
                            [](const auto& field) { return field.second.has_value(); });
            if (!options->title.empty() || options->join || options->external_id ||
                !options->description.empty() || !options->fields.empty() || has_standard ||
                options->project) {
                throw InvalidInput("--from reads every signal from the file; it takes no TITLE, "
                                   "-d, fields, --join, --external-id or --project (use --map, "
                                   "--by and a project column)");
            }
            ImportOptions import = options->import;
            import.by = options->by;
            submit_from(session, import);
            return;
        }
        if (options->import.format || !options->import.maps.empty() ||
            options->import.skip_invalid || options->import.timings) {
            throw InvalidInput("--format, --map, --skip-invalid and --timings go with --from FILE");
        }
        if (!options->join && options->title.empty()) {
            throw InvalidInput("submit needs a TITLE (or --join ID to join an existing signal)");
        }
        submit_one(session, *options);
    };
}

} // namespace sileram::commands
