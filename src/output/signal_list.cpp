#include "sileram/output/signal_list.hpp"

#include "sileram/output/csv.hpp"
#include "sileram/output/format.hpp"
#include "sileram/output/table.hpp"

namespace sileram::output {

std::string signal_list_text(const std::vector<domain::SignalSummary>& rows,
                             std::optional<std::int64_t> total,
                             const domain::ImpactSettings& settings, std::size_t width, Color color,
                             LateColumn late) {
    std::vector<Column> columns{{"id", Align::right},
                                {"state", Align::left, false, 0, Overflow::truncate, 3},
                                {"step", Align::right, false, 0, Overflow::truncate, 5},
                                {"title", Align::left, true, k_min_title_width},
                                {"process", Align::left, true, 7, Overflow::truncate, 4},
                                {"score", Align::right, false, 0, Overflow::truncate, 2},
                                {"class", Align::left, false, 0, Overflow::truncate, 1},
                                {"submitted", Align::left, false, 0, Overflow::truncate, 6}};
    if (late == LateColumn::on) {
        // Why it is listed matters more than anything but its id and title.
        columns.push_back({"late", Align::left, true, 12, Overflow::wrap});
    }
    Table table(std::move(columns));
    for (const auto& s : rows) {
        const auto process = s.fields.find("process");
        std::string score;
        std::string impact_class;
        Hue class_colour = Hue::none;
        if (s.impact) {
            const auto f = domain::impact_figures(*s.impact, settings);
            score = count(f.score);
            impact_class = std::string(domain::to_string(f.impact_class));
            class_colour = class_hue(f.impact_class);
        }
        std::vector<std::string> cells{std::to_string(s.id),
                                       std::string(domain::to_string(s.state)),
                                       std::to_string(s.step),
                                       s.title,
                                       process == s.fields.end() ? "" : process->second,
                                       score,
                                       impact_class,
                                       local_date(s.submitted_at)};
        std::vector<Hue> hues{Hue::none, state_hue(s.state), Hue::none,   Hue::none,
                              Hue::none, Hue::none,          class_colour};
        if (late == LateColumn::on) {
            cells.push_back(s.late ? late_text(*s.late) : "");
            hues.insert(hues.end(), {Hue::none, Hue::red}); // red as on `show`
        }
        table.add_row(std::move(cells), std::move(hues));
    }
    std::string out = table.render(width, color);
    if (total) {
        out += shown_count(static_cast<std::int64_t>(rows.size()), *total, "signal", "signals");
        out += '\n';
    }
    return out;
}

std::string signal_list_csv(const std::vector<domain::SignalSummary>& rows,
                            const domain::ImpactSettings& settings, LateColumn late) {
    std::vector<std::string> header{"id",
                                    "title",
                                    "state",
                                    "step",
                                    "submitted_by",
                                    "submitted_at",
                                    "updated_at",
                                    "channel",
                                    "product",
                                    "process",
                                    "customer",
                                    "contacts",
                                    "satisfaction_impact",
                                    "score",
                                    "class",
                                    "submitters"};
    if (late == LateColumn::on) {
        header.insert(header.end(), {"late_reason", "late_state", "late_due", "days_late"});
    }
    std::string out = csv_record(header);
    for (const auto& s : rows) {
        auto field = [&](const char* name) {
            const auto it = s.fields.find(name);
            return it == s.fields.end() ? std::string() : it->second;
        };
        std::string contacts, impact, score, impact_class;
        if (s.impact) {
            const auto f = domain::impact_figures(*s.impact, settings);
            contacts = std::to_string(s.impact->contacts);
            impact = std::to_string(s.impact->satisfaction_impact);
            score = std::to_string(f.score);
            impact_class = std::string(domain::to_string(f.impact_class));
        }
        std::vector<CsvCell> cells{csv_number(std::to_string(s.id)),
                                   {s.title},
                                   {std::string(domain::to_string(s.state))},
                                   csv_number(std::to_string(s.step)),
                                   {s.submitted_by},
                                   {domain::format_timestamp(s.submitted_at)},
                                   {domain::format_timestamp(s.updated_at)},
                                   {field("channel")},
                                   {field("product")},
                                   {field("process")},
                                   {field("customer")},
                                   csv_number(contacts),
                                   csv_number(impact),
                                   csv_number(score),
                                   {impact_class},
                                   csv_number(std::to_string(s.submitter_count))};
        if (late == LateColumn::on) {
            cells.push_back({s.late ? std::string(domain::to_string(s.late->reason)) : ""});
            cells.push_back({s.late ? std::string(domain::to_string(s.late->state)) : ""});
            cells.push_back({s.late ? domain::format_date(s.late->due) : ""});
            cells.push_back(csv_number(s.late ? std::to_string(s.late->days_late) : ""));
        }
        out += csv_record(cells);
    }
    return out;
}

} // namespace sileram::output
