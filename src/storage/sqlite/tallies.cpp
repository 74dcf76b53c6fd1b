#include "tallies.hpp"

#include "../state_lists.hpp"

#include <array>
#include <fmt/format.h>
#include <string>
#include <utility>

namespace sileram::storage::sqlite {

namespace {

// ?1, ?2, ?3: the marks for signals, step stays and submitters. Every statement adds to a row
// that exists, so it serves both the first fill and an import's addition.
constexpr const char* k_add_states = R"sql(
INSERT INTO tally_states (state, step, signals)
SELECT state, step, count(*) FROM signals WHERE id > ?1 GROUP BY state, step
ON CONFLICT (state, step) DO UPDATE SET signals = signals + excluded.signals
)sql";

constexpr const char* k_add_impact = R"sql(
INSERT INTO tally_impact (state, contacts, satisfaction_impact, cost_per_contact_cents, signals)
SELECT state, contacts, satisfaction_impact, cost_per_contact_cents, count(*) FROM signals
WHERE id > ?1 AND contacts IS NOT NULL GROUP BY 1, 2, 3, 4
ON CONFLICT (state, contacts, satisfaction_impact, cost_per_contact_cents)
DO UPDATE SET signals = signals + excluded.signals
)sql";

// Grouped once by all four fields, then per field: one pass over the signals instead of four.
// {impact_states}: the domain's list (state_lists.hpp), filled in by signal_additions().
constexpr const char* k_add_fields = R"sql(
INSERT INTO tally_fields (name, value, open, signals, contacts, score, cost_cents)
WITH figures AS (
    SELECT channel, product, process, customer,
           contacts IS NOT NULL AND state IN {impact_states} AS open,
           coalesce(contacts, 0) AS contacts,
           coalesce(contacts * satisfaction_impact, 0) AS score,
           coalesce(contacts * cost_per_contact_cents, 0) AS cost_cents
    FROM signals WHERE id > ?1),
cells AS (
    SELECT channel, product, process, customer, open, count(*) AS signals,
           sum(contacts) AS contacts, sum(score) AS score, sum(cost_cents) AS cost_cents
    FROM figures GROUP BY 1, 2, 3, 4, 5),
per_field AS (
    SELECT 'channel' AS name, coalesce(channel, '') AS value, open, sum(signals) AS signals,
           sum(contacts) AS contacts, sum(score) AS score, sum(cost_cents) AS cost_cents
    FROM cells GROUP BY 2, 3
    UNION ALL
    SELECT 'product', coalesce(product, ''), open, sum(signals), sum(contacts), sum(score),
           sum(cost_cents) FROM cells GROUP BY 2, 3
    UNION ALL
    SELECT 'process', coalesce(process, ''), open, sum(signals), sum(contacts), sum(score),
           sum(cost_cents) FROM cells GROUP BY 2, 3
    UNION ALL
    SELECT 'customer', coalesce(customer, ''), open, sum(signals), sum(contacts), sum(score),
           sum(cost_cents) FROM cells GROUP BY 2, 3)
SELECT * FROM per_field WHERE true
ON CONFLICT (name, value, open) DO UPDATE SET signals = signals + excluded.signals,
    contacts = contacts + excluded.contacts, score = score + excluded.score,
    cost_cents = cost_cents + excluded.cost_cents
)sql";

constexpr const char* k_add_entered = R"sql(
INSERT INTO tally_months (month, entered)
SELECT substr(submitted_at, 1, 7), count(*) FROM signals WHERE id > ?1 GROUP BY 1
ON CONFLICT (month) DO UPDATE SET entered = entered + excluded.entered
)sql";

constexpr const char* k_add_left = R"sql(
INSERT INTO tally_months (month, left)
SELECT substr(entered_at, 1, 7), count(*) FROM step_stays WHERE id > ?2 AND step = 10 GROUP BY 1
ON CONFLICT (month) DO UPDATE SET left = left + excluded.left
)sql";

constexpr const char* k_add_stays = R"sql(
INSERT INTO tally_stays (step, day, stays)
SELECT step, CASE WHEN seconds >= 0 THEN seconds / 86400 ELSE -((86399 - seconds) / 86400) END,
       count(*)
FROM step_stays WHERE id > ?2 AND seconds IS NOT NULL GROUP BY 1, 2
ON CONFLICT (step, day) DO UPDATE SET stays = stays + excluded.stays
)sql";

constexpr const char* k_add_waiting = R"sql(
INSERT INTO tally_waiting (step, stays)
SELECT step, count(*) FROM step_stays WHERE id > ?2 AND left_at IS NULL GROUP BY step
ON CONFLICT (step) DO UPDATE SET stays = stays + excluded.stays
)sql";

constexpr const char* k_add_due = R"sql(
INSERT INTO tally_due (due, actions)
SELECT a.due, count(*) FROM actions a JOIN signals s ON s.id = a.signal_id
WHERE s.id > ?1 AND a.status IN ('planned', 'in-progress') AND a.due IS NOT NULL
  AND s.state IN ('approved', 'in-progress')
GROUP BY a.due
ON CONFLICT (due) DO UPDATE SET actions = actions + excluded.actions
)sql";

constexpr const char* k_add_effect = R"sql(
INSERT INTO tally_effect (signal_id, measurement_id, contacts_saved, saved_cents, expected_base,
                          expects_reduction, cost_cents, satisfaction_delta, measured_contacts,
                          measured_satisfaction)
SELECT s.id, m.id, s.contacts - m.contacts, (s.contacts - m.contacts) * s.cost_per_contact_cents,
       s.contacts * s.cost_per_contact_cents * s.expected_reduction_hundredths,
       s.expected_reduction_hundredths > 0,
       coalesce((SELECT sum(a.cost_cents) FROM actions a WHERE a.signal_id = s.id
                 AND a.status <> 'cancelled'), 0),
       m.satisfaction_hundredths - s.satisfaction_hundredths, m.contacts, m.satisfaction_hundredths
FROM (SELECT signal_id, max(id) AS id FROM measurements WHERE signal_id > ?1
      GROUP BY signal_id) latest
JOIN measurements m ON m.id = latest.id JOIN signals s ON s.id = latest.signal_id
WHERE s.contacts IS NOT NULL
)sql";

constexpr const char* k_add_submitted = R"sql(
INSERT INTO tally_submitted (email, signals)
SELECT submitted_by, count(*) FROM signals WHERE id > ?1 AND state <> 'closed'
GROUP BY submitted_by
ON CONFLICT (email) DO UPDATE SET signals = signals + excluded.signals
)sql";

constexpr const char* k_add_joined = R"sql(
INSERT INTO tally_joined (email, signals)
SELECT u.email COLLATE BINARY, count(*) FROM submitters u JOIN signals s ON s.id = u.signal_id
WHERE u.id > ?3 AND u.via <> 'submit' AND s.state <> 'closed' GROUP BY 1
ON CONFLICT (email) DO UPDATE SET signals = signals + excluded.signals
)sql";

// The tallies of migration 11 for `report response`: each signal's first response from its history,
// counted per day of the wait, and the signals without one per day of submission. ?1: the signal
// mark.
constexpr const char* k_add_responses = R"sql(
INSERT INTO tally_responses (signal_id, month, channel, seconds)
SELECT s.id, substr(s.submitted_at, 1, 7), coalesce(s.channel, ''),
       max(0, unixepoch(f.at) - unixepoch(s.submitted_at))
FROM (SELECT signal_id, min(id), at FROM history NOT INDEXED
      WHERE signal_id > ?1 AND event IN ('accept', 'reject', 'duplicate', 'needs-info')
      GROUP BY signal_id) f
JOIN signals s ON s.id = f.signal_id
ORDER BY s.id
)sql";

constexpr const char* k_add_response_days = R"sql(
INSERT INTO tally_response_days (month, channel, day, signals)
SELECT month, channel, seconds / 86400, count(*) FROM tally_responses WHERE signal_id > ?1
GROUP BY 1, 2, 3
ON CONFLICT DO UPDATE SET signals = signals + excluded.signals
)sql";

constexpr const char* k_add_unanswered = R"sql(
INSERT INTO tally_unanswered (day, channel, signals)
SELECT substr(submitted_at, 1, 10), coalesce(channel, ''), count(*) FROM signals s
WHERE id > ?1 AND NOT EXISTS (SELECT 1 FROM tally_responses r WHERE r.signal_id = s.id)
GROUP BY 1, 2
ON CONFLICT DO UPDATE SET signals = signals + excluded.signals
)sql";

// The trend tallies of migration 11: first verdicts, closings and savings per month.
constexpr const char* k_add_verdicts = R"sql(
INSERT INTO tally_verdicts (signal_id, at)
SELECT signal_id, min(at) FROM history
WHERE signal_id > ?1 AND event IN ('accept', 'reject', 'duplicate') GROUP BY signal_id
)sql";

constexpr const char* k_add_verdict_months = R"sql(
INSERT INTO tally_months (month, verdicts)
SELECT substr(at, 1, 7), count(*) FROM tally_verdicts WHERE signal_id > ?1 GROUP BY 1
ON CONFLICT (month) DO UPDATE SET verdicts = verdicts + excluded.verdicts
)sql";

constexpr const char* k_add_closings = R"sql(
INSERT INTO tally_closings (history_id, signal_id, month, seconds)
SELECT h.id, h.signal_id, substr(h.at, 1, 7), max(0, unixepoch(h.at) - unixepoch(s.submitted_at))
FROM history h JOIN signals s ON s.id = h.signal_id
WHERE h.signal_id > ?1 AND h.to_state = 'closed' AND coalesce(h.from_state, '') <> 'closed'
)sql";

constexpr const char* k_add_closing_months = R"sql(
INSERT INTO tally_months (month, closed)
SELECT month, count(*) FROM tally_closings WHERE signal_id > ?1 GROUP BY 1
ON CONFLICT (month) DO UPDATE SET closed = closed + excluded.closed
)sql";

constexpr const char* k_add_saved = R"sql(
INSERT INTO tally_saved (signal_id, month, saved_cents)
SELECT t.signal_id, substr(m.measured_at, 1, 7), coalesce(t.saved_cents, 0)
FROM tally_effect t JOIN measurements m ON m.id = t.measurement_id WHERE t.signal_id > ?1
)sql";

constexpr const char* k_add_saved_months = R"sql(
INSERT INTO tally_months (month, measured, saved_cents)
SELECT month, count(*), sum(saved_cents) FROM tally_saved WHERE signal_id > ?1 GROUP BY 1
ON CONFLICT (month) DO UPDATE SET measured = measured + excluded.measured,
    saved_cents = saved_cents + excluded.saved_cents
)sql";

constexpr const char* k_add_recurrable = R"sql(
INSERT INTO tally_recurrable (process, signals)
SELECT coalesce(process, ''), count(*) FROM signals s
WHERE id > ?1 AND state = 'closed' AND EXISTS (SELECT 1 FROM root_causes WHERE signal_id = s.id)
  AND EXISTS (SELECT 1 FROM measurements WHERE signal_id = s.id)
GROUP BY 1
ON CONFLICT (process) DO UPDATE SET signals = signals + excluded.signals
)sql";

// In this order: each reads what the one before wrote; the savings read tally_effect, which
// the tallies of migration 5 hold.
constexpr const char* k_wait_additions[] = {
    k_add_responses,      k_add_response_days, k_add_unanswered,     k_add_verdicts,
    k_add_verdict_months, k_add_closings,      k_add_closing_months, k_add_saved,
    k_add_saved_months,   k_add_recurrable};

// What the signals' own rows add, and what the rows that belong to them add.
const std::array<std::string, 5>& signal_additions() {
    static const std::array<std::string, 5> additions{
        k_add_states, k_add_impact,
        fmt::format(fmt::runtime(k_add_fields), fmt::arg("impact_states", sql_impact_states())),
        k_add_entered, k_add_submitted};
    return additions;
}
constexpr const char* k_child_additions[] = {k_add_left, k_add_stays,  k_add_waiting,
                                             k_add_due,  k_add_effect, k_add_joined};

// One distinct value at a time, for ImportTallies::flush.
constexpr const char* k_upsert_state = R"sql(
INSERT INTO tally_states (state, step, signals) VALUES (?1, ?2, ?3)
ON CONFLICT (state, step) DO UPDATE SET signals = signals + excluded.signals
)sql";
constexpr const char* k_upsert_field = R"sql(
INSERT INTO tally_fields (name, value, open, signals, contacts, score, cost_cents)
VALUES (?1, ?2, 0, ?3, 0, 0, 0)
ON CONFLICT (name, value, open) DO UPDATE SET signals = signals + excluded.signals
)sql";
constexpr const char* k_upsert_month = R"sql(
INSERT INTO tally_months (month, entered) VALUES (?1, ?2)
ON CONFLICT (month) DO UPDATE SET entered = entered + excluded.entered
)sql";
constexpr const char* k_upsert_unanswered = R"sql(
INSERT INTO tally_unanswered (day, channel, signals) VALUES (?1, ?2, ?3)
ON CONFLICT (day, channel) DO UPDATE SET signals = signals + excluded.signals
)sql";
constexpr const char* k_upsert_submitted = R"sql(
INSERT INTO tally_submitted (email, signals) VALUES (?1, ?2)
ON CONFLICT (email) DO UPDATE SET signals = signals + excluded.signals
)sql";

// The triggers a bulk import would fire per row: those on the tables it writes. Those on the
// history count responses, verdicts and closings, which a new signal's `submit` row never is;
// evaluating whether they apply took 3 µs a row.
constexpr const char* k_import_triggers = R"sql(
SELECT name, sql FROM sqlite_schema
WHERE type = 'trigger' AND name LIKE 'tally\_%' ESCAPE '\'
  AND tbl_name IN ('signals', 'step_stays', 'submitters', 'history')
ORDER BY name
)sql";

constexpr const char* k_marks = R"sql(
SELECT (SELECT coalesce(max(id), 0) FROM signals), (SELECT coalesce(max(id), 0) FROM step_stays),
       (SELECT coalesce(max(id), 0) FROM submitters)
)sql";

// `additions`: a range of SQL texts.
template <typename Texts>
void run_additions(Connection& db, const Texts& additions, const TallyMarks& marks) {
    const std::array<std::int64_t, 3> values{marks.signals, marks.stays, marks.submitters};
    for (const auto& sql : additions) {
        // Each statement uses the marks it needs, numbered as in `values`.
        Statement addition = db.prepare(sql);
        for (int i = 1; i <= addition.parameter_count(); ++i) {
            addition.bind(i, values.at(i - 1));
        }
        addition.run();
    }
}

} // namespace

void add_to_version_5_tallies(Connection& db, const TallyMarks& marks) {
    run_additions(db, signal_additions(), marks);
    run_additions(db, k_child_additions, marks);
}

void add_to_wait_tallies(Connection& db, const TallyMarks& marks) {
    run_additions(db, k_wait_additions, marks);
}

void add_to_tallies(Connection& db, const TallyMarks& marks) {
    add_to_version_5_tallies(db, marks);
    add_to_wait_tallies(db, marks);
}

ImportTallies::ImportTallies(Connection& db, std::size_t batch_values)
    : m_db(db), m_batch_values(batch_values) {
    Statement marks = m_db.prepare(k_marks);
    marks.step();
    m_marks = TallyMarks{marks.integer(0), marks.integer(1), marks.integer(2)};
    m_triggers = drop_schema_objects(m_db, "TRIGGER", k_import_triggers);
}

void ImportTallies::count(std::string_view state, int step, std::string_view submitted_by,
                          std::string_view submitted_at, const StandardValues& fields) {
    auto add = [this](Counts& counts, std::string_view key) {
        if (const auto it = counts.find(key); it != counts.end()) {
            ++it->second;
            return;
        }
        counts.emplace(std::string(key), 1);
        ++m_distinct;
    };
    const auto [state_count, fresh_state] = m_states.try_emplace({std::string(state), step}, 0);
    ++state_count->second;
    m_distinct += fresh_state ? 1 : 0;
    add(m_months, submitted_at.substr(0, 7));
    // A new signal has no response yet. The key: the day, a NUL, the channel ('' when unset).
    static_assert(domain::k_standard_fields[k_channel_field] == "channel");
    m_unanswered_key.assign(submitted_at.substr(0, 10));
    m_unanswered_key += '\0';
    if (fields[k_channel_field]) {
        m_unanswered_key += *fields[k_channel_field];
    }
    add(m_unanswered, m_unanswered_key);
    if (state != "closed") {
        add(m_submitted, submitted_by);
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
        add(m_fields[i], fields[i] ? std::string_view(*fields[i]) : std::string_view());
    }
    if (m_distinct >= m_batch_values) {
        flush();
    }
}

void ImportTallies::flush() {
    for (const auto& [key, n] : m_states) {
        m_db.cached(k_upsert_state).bind_all(key.first, key.second, n).run();
    }
    for (const auto& [month, n] : m_months) {
        m_db.cached(k_upsert_month).bind_all(month, n).run();
    }
    for (const auto& [key, n] : m_unanswered) {
        const std::size_t nul = key.find('\0');
        m_db.cached(k_upsert_unanswered).bind_all(key.substr(0, nul), key.substr(nul + 1), n).run();
    }
    for (const auto& [email, n] : m_submitted) {
        m_db.cached(k_upsert_submitted).bind_all(email, n).run();
    }
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        for (const auto& [value, n] : m_fields[i]) {
            m_db.cached(k_upsert_field).bind_all(domain::k_standard_fields[i], value, n).run();
        }
        m_fields[i].clear();
    }
    m_states.clear();
    m_months.clear();
    m_unanswered.clear();
    m_submitted.clear();
    m_distinct = 0;
}

void ImportTallies::finish() {
    if (m_finished) {
        return;
    }
    flush();
    run_additions(m_db, k_child_additions, m_marks);
    restore_schema_objects(m_db, m_triggers);
    m_finished = true;
}

} // namespace sileram::storage::sqlite
