#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::storage {

class Store;

// A table that `copy` and `backup` carry from one database to another row by row, ids and all.
struct CopiedTable {
    std::string_view name;
    std::span<const std::string_view> columns; // the same names and order on every backend
    std::string_view key;                      // the ORDER BY that reads parents before children
    bool numbered;                             // its `id` comes from a sequence that must go on
};

namespace copied_columns {
// clang-format off
inline constexpr std::string_view k_signals[] = {
    "id", "title", "description", "state", "step", "submitted_by", "submitted_at", "updated_at",
    "external_id", "channel", "product", "process", "customer", "triage_reason", "duplicate_of",
    "contacts", "satisfaction_impact", "cost_per_contact_cents", "satisfaction_hundredths",
    "expected_reduction_hundredths", "expected_satisfaction_hundredths", "closing_summary",
    "approved_at", "approved_reduction_hundredths", "approved_satisfaction_hundredths",
    "approved_savings_per_year_cents", "approved_cost_cents", "project"};
// clang-format on
inline constexpr std::string_view k_signal_fields[] = {"signal_id", "name", "value"};
inline constexpr std::string_view k_submitters[] = {"id", "signal_id", "email", "joined_at", "via"};
inline constexpr std::string_view k_decisions[] = {
    "id", "signal_id", "gate", "verdict", "reason", "until", "decided_by", "decided_at"};
inline constexpr std::string_view k_root_causes[] = {"signal_id",     "cause",      "customer_view",
                                                     "internal_view", "method",     "evidence",
                                                     "recorded_by",   "recorded_at"};
inline constexpr std::string_view k_root_cause_items[] = {"signal_id", "kind", "position", "text"};
inline constexpr std::string_view k_actions[] = {
    "id",         "signal_id", "number",   "parent_number", "title",   "owner",  "due",
    "cost_cents", "status",    "progress", "created_at",    "done_at", "project"};
inline constexpr std::string_view k_measurements[] = {
    "id", "signal_id", "contacts", "satisfaction_hundredths", "note", "measured_by", "measured_at"};
inline constexpr std::string_view k_feedback[] = {
    "id",         "signal_id",       "recipient", "outcome",    "stage",
    "status",     "queued_at",       "sent_at",   "message_id", "attempts",
    "last_error", "last_attempt_at", "claim",     "claimed_at", "detail"};
inline constexpr std::string_view k_history[] = {"id",    "signal_id",  "at",       "by",
                                                 "event", "from_state", "to_state", "detail"};
inline constexpr std::string_view k_recurrences[] = {"signal_id", "closed_signal_id", "similarity"};
inline constexpr std::string_view k_customers[] = {"name", "revenue_cents", "segment",
                                                   "updated_at"};
inline constexpr std::string_view k_projects[] = {"name", "customer", "start_day", "starts_at",
                                                  "created_at"};
} // namespace copied_columns

// Every table that holds what users entered, parents before children: the one list `copy` and
// `backup` work through. A new table of the schema goes here or into k_derived_tables (a unit
// test fails until it does).
inline constexpr std::array<CopiedTable, 13> k_copied_tables = {{
    {"projects", copied_columns::k_projects, "name", false},
    {"signals", copied_columns::k_signals, "id", true},
    {"signal_fields", copied_columns::k_signal_fields, "signal_id, name", false},
    {"submitters", copied_columns::k_submitters, "id", true},
    {"decisions", copied_columns::k_decisions, "id", true},
    {"root_causes", copied_columns::k_root_causes, "signal_id", false},
    {"root_cause_items", copied_columns::k_root_cause_items, "signal_id, kind, position", false},
    {"actions", copied_columns::k_actions, "id", true},
    {"measurements", copied_columns::k_measurements, "id", true},
    {"feedback", copied_columns::k_feedback, "id", true},
    {"history", copied_columns::k_history, "id", true},
    {"recurrences", copied_columns::k_recurrences, "signal_id, closed_signal_id", false},
    {"customers", copied_columns::k_customers, "name", false},
}};

// Tables that the target builds from the copied rows (the search index, the step stays, the
// report tallies) or that describe the schema itself; they are never copied.
inline constexpr std::string_view k_derived_tables[] = {
    "schema_version",         "signals_fts",         "signals_fts_config",  "signals_fts_data",
    "signals_fts_docsize",    "signals_fts_idx",     "step_stays",          "tally_due",
    "tally_effect",           "tally_fields",        "tally_impact",        "tally_joined",
    "tally_months",           "tally_states",        "tally_stays",         "tally_submitted",
    "tally_waiting",          "tally_responses",     "tally_response_days", "tally_unanswered",
    "tally_verdicts",         "tally_closings",      "tally_saved",         "tally_recurrable",
    "tally_recurring",        "tally_due_signals",   "tally_joins",         "tally_late",
    "tally_submitted_oldest", "tally_joined_oldest", "tally_words"};

// Columns of copied tables that the target computes from the others ("table.column"): the
// PostgreSQL search words of a signal.
inline constexpr std::string_view k_derived_columns[] = {"signals.search"};

// One row of a copied table, its cells in the table's column order: integers in decimal, reals
// in their shortest exact form, text as it is; nullopt for NULL.
using Row = std::vector<std::optional<std::string>>;

// Writes rows into one table of a database that a copy fills (see Store::begin_copy).
class RowWriter {
public:
    virtual ~RowWriter() = default;
    // Adds a row with its own id; it may wait in a buffer until finish().
    virtual void add(const Row& row) = 0;
    // Writes whatever is buffered; call before the next table.
    virtual void finish() = 0;
};

// What a copy carried over.
struct CopyCount {
    std::int64_t signals = 0;
    std::int64_t rows = 0; // in all copied tables
};

// Copies every row of `source` into `target` in the one write transaction that this opens and
// commits: the source read as one snapshot, ids kept, derived data rebuilt in the target. Both
// must have the schema version this build writes. Throws Refused, naming the target, when any of
// its copied tables holds a row; on any failure nothing of the copy stays in the target.
CopyCount copy_into(Store& source, Store& target, const std::string& target_name);

// Copies the database `source` into `target`, each a SQLite file or a PostgreSQL URI. A target
// file that does not exist is written under a temporary name and renamed when complete (as
// write_sqlite_snapshot); an existing target must be an empty sileram database (copy_into).
// Throws Refused for a missing source, InvalidInput when both name one database.
CopyCount copy_database(const std::filesystem::path& source, const std::filesystem::path& target);

// Writes the database of `source` into the new SQLite file `file`, as one snapshot: under a
// temporary name beside it, checked with PRAGMA integrity_check, synced, then linked into place,
// so `file` appears complete or not at all. Refuses a `file` that exists.
struct SnapshotFile {
    CopyCount copied;
    std::int64_t pages = 0; // of the new file
};
SnapshotFile write_sqlite_snapshot(Store& source, const std::filesystem::path& file);

} // namespace sileram::storage
