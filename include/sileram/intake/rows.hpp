#pragma once

#include "sileram/domain/fields.hpp"
#include "sileram/domain/projects.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/intake/record.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sileram::intake {

// What one column of an import file feeds.
struct Target {
    enum class Kind { title, description, submitted_by, submitted_at, external_id, project, field };
    Kind kind = Kind::field;
    std::string field; // for Kind::field: channel, product, process, customer or a configured one
};

// The columns an import reads without --map: the keys of `submit --from` in SPEC.md.
inline constexpr std::string_view k_import_keys[] = {
    "title",   "description", "submitted_by", "channel",     "product",
    "process", "customer",    "submitted_at", "external_id", "project",
};

// Which column feeds what. Built from the file's column names, the --map pairs and the
// configured fields; JSON lines reveal their keys line by line, so `update` is called again
// whenever the reader knows more columns.
class ColumnPlan {
public:
    // `maps` are FIELD=COLUMN pairs; throws InvalidInput for a malformed pair, a field name that
    // is no field, or one field mapped twice.
    ColumnPlan(const std::vector<std::string>& maps, std::span<const domain::FieldRule> rules);

    // Maps the columns not seen before; returns the names of new columns that feed nothing.
    std::vector<std::string> update(const std::vector<std::string>& columns);

    // Throws InvalidInput when a --map names a column that `columns` lacks (for CSV, whose
    // header is known at once).
    void require_mapped_columns(const std::vector<std::string>& columns) const;

    const std::vector<std::optional<Target>>& targets() const { return m_targets; }
    const std::vector<std::string>& columns() const { return m_columns; }
    // The column that feeds `field`, or the field's own name when none does.
    std::string column_of(const std::string& field) const;

private:
    std::map<std::string, std::string> m_column_for_field; // from --map
    std::vector<std::string> m_configured;
    std::vector<std::optional<Target>> m_targets;
    std::vector<std::string> m_columns;
};

// One thing wrong with a row.
struct Problem {
    std::string column; // empty when it concerns the row as a whole
    std::string reason;
};

// A row checked against every rule a single `submit` applies.
struct CheckedRow {
    domain::NewSignal signal;
    std::vector<Problem> problems; // empty when the row is valid
};

// What a row is checked against besides its own values.
struct RowRules {
    std::optional<std::string> default_submitter; // --by
    std::span<const domain::FieldRule> fields;    // from the configuration
    std::span<const domain::Project> projects;    // every project a row may name
};

// Reads a record through the plan and checks it: title, description, submitter (or --by),
// submitted_at, external_id, every field, the configured fields; collects every problem. Every
// check of domain::check_new_signal is among them, so a row without problems may be made a signal
// with domain::new_checked_signal.
CheckedRow check_row(const Record& record, const ColumnPlan& plan, const RowRules& rules);

} // namespace sileram::intake
