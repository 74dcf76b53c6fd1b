#include "pg_store.hpp"

#include "../late_sql.hpp"
#include "../state_lists.hpp"
#include "bulk_insert.hpp"
#include "connection.hpp"
#include "copy_rows.hpp"
#include "migrations.hpp"
#include "reports.hpp"
#include "search.hpp"
#include "sileram/errors.hpp"
#include "submit_tallies.hpp"

#include <array>
#include <chrono>
#include <cstdlib>
#include <fmt/format.h>
#include <span>
#include <variant>

namespace sileram::storage::postgres {

namespace {

using namespace domain;

constexpr const char* k_insert_signal = R"sql(
INSERT INTO signals (title, description, state, step, submitted_by, submitted_at, updated_at,
                     external_id, channel, product, process, customer, triage_reason,
                     duplicate_of, contacts, satisfaction_impact, cost_per_contact_cents,
                     satisfaction_hundredths, expected_reduction_hundredths,
                     expected_satisfaction_hundredths, closing_summary, search, id, project)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
        $21, to_tsvector('sileram.search', $22), $23, $24)
)sql";

constexpr const char* k_update_signal = R"sql(
UPDATE signals SET state = $1, step = $2, updated_at = $3, triage_reason = $4, duplicate_of = $5,
       contacts = $6, satisfaction_impact = $7, cost_per_contact_cents = $8,
       satisfaction_hundredths = $9, expected_reduction_hundredths = $10,
       expected_satisfaction_hundredths = $11, closing_summary = $12
WHERE id = $13
)sql";

constexpr const char* k_select_signal = R"sql(
SELECT id, title, description, state, step, submitted_by, submitted_at, updated_at, external_id,
       channel, product, process, customer, triage_reason, duplicate_of, contacts,
       satisfaction_impact, cost_per_contact_cents, satisfaction_hundredths,
       expected_reduction_hundredths, expected_satisfaction_hundredths, closing_summary,
       approved_at, approved_reduction_hundredths, approved_satisfaction_hundredths,
       approved_savings_per_year_cents, approved_cost_cents, project
FROM signals WHERE id = $1
)sql";

// Apart from the other columns, as on SQLite: only an approved signal writes them.
constexpr const char* k_update_approved_case = R"sql(
UPDATE signals SET approved_at = $1, approved_reduction_hundredths = $2,
       approved_satisfaction_hundredths = $3, approved_savings_per_year_cents = $4,
       approved_cost_cents = $5
WHERE id = $6
)sql";
// In a write transaction the signal's row stays locked from its read until the commit, so two
// commands that change the same signal take turns instead of one overwriting the other.
constexpr const char* k_select_signal_for_update = R"sql(
SELECT id, title, description, state, step, submitted_by, submitted_at, updated_at, external_id,
       channel, product, process, customer, triage_reason, duplicate_of, contacts,
       satisfaction_impact, cost_per_contact_cents, satisfaction_hundredths,
       expected_reduction_hundredths, expected_satisfaction_hundredths, closing_summary,
       approved_at, approved_reduction_hundredths, approved_satisfaction_hundredths,
       approved_savings_per_year_cents, approved_cost_cents, project
FROM signals WHERE id = $1 FOR UPDATE
)sql";

constexpr const char* k_insert_field =
    "INSERT INTO signal_fields (signal_id, name, value) VALUES ($1, $2, $3)";
constexpr const char* k_select_fields =
    "SELECT name, value FROM signal_fields WHERE signal_id = $1 ORDER BY name";
constexpr const char* k_insert_submitter = R"sql(
INSERT INTO submitters (signal_id, email, joined_at, via) VALUES ($1, $2, $3, $4) RETURNING id
)sql";
constexpr const char* k_select_submitters =
    "SELECT id, email, joined_at, via FROM submitters WHERE signal_id = $1 ORDER BY id";
constexpr const char* k_insert_decision = R"sql(
INSERT INTO decisions (signal_id, gate, verdict, reason, until, decided_by, decided_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
)sql";
constexpr const char* k_select_decisions = R"sql(
SELECT id, gate, verdict, reason, until, decided_by, decided_at
FROM decisions WHERE signal_id = $1 ORDER BY id
)sql";
constexpr const char* k_upsert_root_cause = R"sql(
INSERT INTO root_causes (signal_id, cause, customer_view, internal_view, method, evidence,
                         recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (signal_id) DO UPDATE SET cause = excluded.cause,
    customer_view = excluded.customer_view, internal_view = excluded.internal_view,
    method = excluded.method, evidence = excluded.evidence, recorded_by = excluded.recorded_by,
    recorded_at = excluded.recorded_at
)sql";
constexpr const char* k_delete_root_cause_items =
    "DELETE FROM root_cause_items WHERE signal_id = $1";
constexpr const char* k_insert_root_cause_item =
    "INSERT INTO root_cause_items (signal_id, kind, position, text) VALUES ($1, $2, $3, $4)";
constexpr const char* k_select_root_cause = R"sql(
SELECT cause, customer_view, internal_view, method, evidence, recorded_by, recorded_at
FROM root_causes WHERE signal_id = $1
)sql";
constexpr const char* k_select_root_cause_items =
    "SELECT kind, text FROM root_cause_items WHERE signal_id = $1 ORDER BY kind, position";
constexpr const char* k_insert_action = R"sql(
INSERT INTO actions (signal_id, number, parent_number, title, owner, due, cost_cents, status,
                     progress, created_at, done_at, project)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
)sql";
constexpr const char* k_update_action =
    "UPDATE actions SET status = $1, progress = $2, done_at = $3 WHERE id = $4";
constexpr const char* k_select_actions = R"sql(
SELECT id, number, parent_number, title, owner, due, cost_cents, status, progress, created_at,
       done_at, project
FROM actions WHERE signal_id = $1 ORDER BY number
)sql";
constexpr const char* k_insert_measurement = R"sql(
INSERT INTO measurements (signal_id, contacts, satisfaction_hundredths, note, measured_by,
                          measured_at)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
)sql";
constexpr const char* k_select_measurements = R"sql(
SELECT id, contacts, satisfaction_hundredths, note, measured_by, measured_at
FROM measurements WHERE signal_id = $1 ORDER BY id
)sql";
constexpr const char* k_insert_feedback = R"sql(
INSERT INTO feedback (signal_id, recipient, outcome, status, queued_at, stage, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
)sql";
constexpr const char* k_select_feedback = R"sql(
SELECT id, recipient, outcome, status, queued_at, sent_at, message_id, attempts, last_error, stage,
       detail
FROM feedback WHERE signal_id = $1 ORDER BY id
)sql";
constexpr const char* k_select_queued_feedback = R"sql(
SELECT id, recipient, outcome, status, queued_at, sent_at, message_id, attempts, last_error, stage,
       detail, signal_id
FROM feedback WHERE status = 'queued' AND id > $1 ORDER BY id LIMIT $2
)sql";
constexpr const char* k_select_claimed_feedback = R"sql(
SELECT id, recipient, outcome, status, queued_at, sent_at, message_id, attempts, last_error, stage,
       detail, signal_id, claim, claimed_at
FROM feedback WHERE status = 'sending' ORDER BY id
)sql";
// Under read committed a second run that reaches the row while the first holds it waits, then
// sees `sending` and changes nothing. The Message-ID of an earlier attempt stays, so every
// attempt of one mail carries the same.
constexpr const char* k_claim_feedback = R"sql(
UPDATE feedback SET status = 'sending', claim = $1, claimed_at = $2,
       message_id = CASE WHEN message_id = '' THEN $3 ELSE message_id END
WHERE id = $4 AND status = 'queued'
RETURNING message_id
)sql";
constexpr const char* k_mark_feedback_sent = R"sql(
UPDATE feedback SET status = 'sent', sent_at = $1, attempts = attempts + 1, last_error = '',
       last_attempt_at = $1, claim = NULL, claimed_at = NULL
WHERE id = $2 AND status = 'sending' AND claim = $3
)sql";
constexpr const char* k_mark_feedback_failed = R"sql(
UPDATE feedback SET status = $1, attempts = attempts + 1, last_error = $2, last_attempt_at = $3,
       claim = NULL, claimed_at = NULL
WHERE id = $4 AND status = 'sending' AND claim = $5
)sql";
// For this transaction only: how long the record of a mail's fate waits for a row lock.
constexpr const char* k_set_local_lock_timeout =
    "SELECT pg_catalog.set_config('lock_timeout', $1, true)";
constexpr const char* k_insert_history = R"sql(
INSERT INTO history (signal_id, at, by, event, from_state, to_state, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
)sql";
constexpr const char* k_select_history = R"sql(
SELECT id, at, by, event, from_state, to_state, detail
FROM history WHERE signal_id = $1 ORDER BY id
)sql";
constexpr const char* k_insert_recurrence =
    "INSERT INTO recurrences (signal_id, closed_signal_id, similarity) VALUES ($1, $2, $3)";
constexpr const char* k_select_recurrences = R"sql(
SELECT r.closed_signal_id, s.title, r.similarity
FROM recurrences r JOIN signals s ON s.id = r.closed_signal_id
WHERE r.signal_id = $1 ORDER BY r.similarity DESC, r.closed_signal_id
)sql";
constexpr const char* k_find_external_id = "SELECT id FROM signals WHERE external_id = $1";
constexpr const char* k_custom_field_names =
    "SELECT DISTINCT name FROM signal_fields ORDER BY name";
constexpr const char* k_all_ids = "SELECT id FROM signals WHERE id > $1 ORDER BY id LIMIT 500";
constexpr const char* k_list_columns = R"sql(
SELECT s.id, s.title, s.state, s.step, s.submitted_by, s.submitted_at, s.updated_at,
       s.channel, s.product, s.process, s.customer, s.contacts, s.satisfaction_impact,
       s.cost_per_contact_cents, s.satisfaction_hundredths,
       (SELECT count(*) FROM submitters u WHERE u.signal_id = s.id))sql";
constexpr const char* k_list_from = " FROM signals s WHERE true";
constexpr const char* k_count_signals = "SELECT count(*) FROM signals s WHERE true";
constexpr const char* k_count_tallied_states =
    "SELECT coalesce(sum(signals), 0) FROM tally_states WHERE true";
// Read commands see one snapshot, as a SQLite read transaction does.
constexpr const char* k_begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
// Read committed with the signal's row locked (k_select_signal_for_update): a waiting writer
// reads the row as the other one committed it.
constexpr const char* k_begin_write = "BEGIN ISOLATION LEVEL READ COMMITTED";

// Who writes a new signal's step stay and tallies: the triggers, or the store (submit_tallies).
enum class Tallies { by_triggers, by_store };

// A signal's child tables, read with the signal in one pipeline (PgStore::load).
enum class Child {
    fields,
    submitters,
    decisions,
    root_cause,
    root_cause_items,
    actions,
    measurements,
    feedback,
    history,
    recurrences
};
constexpr std::array<const char*, 10> k_child_selects = {
    k_select_fields,           k_select_submitters, k_select_decisions,    k_select_root_cause,
    k_select_root_cause_items, k_select_actions,    k_select_measurements, k_select_feedback,
    k_select_history,          k_select_recurrences};

std::optional<std::string> standard_field(const Signal& signal, std::string_view name) {
    const auto it = signal.fields.find(std::string(name));
    return it == signal.fields.end() ? std::nullopt : std::optional<std::string>(it->second);
}

[[noreturn]] void corrupt(std::string_view what, std::string_view value) {
    throw SystemFailure(fmt::format("the database holds an unknown {} '{}'", what, value));
}

Timestamp read_time(const Result& r, int row, int column) {
    const std::string text = r.text(row, column);
    const auto at = parse_timestamp(text);
    if (!at) {
        corrupt("time", text);
    }
    return *at;
}

std::optional<Timestamp> read_optional_time(const Result& r, int row, int column) {
    return r.is_null(row, column) ? std::nullopt
                                  : std::optional<Timestamp>(read_time(r, row, column));
}

std::optional<Date> read_optional_date(const Result& r, int row, int column) {
    if (r.is_null(row, column)) {
        return std::nullopt;
    }
    const auto day = parse_date(r.text(row, column));
    if (!day) {
        corrupt("date", r.text(row, column));
    }
    return day;
}

State read_state(const Result& r, int row, int column) {
    const std::string text = r.text(row, column);
    const auto state = parse_state(text);
    if (!state) {
        corrupt("state", text);
    }
    return *state;
}

std::optional<Decimal> read_decimal(const Result& r, int row, int column) {
    const auto value = r.optional_integer(row, column);
    return value ? std::optional<Decimal>(Decimal::from_hundredths(*value)) : std::nullopt;
}

std::optional<std::int64_t> hundredths(const std::optional<Decimal>& value) {
    return value ? std::optional<std::int64_t>(value->hundredths()) : std::nullopt;
}

std::optional<std::string> optional_date_text(const std::optional<Date>& day) {
    return day ? std::optional<std::string>(format_date(*day)) : std::nullopt;
}

std::optional<std::string> optional_time_text(const std::optional<Timestamp>& at) {
    return at ? std::optional<std::string>(format_timestamp(*at)) : std::nullopt;
}

// Mirrors the SQLite store's order; title ignores ASCII case only, as SQLite's NOCASE does.
std::string_view sort_column(SortKey key) {
    switch (key) {
    case SortKey::id:
        return "s.id";
    case SortKey::title:
        return "ascii_lower(s.title) COLLATE \"C\"";
    case SortKey::state:
        return "s.state";
    case SortKey::step:
        return "s.step";
    case SortKey::submitted_at:
        return "s.submitted_at";
    case SortKey::updated_at:
        return "s.updated_at";
    case SortKey::score:
        return "coalesce(s.contacts * s.satisfaction_impact, -1)";
    case SortKey::contacts:
        return "coalesce(s.contacts, -1)";
    }
    return "s.id";
}

Feedback read_feedback(const Result& r, int row) {
    Feedback f;
    f.id = r.integer(row, 0);
    f.recipient = r.text(row, 1);
    const auto outcome = parse_outcome(r.text(row, 2));
    const auto status = parse_delivery_status(r.text(row, 3));
    if (!outcome || !status) {
        corrupt("feedback outcome or status", r.text(row, 2) + "/" + r.text(row, 3));
    }
    f.outcome = *outcome;
    f.status = *status;
    f.queued_at = read_time(r, row, 4);
    f.sent_at = read_optional_time(r, row, 5);
    f.message_id = r.text(row, 6);
    f.attempts = static_cast<int>(r.integer(row, 7));
    f.last_error = r.text(row, 8);
    if (f.outcome == Outcome::needs_info) {
        f.question = static_cast<int>(std::strtol(r.text(row, 9).c_str(), nullptr, 10));
    } else if (!r.text(row, 9).empty()) {
        f.stage = read_state(r, row, 9);
    }
    f.detail = r.text(row, 10);
    return f;
}

class PgStore final : public Store, public FeedbackQueue {
public:
    explicit PgStore(const std::string& uri) : m_uri(uri), m_db(uri) {}

    Connection& connection() { return m_db; }

    void begin_write() override {
        if (m_db.in_transaction()) {
            m_db.exec("COMMIT"); // the read snapshot, if one was open
        }
        m_db.exec(k_begin_write);
        m_writing = true;
    }
    void commit() override {
        m_db.exec("COMMIT");
        m_writing = false;
    }
    void rollback() override {
        m_writing = false;
        if (m_db.in_transaction()) {
            m_db.exec("ROLLBACK");
        }
    }

    // The signal's row and its children's in one round trip: the row first (locked when
    // writing), then each child table, in the order of the Child enum.
    std::optional<Signal> load(SignalId id) override {
        const Params key(id);
        std::vector<Statement> statements = {
            {m_writing ? k_select_signal_for_update : k_select_signal, key}};
        for (const char* sql : k_child_selects) {
            statements.push_back({sql, key});
        }
        const std::vector<Result> results = m_db.exec_all(statements);
        const Result& r = results[0];
        if (r.rows() == 0) {
            return std::nullopt;
        }
        Signal s;
        s.id = r.integer(0, 0);
        s.title = r.text(0, 1);
        s.description = r.text(0, 2);
        s.state = read_state(r, 0, 3);
        s.step = static_cast<int>(r.integer(0, 4));
        s.submitted_by = r.text(0, 5);
        s.submitted_at = read_time(r, 0, 6);
        s.updated_at = read_time(r, 0, 7);
        s.external_id = r.optional_text(0, 8);
        for (int i = 0; i < 4; ++i) {
            if (auto value = r.optional_text(0, 9 + i)) {
                s.fields[std::string(k_standard_fields[static_cast<std::size_t>(i)])] = *value;
            }
        }
        s.triage_reason = r.optional_text(0, 13);
        s.duplicate_of = r.optional_integer(0, 14);
        if (!r.is_null(0, 15)) {
            s.impact = Impact{r.integer(0, 15), static_cast<int>(r.integer(0, 16)),
                              Decimal::from_hundredths(r.integer(0, 17)), read_decimal(r, 0, 18)};
        }
        s.expected_reduction = read_decimal(r, 0, 19);
        s.expected_satisfaction = read_decimal(r, 0, 20);
        s.closing_summary = r.optional_text(0, 21);
        if (!r.is_null(0, 22)) {
            s.approved_case =
                ApprovedCase{read_decimal(r, 0, 23), read_decimal(r, 0, 24), read_decimal(r, 0, 25),
                             Decimal::from_hundredths(r.integer(0, 26)), read_time(r, 0, 22)};
        }
        s.project = r.optional_text(0, 27);
        load_children(s, std::span(results).subspan(1));
        return s;
    }

    void insert(Signal& s) override {
        insert_signal(s, tallies_by_store(s) ? Tallies::by_store : Tallies::by_triggers);
    }

    void save(Signal& s) override {
        Params p(to_string(s.state), s.step, format_timestamp(s.updated_at));
        add_figures(p, s);
        p.add(s.id);
        m_db.exec(k_update_signal, p);
        if (s.approved_case) {
            const ApprovedCase& a = *s.approved_case;
            Params approved(format_timestamp(a.at));
            approved.add(hundredths(a.expected_reduction));
            approved.add(hundredths(a.expected_satisfaction));
            approved.add(hundredths(a.expected_savings_per_year));
            approved.add(a.cost.hundredths());
            approved.add(s.id);
            m_db.exec(k_update_approved_case, approved);
        }
        save_children(s);
    }

    std::optional<SignalId> find_by_external_id(const std::string& external_id) override {
        const Result r = m_db.exec(k_find_external_id, Params(external_id));
        return r.rows() == 0 ? std::nullopt : std::optional<SignalId>(r.integer(0, 0));
    }

    std::int64_t count(const ListQuery& q) override {
        if (counts_by_state_and_step(q)) {
            return count_from_tally(q);
        }
        std::string sql = k_count_signals;
        Params p;
        append_list_filters(q, sql, p);
        return m_db.exec(sql.c_str(), p).integer(0, 0);
    }

    // `list`'s "50 of N" for a state or step alone (its default: the open signals) comes from the
    // count per state and step that triggers keep (tally_states, schema 12): counting 1,000,000
    // open signals took 30-39 ms of the server's time, reading the tally a few rows.
    std::int64_t count_from_tally(const ListQuery& q) {
        std::string sql = k_count_tallied_states;
        Params p;
        int n = 0;
        if (!q.states.empty()) {
            sql += " AND state IN (";
            for (std::size_t i = 0; i < q.states.size(); ++i) {
                sql += fmt::format("{}${}", i == 0 ? "" : ", ", ++n);
                p.add(to_string(q.states[i]));
            }
            sql += ")";
        }
        if (q.step) {
            sql += fmt::format(" AND step = ${}", ++n);
            p.add(*q.step);
        }
        return m_db.exec(sql.c_str(), p).integer(0, 0);
    }

    // The WHERE conditions of `list` and `count`, the same for both. Only fixed SQL fragments
    // are appended; every value is bound as $N in the same order. Returns the last N used.
    static int append_list_filters(const ListQuery& q, std::string& sql, Params& p) {
        int n = 0;
        const auto next = [&n] { return fmt::format("${}", ++n); };
        if (!q.states.empty()) {
            sql += " AND s.state IN (";
            for (std::size_t i = 0; i < q.states.size(); ++i) {
                sql += (i == 0 ? "" : ", ") + next();
                p.add(to_string(q.states[i]));
            }
            sql += ")";
        }
        if (q.step) {
            sql += " AND s.step = " + next();
            p.add(*q.step);
        }
        if (q.min_score) {
            sql += " AND s.contacts * s.satisfaction_impact >= " + next();
            p.add(*q.min_score);
        }
        if (q.max_score) {
            sql += " AND s.contacts * s.satisfaction_impact < " + next();
            p.add(*q.max_score);
        }
        if (q.since) {
            sql += " AND s.submitted_at >= " + next();
            p.add(format_timestamp(*q.since));
        }
        if (q.recurring) {
            sql += " AND " + sql_recurs_closed_cause("s");
        }
        for (const auto& [name, value] : q.fields) {
            if (is_standard_field(name)) {
                // The column name comes from the fixed list of standard fields, not from input.
                sql += fmt::format(" AND s.{} = {}", name, next());
                p.add(value);
            } else {
                const std::string name_param = next();
                sql += fmt::format(" AND EXISTS (SELECT 1 FROM signal_fields f WHERE f.signal_id "
                                   "= s.id AND f.name = {} AND f.value = {})",
                                   name_param, next());
                p.add(name);
                p.add(value);
            }
        }
        if (q.search) {
            sql += fmt::format(" AND s.search @@ to_tsquery('sileram.search', {})", next());
            p.add(search_query(*q.search));
        }
        if (q.late) {
            std::vector<std::string> late_values;
            sql += storage::late_condition(*q.late, next, late_values);
            for (const std::string& value : late_values) {
                p.add(value);
            }
        }
        return n;
    }

    std::vector<SignalSummary> list(const ListQuery& q) override {
        std::string sql = std::string(k_list_columns) +
                          (q.late ? storage::late_columns() : std::string()) + k_list_from;
        Params p;
        int n = append_list_filters(q, sql, p);
        const auto next = [&n] { return fmt::format("${}", ++n); };
        const std::string_view direction = q.order == SortOrder::descending ? "DESC" : "ASC";
        sql += fmt::format(" ORDER BY {} {}, s.id {}", sort_column(q.sort), direction, direction);
        if (q.limit) {
            sql += " LIMIT " + next();
            p.add(*q.limit);
        }
        const Result r = m_db.exec(sql.c_str(), p);
        std::vector<SignalSummary> result;
        for (int row = 0; row < r.rows(); ++row) {
            SignalSummary s;
            s.id = r.integer(row, 0);
            s.title = r.text(row, 1);
            s.state = read_state(r, row, 2);
            s.step = static_cast<int>(r.integer(row, 3));
            s.submitted_by = r.text(row, 4);
            s.submitted_at = read_time(r, row, 5);
            s.updated_at = read_time(r, row, 6);
            for (int i = 0; i < 4; ++i) {
                if (auto value = r.optional_text(row, 7 + i)) {
                    s.fields[std::string(k_standard_fields[static_cast<std::size_t>(i)])] = *value;
                }
            }
            if (!r.is_null(row, 11)) {
                s.impact =
                    Impact{r.integer(row, 11), static_cast<int>(r.integer(row, 12)),
                           Decimal::from_hundredths(r.integer(row, 13)), read_decimal(r, row, 14)};
            }
            s.submitter_count = static_cast<int>(r.integer(row, 15));
            if (q.late) {
                s.late_facts = LateFacts{
                    s.state, s.submitted_at, read_time(r, row, 16), r.integer(row, 17) != 0,
                    r.is_null(row, 18) ? std::nullopt : parse_date(r.text(row, 18))};
            }
            result.push_back(std::move(s));
        }
        return result;
    }

    std::vector<std::string> custom_field_names() override {
        const Result r = m_db.exec(k_custom_field_names);
        std::vector<std::string> names;
        names.reserve(static_cast<std::size_t>(r.rows()));
        for (int row = 0; row < r.rows(); ++row) {
            names.push_back(r.text(row, 0));
        }
        return names;
    }

    void for_each_signal(const std::function<void(const Signal&)>& visit) override {
        SignalId after = 0;
        while (true) {
            const Result page = m_db.exec(k_all_ids, Params(after));
            if (page.rows() == 0) {
                return;
            }
            for (int row = 0; row < page.rows(); ++row) {
                if (auto signal = load(page.integer(row, 0))) {
                    visit(*signal);
                }
            }
            after = page.integer(page.rows() - 1, 0);
        }
    }

    // A SQLite file written through the same rows as `copy`, from one snapshot.
    std::int64_t backup_to(const std::filesystem::path& target) override {
        return write_sqlite_snapshot(*this, target).pages;
    }

    int schema_version() override { return postgres::schema_version(m_db); }

    void begin_snapshot() override {
        if (m_db.in_transaction()) {
            m_db.exec("COMMIT"); // the snapshot of the open, a moment older
        }
        m_db.exec(k_begin_read);
    }

    void read_rows(const CopiedTable& table,
                   const std::function<void(const Row&)>& visit) override {
        postgres::read_rows(m_db, table, visit);
    }

    bool has_rows(const CopiedTable& table) override { return postgres::has_rows(m_db, table); }

    void begin_copy() override { postgres::begin_copy(m_db); }

    std::unique_ptr<RowWriter> write_rows(const CopiedTable& table) override {
        return postgres::write_rows(m_db, table);
    }

    void finish_copy() override { postgres::finish_copy(m_db); }

    FeedbackQueue& feedback_queue() override { return *this; }

    std::vector<QueuedFeedback> queued_feedback(RowId after, int limit) override {
        const Result r = m_db.exec(k_select_queued_feedback, Params(after, limit));
        std::vector<QueuedFeedback> result;
        result.reserve(static_cast<std::size_t>(r.rows()));
        for (int row = 0; row < r.rows(); ++row) {
            result.push_back(
                QueuedFeedback{r.integer(row, 11), read_feedback(r, row), "", std::nullopt});
        }
        return result;
    }

    std::vector<QueuedFeedback> claimed_feedback() override {
        const Result r = m_db.exec(k_select_claimed_feedback);
        std::vector<QueuedFeedback> result;
        result.reserve(static_cast<std::size_t>(r.rows()));
        for (int row = 0; row < r.rows(); ++row) {
            result.push_back(QueuedFeedback{r.integer(row, 11), read_feedback(r, row),
                                            r.text(row, 12), read_optional_time(r, row, 13)});
        }
        return result;
    }

    std::optional<std::string> claim_feedback(RowId id, const std::string& claim, Timestamp at,
                                              const std::string& message_id) override {
        WriteTransaction transaction(*this);
        const Result r =
            m_db.exec(k_claim_feedback, Params(claim, format_timestamp(at), message_id, id));
        std::optional<std::string> claimed;
        if (r.rows() == 1) {
            claimed = r.text(0, 0);
        }
        transaction.commit();
        return claimed;
    }

    bool mark_feedback_sent(RowId id, const std::string& claim, Timestamp at,
                            std::chrono::seconds patience) override {
        return record_claimed(patience, [&] {
            return m_db.exec(k_mark_feedback_sent, Params(format_timestamp(at), id, claim))
                .changes();
        });
    }

    bool mark_feedback_failed(RowId id, const std::string& claim, Timestamp at,
                              const std::string& error, Failure failure,
                              std::chrono::seconds patience) override {
        return record_claimed(patience, [&] {
            return m_db
                .exec(k_mark_feedback_failed,
                      Params(failure == Failure::permanent ? "failed" : "queued", error,
                             format_timestamp(at), id, claim))
                .changes();
        });
    }

    std::vector<SimilarSignal> find_similar(const std::string& title,
                                            const std::string& description, int limit) override {
        return postgres::find_similar(m_db, title, description, limit);
    }

    // The commit of an import or a copy waits for its WAL even on a server with
    // synchronous_commit off: VACUUM (checkpoint) cannot mark a page all-visible while the
    // commit of its rows' transaction is not yet flushed.
    void prepare_bulk_write() override { m_db.exec("SET synchronous_commit = on"); }
    std::unique_ptr<BulkInsert> bulk_insert() override {
        return start_bulk_insert(
            m_db, [this] { return std::make_unique<Connection>(m_uri); },
            // Into an empty database its triggers are off and it fills the tallies at its end:
            // the store writes none of its own there.
            [this](Signal& s) { insert_signal(s, Tallies::by_triggers); });
    }
    // After an import or a copy: the visibility map of the written tables, so that the reports'
    // index-only scans read no table pages, and the planner's statistics. Autovacuum would come
    // by later; until then a report on a million copied signals took three times as long.
    void checkpoint() override {
        if (!m_db.in_transaction()) {
            m_db.exec("VACUUM (ANALYZE) signals, history, step_stays, submitters, signal_fields, "
                      "actions, measurements, decisions");
        }
    }

    // Runs `update` in its own write transaction whose row locks wait up to `patience` (the
    // claim keeps other runs off the mail, so waiting costs nothing); true when it changed the
    // row. A lock still held after that is TemporaryFailure, and nothing is written.
    template <typename Update>
    bool record_claimed(std::chrono::seconds patience, Update&& update) {
        WriteTransaction transaction(*this);
        m_db.exec(k_set_local_lock_timeout, Params(fmt::format("{}s", patience.count())));
        const bool changed = update() == 1;
        transaction.commit();
        return changed;
    }

    ReportQueries& reports() override {
        if (!m_reports) {
            m_reports = make_report_queries(m_db);
        }
        return *m_reports;
    }

private:
    // The figures of steps 3 and 6 and the closing summary, in the order of both statements.
    static void add_figures(Params& p, const Signal& s) {
        p.add(s.triage_reason);
        p.add(s.duplicate_of);
        if (s.impact) {
            p.add(s.impact->contacts);
            p.add(s.impact->satisfaction_impact);
            p.add(s.impact->cost_per_contact.hundredths());
            p.add(hundredths(s.impact->satisfaction));
        } else {
            for (int i = 0; i < 4; ++i) {
                p.add(std::optional<std::int64_t>());
            }
        }
        p.add(hundredths(s.expected_reduction));
        p.add(hundredths(s.expected_satisfaction));
        p.add(s.closing_summary);
    }

    // `s` and its children's rows; its step stay and tallies by the triggers, or by the store
    // in one round trip after the rows (submit_tallies.hpp).
    void insert_signal(Signal& s, Tallies tallies) {
        if (tallies == Tallies::by_store) {
            turn_off_tally_triggers(m_db);
        }
        Params p(s.title, s.description, to_string(s.state), s.step, s.submitted_by,
                 format_timestamp(s.submitted_at), format_timestamp(s.updated_at));
        p.add(s.external_id);
        for (const auto name : k_standard_fields) {
            p.add(standard_field(s, name));
        }
        add_figures(p, s);
        p.add(search_words(s.title, s.description));
        s.id = next_signal_id(m_db);
        p.add(s.id);
        p.add(s.project);
        m_db.exec(k_insert_signal, p);
        for (const auto& [name, value] : s.fields) {
            if (!is_standard_field(name)) {
                m_db.exec(k_insert_field, Params(s.id, name, value));
            }
        }
        save_children(s);
        for (const PossibleRecurrence& r : s.recurrence_of) {
            m_db.exec(k_insert_recurrence, Params(s.id, r.closed_signal, r.similarity));
        }
        if (tallies == Tallies::by_store) {
            m_db.exec_all(submit_tally_statements(s));
        }
    }

    void save_children(Signal& s) {
        for (Submitter& sub : s.submitters) {
            if (sub.id == 0) {
                sub.id =
                    m_db.exec(k_insert_submitter,
                              Params(s.id, sub.email, format_timestamp(sub.joined_at), sub.via))
                        .integer(0, 0);
            }
        }
        for (Decision& d : s.decisions) {
            if (d.id == 0) {
                Params p(s.id, to_string(d.gate), to_string(d.verdict), d.reason);
                p.add(optional_date_text(d.until));
                p.add(d.stamp.by);
                p.add(format_timestamp(d.stamp.at));
                d.id = m_db.exec(k_insert_decision, p).integer(0, 0);
            }
        }
        if (s.root_cause) {
            save_root_cause(s.id, *s.root_cause);
        }
        save_actions(s);
        for (Measurement& m : s.measurements) {
            if (m.id == 0) {
                Params p(s.id, m.contacts);
                p.add(hundredths(m.satisfaction));
                p.add(m.note);
                p.add(m.stamp.by);
                p.add(format_timestamp(m.stamp.at));
                m.id = m_db.exec(k_insert_measurement, p).integer(0, 0);
            }
        }
        for (Feedback& f : s.feedback) {
            if (f.id == 0) {
                f.id =
                    m_db.exec(k_insert_feedback,
                              Params(s.id, f.recipient, to_string(f.outcome), to_string(f.status),
                                     format_timestamp(f.queued_at), stage_text(f), f.detail))
                        .integer(0, 0);
            }
        }
        for (HistoryEntry& h : s.history) {
            if (h.id == 0) {
                Params p(s.id, format_timestamp(h.stamp.at), h.stamp.by, h.event);
                p.add(h.from ? std::optional<std::string>(std::string(to_string(*h.from)))
                             : std::nullopt);
                p.add(to_string(h.to));
                p.add(h.detail);
                h.id = m_db.exec(k_insert_history, p).integer(0, 0);
            }
        }
    }

    void load_children(Signal& s, std::span<const Result> children) {
        const auto child = [&children](Child c) -> const Result& {
            return children[static_cast<std::size_t>(c)];
        };
        const Result& fields = child(Child::fields);
        for (int r = 0; r < fields.rows(); ++r) {
            s.fields[fields.text(r, 0)] = fields.text(r, 1);
        }
        const Result& subs = child(Child::submitters);
        for (int r = 0; r < subs.rows(); ++r) {
            s.submitters.push_back(Submitter{subs.integer(r, 0), subs.text(r, 1),
                                             read_time(subs, r, 2), subs.text(r, 3)});
        }
        const Result& decisions = child(Child::decisions);
        for (int r = 0; r < decisions.rows(); ++r) {
            Decision d;
            d.id = decisions.integer(r, 0);
            d.gate = decisions.text(r, 1) == "go-no-go" ? Gate::go_no_go : Gate::prioritise;
            const std::string verdict = decisions.text(r, 2);
            d.verdict = verdict == "go"     ? Verdict::go
                        : verdict == "park" ? Verdict::park
                                            : Verdict::drop;
            d.reason = decisions.text(r, 3);
            d.until = read_optional_date(decisions, r, 4);
            d.stamp = Stamp{decisions.text(r, 5), read_time(decisions, r, 6)};
            s.decisions.push_back(std::move(d));
        }
        load_root_cause(s, child(Child::root_cause), child(Child::root_cause_items));
        load_actions(s, child(Child::actions));
        const Result& measurements = child(Child::measurements);
        for (int r = 0; r < measurements.rows(); ++r) {
            s.measurements.push_back(
                Measurement{measurements.integer(r, 0), measurements.integer(r, 1),
                            read_decimal(measurements, r, 2), measurements.text(r, 3),
                            Stamp{measurements.text(r, 4), read_time(measurements, r, 5)}});
        }
        const Result& feedback = child(Child::feedback);
        for (int r = 0; r < feedback.rows(); ++r) {
            s.feedback.push_back(read_feedback(feedback, r));
        }
        const Result& history = child(Child::history);
        for (int r = 0; r < history.rows(); ++r) {
            HistoryEntry h;
            h.id = history.integer(r, 0);
            h.stamp = Stamp{history.text(r, 2), read_time(history, r, 1)};
            h.event = history.text(r, 3);
            if (!history.is_null(r, 4)) {
                h.from = read_state(history, r, 4);
            }
            h.to = read_state(history, r, 5);
            h.detail = history.text(r, 6);
            s.history.push_back(std::move(h));
        }
        const Result& recurrences = child(Child::recurrences);
        for (int r = 0; r < recurrences.rows(); ++r) {
            s.recurrence_of.push_back(PossibleRecurrence{
                recurrences.integer(r, 0), recurrences.text(r, 1), recurrences.real(r, 2)});
        }
    }

    static void load_root_cause(Signal& s, const Result& row, const Result& items) {
        if (row.rows() == 0) {
            return;
        }
        RootCause rc;
        rc.cause = row.text(0, 0);
        rc.customer_view = row.text(0, 1);
        rc.internal_view = row.text(0, 2);
        rc.method = row.text(0, 3);
        rc.evidence = row.text(0, 4);
        rc.stamp = Stamp{row.text(0, 5), read_time(row, 0, 6)};
        for (int r = 0; r < items.rows(); ++r) {
            const std::string kind = items.text(r, 0);
            auto& list = kind == "why"          ? rc.whys
                         : kind == "assumption" ? rc.assumptions
                                                : rc.alternatives;
            list.push_back(items.text(r, 1));
        }
        s.root_cause = std::move(rc);
    }

    void save_root_cause(SignalId id, const RootCause& rc) {
        m_db.exec(k_upsert_root_cause,
                  Params(id, rc.cause, rc.customer_view, rc.internal_view, rc.method, rc.evidence,
                         rc.stamp.by, format_timestamp(rc.stamp.at)));
        m_db.exec(k_delete_root_cause_items, Params(id));
        const std::pair<const char*, const std::vector<std::string>*> lists[] = {
            {"why", &rc.whys}, {"assumption", &rc.assumptions}, {"alternative", &rc.alternatives}};
        for (const auto& [kind, items] : lists) {
            int position = 0;
            for (const std::string& text : *items) {
                m_db.exec(k_insert_root_cause_item, Params(id, kind, ++position, text));
            }
        }
    }

    static void load_actions(Signal& s, const Result& r) {
        for (int row = 0; row < r.rows(); ++row) {
            Action a;
            a.id = r.integer(row, 0);
            a.number = static_cast<int>(r.integer(row, 1));
            if (auto parent = r.optional_integer(row, 2)) {
                a.parent = static_cast<int>(*parent);
            }
            a.title = r.text(row, 3);
            a.owner = r.text(row, 4);
            a.due = read_optional_date(r, row, 5);
            a.cost = Decimal::from_hundredths(r.integer(row, 6));
            const auto status = parse_action_status(r.text(row, 7));
            if (!status) {
                corrupt("action status", r.text(row, 7));
            }
            a.status = *status;
            a.progress = static_cast<int>(r.integer(row, 8));
            a.created_at = read_time(r, row, 9);
            a.done_at = read_optional_time(r, row, 10);
            a.project = r.optional_text(row, 11);
            s.actions.push_back(std::move(a));
        }
    }

    void save_actions(Signal& s) {
        for (Action& a : s.actions) {
            if (a.id == 0) {
                Params p(s.id, a.number);
                p.add(a.parent);
                p.add(a.title);
                p.add(a.owner);
                p.add(optional_date_text(a.due));
                p.add(a.cost.hundredths());
                p.add(to_string(a.status));
                p.add(a.progress);
                p.add(format_timestamp(a.created_at));
                p.add(optional_time_text(a.done_at));
                p.add(a.project);
                a.id = m_db.exec(k_insert_action, p).integer(0, 0);
            } else if (a.changed) {
                Params p(to_string(a.status), a.progress);
                p.add(optional_time_text(a.done_at));
                p.add(a.id);
                m_db.exec(k_update_action, p);
            }
            a.changed = false;
        }
    }

    std::string m_uri;
    Connection m_db;
    std::unique_ptr<ReportQueries> m_reports;
    bool m_writing = false;
};

} // namespace

std::unique_ptr<Store> open_store(const std::string& uri, Access access, IfMissing if_missing) {
    auto store = std::make_unique<PgStore>(uri);
    Connection& db = store->connection();
    const int version = schema_version(db);
    if (version == 0 && if_missing == IfMissing::refuse) {
        throw Refused(fmt::format("no sileram schema in the database {} at {}; `sileram init` "
                                  "creates it, or pass --db",
                                  redact(uri), db.where()));
    }
    if (access == Access::write) {
        migrate(db, version);
        return store;
    }
    const int newest = migrations().back().version;
    if (version > newest) {
        migrate(db, version); // refuses, naming both versions
    }
    if (version == 0) {
        // Reading a database without sileram's schema: an empty one, and nothing is created.
        // The schema is made inside a transaction that is never committed.
        db.exec("BEGIN");
        apply_migrations(db);
        return store;
    }
    if (version < newest) {
        migrate(db, version); // an older schema is migrated on first use, as with SQLite
    }
    db.exec(k_begin_read);
    return store;
}

bool schema_exists(const std::string& uri) {
    Connection db(uri);
    return schema_version(db) > 0;
}

int initialise_database(const std::string& uri) {
    PgStore store(uri);
    migrate(store.connection());
    return migrations().back().version;
}

} // namespace sileram::storage::postgres
