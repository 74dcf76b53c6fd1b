#include "submit_tallies.hpp"

#include "../state_lists.hpp"
#include "sileram/domain/time.hpp"
#include "sileram/domain/workflow.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::storage::postgres {

namespace {

using namespace domain;

// $1 the signal's id, $2 the time of its submit (its history entry).
//
// The upserts come in the order the triggers make them (those of signals in the order of their
// names, then those of history), so that a submit takes the locks on the shared tally rows in
// the same order as a submit through the triggers: concurrent writers queue, never deadlock.
//
// tally_late as tally_late_history_insert leaves it: the stay in the state began at the submit.
constexpr const char* k_late = R"sql(
INSERT INTO tally_late (signal_id, state, submitted_at, entered_at, responded)
SELECT id, state, submitted_at, $2, false FROM signals WHERE id = $1
)sql";

constexpr const char* k_submitted_oldest = R"sql(
INSERT INTO tally_submitted_oldest AS t (email, address, submitted_at, signal_id)
SELECT submitted_by, ascii_lower(submitted_by), submitted_at, id FROM signals WHERE id = $1
ON CONFLICT (email) DO UPDATE SET submitted_at = excluded.submitted_at,
    signal_id = excluded.signal_id
WHERE (excluded.submitted_at, excluded.signal_id) < (t.submitted_at, t.signal_id)
)sql";

constexpr const char* k_submitted = R"sql(
INSERT INTO tally_submitted AS t (email, signals)
SELECT submitted_by, 1 FROM signals WHERE id = $1
ON CONFLICT (email) DO UPDATE SET signals = t.signals + excluded.signals
)sql";

constexpr const char* k_states = R"sql(
INSERT INTO tally_states AS t (state, step, signals)
SELECT state, step, 1 FROM signals WHERE id = $1
ON CONFLICT (state, step) DO UPDATE SET signals = t.signals + excluded.signals
)sql";

constexpr const char* k_impact = R"sql(
INSERT INTO tally_impact AS t (state, contacts, satisfaction_impact, cost_per_contact_cents,
                               signals)
SELECT state, contacts, satisfaction_impact, cost_per_contact_cents, 1 FROM signals
WHERE id = $1 AND contacts IS NOT NULL
ON CONFLICT ON CONSTRAINT tally_impact_cell DO UPDATE SET signals = t.signals + excluded.signals
)sql";

// {impact_states}: the states whose contacts count as open in report fields.
constexpr const char* k_fields = R"sql(
INSERT INTO tally_fields AS t (name, value, open, signals, contacts, score, cost_cents)
SELECT f.name, coalesce(f.value, ''),
       s.contacts IS NOT NULL AND s.state IN {impact_states}, 1, coalesce(s.contacts, 0),
       coalesce(s.contacts * s.satisfaction_impact, 0),
       coalesce(s.contacts * s.cost_per_contact_cents, 0)
FROM signals s CROSS JOIN LATERAL (VALUES ('channel', s.channel), ('product', s.product),
                                          ('process', s.process), ('customer', s.customer))
                                  AS f (name, value)
WHERE s.id = $1
ORDER BY 1, 2, 3
ON CONFLICT (name, value, open) DO UPDATE SET signals = t.signals + excluded.signals,
    contacts = t.contacts + excluded.contacts, score = t.score + excluded.score,
    cost_cents = t.cost_cents + excluded.cost_cents
)sql";

constexpr const char* k_months = R"sql(
INSERT INTO tally_months AS t (month, entered)
SELECT substr(submitted_at, 1, 7), 1 FROM signals WHERE id = $1
ON CONFLICT (month) DO UPDATE SET entered = t.entered + excluded.entered
)sql";

// A new signal waits for its first response.
constexpr const char* k_unanswered = R"sql(
WITH came AS (
    INSERT INTO tally_responses (signal_id, month, channel, day, seconds)
    SELECT id, substr(submitted_at, 1, 7), coalesce(channel, ''), substr(submitted_at, 1, 10),
           NULL
    FROM signals WHERE id = $1
    RETURNING day, channel)
INSERT INTO tally_unanswered AS t (day, channel, signals)
SELECT day, channel, 1 FROM came
ON CONFLICT (day, channel) DO UPDATE SET signals = t.signals + excluded.signals
)sql";

// A tsvector holds each word once.
constexpr const char* k_words = R"sql(
INSERT INTO tally_words AS t (word, signals)
SELECT w COLLATE "C", 1 FROM signals s CROSS JOIN LATERAL unnest(tsvector_to_array(s.search)) w
WHERE s.id = $1
ORDER BY 1
ON CONFLICT (word) DO UPDATE SET signals = t.signals + excluded.signals
)sql";

// The first stay, in the signal's step since the submit, still open: it waits.
constexpr const char* k_stay = R"sql(
INSERT INTO step_stays (signal_id, step, entered_at) SELECT id, step, $2 FROM signals WHERE id = $1
)sql";

constexpr const char* k_waiting = R"sql(
INSERT INTO tally_waiting AS t (step, stays) SELECT step, 1 FROM signals WHERE id = $1
ON CONFLICT (step) DO UPDATE SET stays = t.stays + excluded.stays
)sql";

const std::string& fields_sql() {
    static const std::string sql =
        fmt::format(fmt::runtime(k_fields), fmt::arg("impact_states", sql_impact_states()));
    return sql;
}

const std::string& turn_sql(bool off) {
    static const std::string turn_off =
        fmt::format("SELECT set_config('{}', 'on', true)", k_tallies_by_store);
    static const std::string turn_on =
        fmt::format("SELECT set_config('{}', '', true)", k_tallies_by_store);
    return off ? turn_off : turn_on;
}

} // namespace

bool tallies_by_store(const Signal& s) {
    if (s.id != 0 || s.state != State::submitted || s.step != 1 || s.history.size() != 1) {
        return false;
    }
    const HistoryEntry& submit = s.history.front();
    const bool by_submit = std::all_of(s.submitters.begin(), s.submitters.end(),
                                       [](const Submitter& u) { return u.via == "submit"; });
    return submit.event == to_string(Event::submit) && !submit.from &&
           submit.to == State::submitted && by_submit && s.decisions.empty() && !s.root_cause &&
           s.actions.empty() && s.measurements.empty();
}

void turn_off_tally_triggers(Connection& db) {
    db.exec(turn_sql(true).c_str());
}

std::vector<Statement> submit_tally_statements(const Signal& s) {
    const Params signal(s.id);
    const Params signal_at(s.id, format_timestamp(s.history.front().stamp.at));
    return {{k_late, signal_at}, {k_submitted_oldest, signal}, {k_submitted, signal},
            {k_states, signal},  {k_impact, signal},           {fields_sql().c_str(), signal},
            {k_months, signal},  {k_unanswered, signal},       {k_words, signal},
            {k_stay, signal_at}, {k_waiting, signal},          {turn_sql(false).c_str(), Params()}};
}

} // namespace sileram::storage::postgres
