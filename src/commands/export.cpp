#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/figures.hpp"
#include "sileram/output/csv.hpp"
#include "sileram/output/signal_json.hpp"

#include <CLI/CLI.hpp>
#include <ostream>

namespace sileram::commands {

namespace {

using output::CsvKind;

// The flat columns of `export --csv`: the signal, its figures, and its latest measurement; the
// figures are numbers, which the CSV writer leaves as they are (a negative change stays one).
struct ExportColumn {
    const char* name;
    CsvKind kind;
};
constexpr ExportColumn k_csv_columns[] = {
    {"id", CsvKind::number},
    {"title", CsvKind::text},
    {"description", CsvKind::text},
    {"state", CsvKind::text},
    {"step", CsvKind::number},
    {"submitted_by", CsvKind::text},
    {"submitted_at", CsvKind::text},
    {"updated_at", CsvKind::text},
    {"external_id", CsvKind::text},
    {"channel", CsvKind::text},
    {"product", CsvKind::text},
    {"process", CsvKind::text},
    {"customer", CsvKind::text},
    {"fields", CsvKind::text},
    {"submitters", CsvKind::text},
    {"triage_reason", CsvKind::text},
    {"contacts", CsvKind::number},
    {"satisfaction_impact", CsvKind::number},
    {"cost_per_contact", CsvKind::number},
    {"satisfaction", CsvKind::number},
    {"score", CsvKind::number},
    {"class", CsvKind::text},
    {"cost_per_period", CsvKind::number},
    {"root_cause", CsvKind::text},
    {"actions", CsvKind::number},
    {"action_cost", CsvKind::number},
    {"expected_reduction", CsvKind::number},
    {"expected_savings_per_year", CsvKind::number},
    {"measured_contacts", CsvKind::number},
    {"contacts_saved", CsvKind::number},
    {"saved_per_year", CsvKind::number},
    {"satisfaction_delta", CsvKind::number},
    {"summary", CsvKind::text},
    {"project", CsvKind::text},
};

std::vector<std::string> csv_header() {
    std::vector<std::string> names;
    for (const ExportColumn& column : k_csv_columns) {
        names.emplace_back(column.name);
    }
    return names;
}

// The row's values as cells of the kinds k_csv_columns gives.
std::vector<output::CsvCell> csv_cells(std::vector<std::string> row) {
    std::vector<output::CsvCell> cells;
    cells.reserve(row.size());
    for (std::size_t i = 0; i < row.size(); ++i) {
        cells.push_back(output::CsvCell{std::move(row[i]), i < std::size(k_csv_columns)
                                                               ? k_csv_columns[i].kind
                                                               : CsvKind::text});
    }
    return cells;
}

std::vector<std::string> csv_row(const domain::Signal& s, const domain::ImpactSettings& settings) {
    using domain::format_timestamp;
    auto field = [&](const char* name) {
        const auto it = s.fields.find(name);
        return it == s.fields.end() ? std::string() : it->second;
    };
    nlohmann::ordered_json others = nlohmann::ordered_json::object();
    for (const auto& [name, value] : s.fields) {
        if (std::find(std::begin(domain::k_standard_fields), std::end(domain::k_standard_fields),
                      name) == std::end(domain::k_standard_fields)) {
            others[name] = value;
        }
    }
    std::string submitters;
    for (const auto& sub : s.submitters) {
        submitters += (submitters.empty() ? "" : " ") + sub.email;
    }
    std::vector<std::string> row{std::to_string(s.id),
                                 s.title,
                                 s.description,
                                 std::string(domain::to_string(s.state)),
                                 std::to_string(s.step),
                                 s.submitted_by,
                                 format_timestamp(s.submitted_at),
                                 format_timestamp(s.updated_at),
                                 s.external_id.value_or(""),
                                 field("channel"),
                                 field("product"),
                                 field("process"),
                                 field("customer"),
                                 others.empty() ? "" : others.dump(),
                                 submitters,
                                 s.triage_reason.value_or("")};
    auto text = [](const std::optional<domain::Decimal>& d) {
        return d ? d->to_string() : std::string();
    };
    if (s.impact) {
        const auto f = domain::impact_figures(*s.impact, settings);
        row.insert(row.end(),
                   {std::to_string(s.impact->contacts),
                    std::to_string(s.impact->satisfaction_impact),
                    s.impact->cost_per_contact.to_string(), text(s.impact->satisfaction),
                    std::to_string(f.score), std::string(domain::to_string(f.impact_class)),
                    f.cost_per_period.to_string()});
    } else {
        row.insert(row.end(), 7, "");
    }
    const auto bc = domain::business_case(s, settings);
    row.push_back(s.root_cause ? s.root_cause->cause : "");
    row.push_back(std::to_string(s.actions.size()));
    row.push_back(bc.cost.to_string());
    row.push_back(text(bc.expected_reduction));
    row.push_back(text(bc.expected_savings_per_year));
    if (!s.measurements.empty() && s.impact) {
        const auto& m = s.measurements.back();
        const auto e = domain::effect(*s.impact, m, bc.expected_savings_per_year, settings);
        row.insert(row.end(), {std::to_string(m.contacts), std::to_string(e.contacts_saved),
                               e.saved_per_year.to_string(), text(e.satisfaction_delta)});
    } else {
        row.insert(row.end(), 4, "");
    }
    row.push_back(s.closing_summary.value_or(""));
    row.push_back(s.project.value_or(""));
    return row;
}

} // namespace

Runner define_export(CLI::App& command) {
    auto csv = std::make_shared<bool>(false);
    command.add_flag("--csv", *csv, "One CSV row per signal instead of JSON lines");
    return [csv](Session& session) {
        require_one_format(session, *csv);
        storage::Store& store = session.store(storage::Access::read);
        const auto& settings = session.impact_settings();
        if (*csv) {
            session.out() << output::csv_record(csv_header());
        }
        store.for_each_signal([&](const domain::Signal& s) {
            if (*csv) {
                session.out() << output::csv_record(csv_cells(csv_row(s, settings)));
            } else {
                session.out() << signal_json(session, s)
                                     .dump(-1, ' ', false,
                                           nlohmann::ordered_json::error_handler_t::replace)
                              << '\n';
            }
        });
    };
}

} // namespace sileram::commands
