#include "sileram/intake/rows.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/domain/time.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::intake {

namespace {

std::optional<Target> target_of_key(std::string_view key) {
    using Kind = Target::Kind;
    if (key == "title") {
        return Target{Kind::title, {}};
    }
    if (key == "description") {
        return Target{Kind::description, {}};
    }
    if (key == "submitted_by") {
        return Target{Kind::submitted_by, {}};
    }
    if (key == "submitted_at") {
        return Target{Kind::submitted_at, {}};
    }
    if (key == "external_id") {
        return Target{Kind::external_id, {}};
    }
    if (key == "project") {
        return Target{Kind::project, {}};
    }
    return Target{Kind::field, std::string(key)};
}

bool is_import_key(std::string_view name) {
    return std::find(std::begin(k_import_keys), std::end(k_import_keys), name) !=
           std::end(k_import_keys);
}

// Runs one check; its InvalidInput becomes a problem of `column`.
template <typename Check>
void check(std::vector<Problem>& problems, const std::string& column, Check&& run) {
    try {
        run();
    } catch (const InvalidInput& e) {
        problems.push_back(Problem{column, e.what()});
    }
}

} // namespace

ColumnPlan::ColumnPlan(const std::vector<std::string>& maps,
                       std::span<const domain::FieldRule> rules) {
    for (const domain::FieldRule& rule : rules) {
        m_configured.push_back(rule.name);
    }
    for (const std::string& pair : maps) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
            throw InvalidInput(fmt::format("--map {} must be FIELD=COLUMN, e.g. title=Subject",
                                           domain::quote_value(pair)));
        }
        const std::string field = pair.substr(0, eq);
        if (!is_import_key(field)) {
            domain::require_field_name(field);
        }
        if (!m_column_for_field.emplace(field, pair.substr(eq + 1)).second) {
            throw InvalidInput(fmt::format("--map names field {} twice", field));
        }
    }
}

std::vector<std::string> ColumnPlan::update(const std::vector<std::string>& columns) {
    std::vector<std::string> unknown;
    for (std::size_t i = m_columns.size(); i < columns.size(); ++i) {
        const std::string& name = columns[i];
        m_columns.push_back(name);
        std::optional<Target> target;
        const auto mapped = std::find_if(m_column_for_field.begin(), m_column_for_field.end(),
                                         [&](const auto& entry) { return entry.second == name; });
        if (mapped != m_column_for_field.end()) {
            target = target_of_key(mapped->first);
        } else if (m_column_for_field.count(name) == 0 &&
                   (is_import_key(name) || std::find(m_configured.begin(), m_configured.end(),
                                                     name) != m_configured.end())) {
            // A column named like a field feeds it, unless --map gives that field another column.
            target = target_of_key(name);
        }
        if (!target) {
            unknown.push_back(name);
        }
        m_targets.push_back(std::move(target));
    }
    return unknown;
}

void ColumnPlan::require_mapped_columns(const std::vector<std::string>& columns) const {
    for (const auto& [field, column] : m_column_for_field) {
        if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
            throw InvalidInput(fmt::format("--map {}={}: the input has no column {}; its columns "
                                           "are {}",
                                           field, column, domain::quote_value(column),
                                           fmt::join(columns, ", ")));
        }
    }
}

std::string ColumnPlan::column_of(const std::string& field) const {
    const auto it = m_column_for_field.find(field);
    return it == m_column_for_field.end() ? field : it->second;
}

namespace {

// Where a row's submitter came from: the column that names it, or --by.
struct SubmitterSource {
    std::string column = "submitted_by";
    bool given = false;
};

void read_submitted_at(const std::string& value, const std::string& column, domain::NewSignal& s,
                       std::vector<Problem>& problems) {
    s.submitted_at = domain::parse_timestamp(value);
    if (!s.submitted_at) {
        problems.push_back(Problem{column, fmt::format("{} is not a date; use ISO 8601 such as "
                                                       "2026-12-01 or 2026-12-01T10:00:00Z",
                                                       domain::quote_value(value))});
    } else if (!domain::within_input_years(*s.submitted_at)) {
        problems.push_back(
            Problem{column, fmt::format("{} is out of range; give a date in the years {} to {}",
                                        domain::quote_value(value), domain::k_first_year,
                                        domain::k_last_year)});
    }
}

// Puts one value where its column's target says, checking what can be checked of it alone.
void read_value(const Target& target, const std::string& value, const std::string& column,
                domain::NewSignal& s, SubmitterSource& submitter, std::vector<Problem>& problems) {
    using Kind = Target::Kind;
    switch (target.kind) {
    case Kind::title:
        s.title = value;
        return;
    case Kind::description:
        s.description = value;
        return;
    case Kind::submitted_by:
        submitter.column = column;
        if (!value.empty()) {
            s.submitted_by = value;
            submitter.given = true;
        }
        return;
    case Kind::submitted_at:
        if (!value.empty()) {
            read_submitted_at(value, column, s, problems);
        }
        return;
    case Kind::project:
        if (!value.empty()) {
            s.project = value; // check_row resolves it to a known project
        }
        return;
    case Kind::external_id:
        if (!value.empty()) {
            check(problems, column, [&] {
                domain::require_clean_text(value, "the external id", domain::Lines::single);
            });
            s.external_id = value;
        }
        return;
    case Kind::field:
        if (!value.empty()) {
            check(problems, column,
                  [&] { domain::require_clean_text(value, "the value", domain::Lines::single); });
            s.fields[target.field] = value;
        }
        return;
    }
}

// The checks of the signal as a whole: title, description, submitter, configured fields.
void check_signal(domain::NewSignal& s, SubmitterSource submitter, const ColumnPlan& plan,
                  const RowRules& rules, std::vector<Problem>& problems) {
    check(problems, plan.column_of("title"), [&] { domain::require_title(s.title); });
    check(problems, plan.column_of("description"),
          [&] { domain::require_description(s.description); });
    if (!submitter.given && rules.default_submitter) {
        s.submitted_by = *rules.default_submitter;
        submitter = SubmitterSource{"--by", true};
    }
    if (!submitter.given) {
        problems.push_back(
            Problem{submitter.column, "no submitter: the row has none and --by is not given"});
    } else {
        check(problems, submitter.column,
              [&] { domain::require_email(s.submitted_by, "the submitter"); });
    }
    for (const domain::FieldRule& rule : rules.fields) {
        const domain::FieldRule one[] = {rule};
        check(problems, plan.column_of(rule.name), [&] { domain::require_fields(s.fields, one); });
    }
}

} // namespace

CheckedRow check_row(const Record& record, const ColumnPlan& plan, const RowRules& rules) {
    CheckedRow result;
    if (!record.error.empty()) {
        result.problems.push_back(Problem{{}, record.error});
        return result;
    }
    const auto& targets = plan.targets();
    SubmitterSource submitter;
    for (std::size_t i = 0; i < targets.size() && i < record.values.size(); ++i) {
        if (targets[i]) {
            read_value(*targets[i], record.values[i], plan.columns()[i], result.signal, submitter,
                       result.problems);
        }
    }
    check_signal(result.signal, submitter, plan, rules, result.problems);
    if (result.signal.project) {
        check(result.problems, plan.column_of("project"), [&] {
            result.signal.project =
                domain::require_known_project(rules.projects, *result.signal.project, "").name;
        });
    }
    return result;
}

} // namespace sileram::intake
