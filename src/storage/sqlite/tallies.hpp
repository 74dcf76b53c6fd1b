#pragma once

#include "connection.hpp"
#include "sileram/domain/signal.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sileram::storage::sqlite {

// The report tallies of schema 5 (see docs/schema.md) are kept row by row by triggers. Here they
// are filled for many rows at once: set-based when migration 5 creates them, and in batches during
// a bulk import.

// A signal's value of each standard field, in the order of domain::k_standard_fields.
using StandardValues = std::array<std::optional<std::string>, std::size(domain::k_standard_fields)>;

// Where the rows to add begin: everything after these row ids. A signal after `signals` counts
// with all its actions and measurements; stays and submitters count by their own ids.
struct TallyMarks {
    std::int64_t signals = 0;
    std::int64_t stays = 0;
    std::int64_t submitters = 0;
};

// Adds the rows after `marks` to every tally.
void add_to_tallies(Connection& db, const TallyMarks& marks);
// The same for the tallies of migration 5 only, as that migration fills them.
void add_to_version_5_tallies(Connection& db, const TallyMarks& marks);
// The same for the tallies of migration 11 only (`report response` and `report trend`): their
// rows of the signals after the signal mark.
void add_to_wait_tallies(Connection& db, const TallyMarks& marks);

// The report tallies during a bulk import. The per-row triggers on the tables an import writes
// are dropped inside the caller's transaction (they would run a dozen statements per row); the
// importer counts each new signal here instead, and the counts go to the tallies in batches, one
// upsert per distinct value. finish() adds the rows the signals brought along (step stays,
// submitters) set-based and recreates the triggers as they were; if the transaction rolls back
// instead, the drop rolls back with it.
class ImportTallies {
public:
    // Counts are written out once this many distinct values are held: a few MiB of memory, and
    // most values written once per batch of rows.
    static constexpr std::size_t k_batch_values = 50000;

    explicit ImportTallies(Connection& db, std::size_t batch_values = k_batch_values);

    // A new signal as an import writes it: without figures, so it counts in no impact cell.
    void count(std::string_view state, int step, std::string_view submitted_by,
               std::string_view submitted_at, const StandardValues& fields);
    void finish();

private:
    void flush();

    Connection& m_db;
    TallyMarks m_marks;
    std::vector<std::string> m_triggers; // their CREATE statements, as SQLite keeps them
    bool m_finished = false;
    // Looked up by string_view, so a value already counted costs no copy of its text.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept {
            return std::hash<std::string_view>{}(text);
        }
    };
    using Counts = std::unordered_map<std::string, std::int64_t, TextHash, std::equal_to<>>;

    std::map<std::pair<std::string, int>, std::int64_t> m_states;
    Counts m_months;
    Counts m_unanswered;          // by day of submission and channel (see count())
    std::string m_unanswered_key; // reused, so a known key costs no allocation
    static constexpr std::size_t k_channel_field = 0;
    Counts m_submitted;
    // Per standard field: signals per value.
    std::array<Counts, std::size(domain::k_standard_fields)> m_fields;
    std::size_t m_batch_values;
    std::size_t m_distinct = 0;
};

} // namespace sileram::storage::sqlite
