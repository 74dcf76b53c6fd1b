#include "../late_sql.hpp"
#include "../postgres/pg_store.hpp"
#include "../state_lists.hpp"
#include "connection.hpp"
#include "copy_rows.hpp"
#include "intake.hpp"
#include "migrations.hpp"
#include "reports.hpp"
#include "sileram/errors.hpp"
#include "sileram/storage/store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>
#include <variant>

namespace sileram::storage {

namespace {

namespace fs = std::filesystem;
using namespace domain;
using sqlite::Connection;
using sqlite::CopyTarget;
using sqlite::Statement;

constexpr const char* k_insert_signal = R"sql(
INSERT INTO signals (title, description, state, step, submitted_by, submitted_at, updated_at,
                     external_id, channel, product, process, customer, triage_reason,
                     duplicate_of, contacts, satisfaction_impact, cost_per_contact_cents,
                     satisfaction_hundredths, expected_reduction_hundredths,
                     expected_satisfaction_hundredths, closing_summary, project)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql";

constexpr const char* k_update_signal = R"sql(
UPDATE signals SET state = ?, step = ?, updated_at = ?, triage_reason = ?, duplicate_of = ?,
       contacts = ?, satisfaction_impact = ?, cost_per_contact_cents = ?,
       satisfaction_hundredths = ?, expected_reduction_hundredths = ?,
       expected_satisfaction_hundredths = ?, closing_summary = ?
WHERE id = ?
)sql";

constexpr const char* k_select_signal = R"sql(
SELECT id, title, description, state, step, submitted_by, submitted_at, updated_at, external_id,
       channel, product, process, customer, triage_reason, duplicate_of, contacts,
       satisfaction_impact, cost_per_contact_cents, satisfaction_hundredths,
       expected_reduction_hundredths, expected_satisfaction_hundredths, closing_summary,
       approved_at, approved_reduction_hundredths, approved_satisfaction_hundredths,
       approved_savings_per_year_cents, approved_cost_cents, project
FROM signals WHERE id = ?
)sql";

// Apart from the other columns, so the approval alone does not run the tallies' triggers.
constexpr const char* k_update_approved_case = R"sql(
UPDATE signals SET approved_at = ?, approved_reduction_hundredths = ?,
       approved_satisfaction_hundredths = ?, approved_savings_per_year_cents = ?,
       approved_cost_cents = ?
WHERE id = ?
)sql";

constexpr const char* k_insert_field =
    "INSERT INTO signal_fields (signal_id, name, value) VALUES (?, ?, ?)";
constexpr const char* k_select_fields =
    "SELECT name, value FROM signal_fields WHERE signal_id = ? ORDER BY name";

constexpr const char* k_insert_submitter =
    "INSERT INTO submitters (signal_id, email, joined_at, via) VALUES (?, ?, ?, ?)";
constexpr const char* k_select_submitters =
    "SELECT id, email, joined_at, via FROM submitters WHERE signal_id = ? ORDER BY id";

constexpr const char* k_insert_decision = R"sql(
INSERT INTO decisions (signal_id, gate, verdict, reason, until, decided_by, decided_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
)sql";
constexpr const char* k_select_decisions = R"sql(
SELECT id, gate, verdict, reason, until, decided_by, decided_at
FROM decisions WHERE signal_id = ? ORDER BY id
)sql";

constexpr const char* k_upsert_root_cause = R"sql(
INSERT INTO root_causes (signal_id, cause, customer_view, internal_view, method, evidence,
                         recorded_by, recorded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (signal_id) DO UPDATE SET cause = excluded.cause,
    customer_view = excluded.customer_view, internal_view = excluded.internal_view,
    method = excluded.method, evidence = excluded.evidence, recorded_by = excluded.recorded_by,
    recorded_at = excluded.recorded_at
)sql";
constexpr const char* k_delete_root_cause_items =
    "DELETE FROM root_cause_items WHERE signal_id = ?";
constexpr const char* k_insert_root_cause_item =
    "INSERT INTO root_cause_items (signal_id, kind, position, text) VALUES (?, ?, ?, ?)";
constexpr const char* k_select_root_cause = R"sql(
SELECT cause, customer_view, internal_view, method, evidence, recorded_by, recorded_at
FROM root_causes WHERE signal_id = ?
)sql";
constexpr const char* k_select_root_cause_items =
    "SELECT kind, text FROM root_cause_items WHERE signal_id = ? ORDER BY kind, position";

constexpr const char* k_insert_action = R"sql(
INSERT INTO actions (signal_id, number, parent_number, title, owner, due, cost_cents, status,
                     progress, created_at, done_at, project)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
)sql";
constexpr const char* k_update_action =
    "UPDATE actions SET status = ?, progress = ?, done_at = ? WHERE id = ?";
constexpr const char* k_select_actions = R"sql(
SELECT id, number, parent_number, title, owner, due, cost_cents, status, progress, created_at,
       done_at, project
FROM actions WHERE signal_id = ? ORDER BY number
)sql";

constexpr const char* k_insert_measurement = R"sql(
INSERT INTO measurements (signal_id, contacts, satisfaction_hundredths, note, measured_by,
                          measured_at)
VALUES (?, ?, ?, ?, ?, ?)
)sql";
constexpr const char* k_select_measurements = R"sql(
SELECT id, contacts, satisfaction_hundredths, note, measured_by, measured_at
FROM measurements WHERE signal_id = ? ORDER BY id
)sql";

constexpr const char* k_insert_feedback = R"sql(
INSERT INTO feedback (signal_id, recipient, outcome, status, queued_at, stage, detail)
VALUES (?, ?, ?, ?, ?, ?, ?)
)sql";
constexpr const char* k_select_feedback = R"sql(
SELECT id, recipient, outcome, status, queued_at, sent_at, message_id, attempts, last_error, stage,
       detail
FROM feedback WHERE signal_id = ? ORDER BY id
)sql";
constexpr const char* k_select_queued_feedback = R"sql(
SELECT id, recipient, outcome, status, queued_at, sent_at, message_id, attempts, last_error, stage,
       detail, signal_id
FROM feedback WHERE status = 'queued' AND id > ? ORDER BY id LIMIT ?
)sql";
constexpr const char* k_select_claimed_feedback = R"sql(
SELECT id, recipient, outcome, status, queued_at, sent_at, message_id, attempts, last_error, stage,
       detail, signal_id, claim, claimed_at
FROM feedback WHERE status = 'sending' ORDER BY id
)sql";
// The Message-ID of an earlier attempt stays, so every attempt of one mail carries the same.
constexpr const char* k_claim_feedback = R"sql(
UPDATE feedback SET status = 'sending', claim = ?, claimed_at = ?,
       message_id = CASE WHEN message_id = '' THEN ? ELSE message_id END
WHERE id = ? AND status = 'queued'
RETURNING message_id
)sql";
constexpr const char* k_mark_feedback_sent = R"sql(
UPDATE feedback SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = '',
       last_attempt_at = ?, claim = NULL, claimed_at = NULL
WHERE id = ? AND status = 'sending' AND claim = ?
)sql";
constexpr const char* k_mark_feedback_failed = R"sql(
UPDATE feedback SET status = ?, attempts = attempts + 1, last_error = ?, last_attempt_at = ?,
       claim = NULL, claimed_at = NULL
WHERE id = ? AND status = 'sending' AND claim = ?
)sql";

constexpr const char* k_insert_history = R"sql(
INSERT INTO history (signal_id, at, by, event, from_state, to_state, detail)
VALUES (?, ?, ?, ?, ?, ?, ?)
)sql";
constexpr const char* k_select_history = R"sql(
SELECT id, at, by, event, from_state, to_state, detail
FROM history WHERE signal_id = ? ORDER BY id
)sql";

constexpr const char* k_find_external_id = "SELECT id FROM signals WHERE external_id = ?";
// The start of `list` and of its count; the filters are appended as " AND …".
constexpr std::string_view k_list_columns = R"sql(
SELECT s.id, s.title, s.state, s.step, s.submitted_by, s.submitted_at, s.updated_at,
       s.channel, s.product, s.process, s.customer, s.contacts, s.satisfaction_impact,
       s.cost_per_contact_cents, s.satisfaction_hundredths,
       (SELECT count(*) FROM submitters u WHERE u.signal_id = s.id))sql";
constexpr std::string_view k_list_from = " FROM signals s WHERE 1 = 1";
// A page of searched signals in id order, read from the search index in rowid order: as a
// filter (`s.id IN (…)`) SQLite first gathered every match, 109,412 of 1,000,000 signals for two
// common words, for a page of 50 (23 ms); read in order it stops at the page's end (0.2 ms).
constexpr std::string_view k_list_searched_from =
    " FROM signals_fts f CROSS JOIN signals s ON s.id = f.rowid WHERE signals_fts MATCH ?";
constexpr std::string_view k_count_signals = "SELECT count(*) FROM signals s WHERE 1 = 1";
constexpr const char* k_count_matches =
    "SELECT count(*) FROM signals_fts WHERE signals_fts MATCH ?";
constexpr std::string_view k_count_tallied_states =
    "SELECT coalesce(sum(signals), 0) FROM tally_states WHERE 1 = 1";
constexpr const char* k_custom_field_names =
    "SELECT DISTINCT name FROM signal_fields ORDER BY name";
constexpr const char* k_all_ids = "SELECT id FROM signals WHERE id > ? ORDER BY id LIMIT 500";
constexpr const char* k_take_snapshot = "SELECT count(*) FROM sqlite_schema";

std::optional<std::string> standard_field(const Signal& signal, std::string_view name) {
    const auto it = signal.fields.find(std::string(name));
    return it == signal.fields.end() ? std::nullopt : std::optional<std::string>(it->second);
}

// Stored text is written by this program; a value it cannot read back means the file was
// edited by hand into something sileram does not know.
[[noreturn]] void corrupt(std::string_view what, std::string_view value) {
    throw SystemFailure(fmt::format("the database holds an unknown {} '{}'", what, value));
}

Timestamp read_time(const Statement& row, int column) {
    const std::string text = row.text(column);
    const auto at = parse_timestamp(text);
    if (!at) {
        corrupt("time", text);
    }
    return *at;
}

std::optional<Timestamp> read_optional_time(const Statement& row, int column) {
    return row.is_null(column) ? std::nullopt : std::optional<Timestamp>(read_time(row, column));
}

std::optional<Date> read_optional_date(const Statement& row, int column) {
    if (row.is_null(column)) {
        return std::nullopt;
    }
    const auto day = parse_date(row.text(column));
    if (!day) {
        corrupt("date", row.text(column));
    }
    return day;
}

State read_state(const Statement& row, int column) {
    const std::string text = row.text(column);
    const auto state = parse_state(text);
    if (!state) {
        corrupt("state", text);
    }
    return *state;
}

std::optional<Decimal> read_decimal(const Statement& row, int column) {
    const auto value = row.optional_integer(column);
    return value ? std::optional<Decimal>(Decimal::from_hundredths(*value)) : std::nullopt;
}

std::optional<std::int64_t> hundredths(const std::optional<Decimal>& value) {
    return value ? std::optional<std::int64_t>(value->hundredths()) : std::nullopt;
}

// The impact analysis as the signals table stores it; all null before step 3.
struct ImpactColumns {
    std::optional<std::int64_t> contacts;
    std::optional<int> satisfaction_impact;
    std::optional<std::int64_t> cost_per_contact_cents;
    std::optional<std::int64_t> satisfaction_hundredths;
};

ImpactColumns impact_columns(const Signal& s) {
    if (!s.impact) {
        return {};
    }
    return {s.impact->contacts, s.impact->satisfaction_impact,
            s.impact->cost_per_contact.hundredths(), hundredths(s.impact->satisfaction)};
}

std::optional<std::string> optional_date_text(const std::optional<Date>& day) {
    return day ? std::optional<std::string>(format_date(*day)) : std::nullopt;
}

std::optional<std::string> optional_time_text(const std::optional<Timestamp>& at) {
    return at ? std::optional<std::string>(format_timestamp(*at)) : std::nullopt;
}

// The values `list` and its count bind to their filters, in order.
using ListValues = std::vector<std::variant<std::int64_t, std::string>>;

std::string_view sort_column(SortKey key) {
    switch (key) {
    case SortKey::id:
        return "s.id";
    case SortKey::title:
        return "s.title COLLATE NOCASE";
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

// One row of k_select_feedback or k_select_queued_feedback.
Feedback read_feedback(const Statement& row) {
    Feedback f;
    f.id = row.integer(0);
    f.recipient = row.text(1);
    const auto outcome = parse_outcome(row.text(2));
    const auto status = parse_delivery_status(row.text(3));
    if (!outcome || !status) {
        corrupt("feedback outcome or status", row.text(2) + "/" + row.text(3));
    }
    f.outcome = *outcome;
    f.status = *status;
    f.queued_at = read_time(row, 4);
    f.sent_at = read_optional_time(row, 5);
    f.message_id = row.text(6);
    f.attempts = static_cast<int>(row.integer(7));
    f.last_error = row.text(8);
    if (f.outcome == Outcome::needs_info) {
        f.question = static_cast<int>(std::strtol(row.text(9).c_str(), nullptr, 10));
    } else if (const std::string stage = row.text(9); !stage.empty()) {
        f.stage = read_state(row, 9);
    }
    f.detail = row.text(10);
    return f;
}

class SqliteStore final : public Store, public FeedbackQueue {
public:
    SqliteStore(const fs::path& file, Connection::Mode mode) : m_db(file, mode) {}
    ~SqliteStore() override {
        if (m_rollback_journal) {
            try {
                m_db.use_write_ahead_log(); // after a failed import; else the next writer does
            } catch (...) {
            }
        }
    }
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    Connection& connection() { return m_db; }

    void begin_write() override { m_db.exec("BEGIN IMMEDIATE"); }
    void commit() override { m_db.exec("COMMIT"); }
    void rollback() override {
        m_copy.reset();
        if (sqlite3_get_autocommit(m_db.handle()) == 0) {
            m_db.exec("ROLLBACK");
        }
    }

    std::optional<Signal> load(SignalId id) override {
        Statement& row = m_db.cached(k_select_signal);
        row.bind(1, id);
        if (!row.step()) {
            return std::nullopt;
        }
        Signal s;
        s.id = row.integer(0);
        s.title = row.text(1);
        s.description = row.text(2);
        s.state = read_state(row, 3);
        s.step = static_cast<int>(row.integer(4));
        s.submitted_by = row.text(5);
        s.submitted_at = read_time(row, 6);
        s.updated_at = read_time(row, 7);
        s.external_id = row.optional_text(8);
        for (int i = 0; i < 4; ++i) {
            if (auto value = row.optional_text(9 + i)) {
                s.fields[std::string(k_standard_fields[i])] = *value;
            }
        }
        s.triage_reason = row.optional_text(13);
        s.duplicate_of = row.optional_integer(14);
        if (!row.is_null(15)) {
            s.impact = Impact{row.integer(15), static_cast<int>(row.integer(16)),
                              Decimal::from_hundredths(row.integer(17)), read_decimal(row, 18)};
        }
        s.expected_reduction = read_decimal(row, 19);
        s.expected_satisfaction = read_decimal(row, 20);
        s.closing_summary = row.optional_text(21);
        if (!row.is_null(22)) {
            s.approved_case =
                ApprovedCase{read_decimal(row, 23), read_decimal(row, 24), read_decimal(row, 25),
                             Decimal::from_hundredths(row.integer(26)), read_time(row, 22)};
        }
        s.project = row.optional_text(27);
        row.reset();
        load_children(s);
        return s;
    }

    // The whole row in one INSERT: an UPDATE after it would compile and run every UPDATE
    // trigger of the tallies (about 4 ms a submit) for values the INSERT can write itself.
    void insert(Signal& s) override {
        const ImpactColumns impact = impact_columns(s);
        m_db.cached(k_insert_signal)
            .bind_all(s.title, s.description, to_string(s.state), s.step, s.submitted_by,
                      format_timestamp(s.submitted_at), format_timestamp(s.updated_at),
                      s.external_id, standard_field(s, "channel"), standard_field(s, "product"),
                      standard_field(s, "process"), standard_field(s, "customer"), s.triage_reason,
                      s.duplicate_of, impact.contacts, impact.satisfaction_impact,
                      impact.cost_per_contact_cents, impact.satisfaction_hundredths,
                      hundredths(s.expected_reduction), hundredths(s.expected_satisfaction),
                      s.closing_summary, s.project)
            .run();
        s.id = m_db.last_insert_id();
        Statement& field = m_db.cached(k_insert_field);
        for (const auto& [name, value] : s.fields) {
            if (!is_standard_field(name)) {
                field.bind_all(s.id, name, value).run();
            }
        }
        save_children(s);
        sqlite::index_new_signal(m_db, s);
    }

    void save(Signal& s) override {
        const ImpactColumns impact = impact_columns(s);
        m_db.cached(k_update_signal)
            .bind_all(to_string(s.state), s.step, format_timestamp(s.updated_at), s.triage_reason,
                      s.duplicate_of, impact.contacts, impact.satisfaction_impact,
                      impact.cost_per_contact_cents, impact.satisfaction_hundredths,
                      hundredths(s.expected_reduction), hundredths(s.expected_satisfaction),
                      s.closing_summary, s.id)
            .run();
        if (s.approved_case) {
            const ApprovedCase& a = *s.approved_case;
            m_db.cached(k_update_approved_case)
                .bind_all(format_timestamp(a.at), hundredths(a.expected_reduction),
                          hundredths(a.expected_satisfaction),
                          hundredths(a.expected_savings_per_year), a.cost.hundredths(), s.id)
                .run();
        }
        save_children(s);
    }

    // Submitters, decisions, root cause, actions, measurements, feedback and history that are
    // new (id 0) since the signal was loaded.
    void save_children(Signal& s) {
        for (Submitter& sub : s.submitters) {
            if (sub.id == 0) {
                m_db.cached(k_insert_submitter)
                    .bind_all(s.id, sub.email, format_timestamp(sub.joined_at), sub.via)
                    .run();
                sub.id = m_db.last_insert_id();
            }
        }
        for (Decision& d : s.decisions) {
            if (d.id == 0) {
                m_db.cached(k_insert_decision)
                    .bind_all(s.id, to_string(d.gate), to_string(d.verdict), d.reason,
                              optional_date_text(d.until), d.stamp.by, format_timestamp(d.stamp.at))
                    .run();
                d.id = m_db.last_insert_id();
            }
        }
        if (s.root_cause) {
            save_root_cause(s.id, *s.root_cause);
        }
        save_actions(s);
        for (Measurement& m : s.measurements) {
            if (m.id == 0) {
                m_db.cached(k_insert_measurement)
                    .bind_all(s.id, m.contacts, hundredths(m.satisfaction), m.note, m.stamp.by,
                              format_timestamp(m.stamp.at))
                    .run();
                m.id = m_db.last_insert_id();
            }
        }
        for (Feedback& f : s.feedback) {
            if (f.id == 0) {
                m_db.cached(k_insert_feedback)
                    .bind_all(s.id, f.recipient, to_string(f.outcome), to_string(f.status),
                              format_timestamp(f.queued_at), stage_text(f), f.detail)
                    .run();
                f.id = m_db.last_insert_id();
            }
        }
        for (HistoryEntry& h : s.history) {
            if (h.id == 0) {
                m_db.cached(k_insert_history)
                    .bind_all(s.id, format_timestamp(h.stamp.at), h.stamp.by, h.event,
                              h.from ? std::optional<std::string>(std::string(to_string(*h.from)))
                                     : std::nullopt,
                              to_string(h.to), h.detail)
                    .run();
                h.id = m_db.last_insert_id();
            }
        }
    }

    std::optional<SignalId> find_by_external_id(const std::string& external_id) override {
        Statement& row = m_db.cached(k_find_external_id);
        row.bind(1, external_id);
        std::optional<SignalId> id;
        if (row.step()) {
            id = row.integer(0);
        }
        row.reset();
        return id;
    }

    std::vector<SignalSummary> list(const ListQuery& q) override {
        std::string sql =
            std::string(k_list_columns) + (q.late ? storage::late_columns() : std::string());
        ListValues values;
        const std::string_view direction = q.order == SortOrder::descending ? "DESC" : "ASC";
        if (q.search && q.sort == SortKey::id && q.limit) {
            sql += k_list_searched_from;
            values.emplace_back(sqlite::search_query(*q.search));
            ListQuery rest = q;
            rest.search.reset();
            append_list_filters(rest, sql, values, true);
            sql += fmt::format(" ORDER BY f.rowid {}", direction);
        } else {
            sql += k_list_from;
            // A page in id order of most states (the open ones by default): through the index
            // on the states SQLite sorted every open signal for the first page (0.1 s of
            // 1,000,000); in id order it stops at the page's end.
            const bool by_id_order = q.sort == SortKey::id && q.limit &&
                                     q.states.size() * 2 > std::size(domain::k_states);
            append_list_filters(q, sql, values, by_id_order);
            sql +=
                fmt::format(" ORDER BY {} {}, s.id {}", sort_column(q.sort), direction, direction);
        }
        if (q.limit) {
            sql += " LIMIT ?";
            values.emplace_back(*q.limit);
        }
        Statement row = prepare_bound(sql, values);
        std::vector<SignalSummary> result;
        while (row.step()) {
            SignalSummary s;
            s.id = row.integer(0);
            s.title = row.text(1);
            s.state = read_state(row, 2);
            s.step = static_cast<int>(row.integer(3));
            s.submitted_by = row.text(4);
            s.submitted_at = read_time(row, 5);
            s.updated_at = read_time(row, 6);
            for (int i = 0; i < 4; ++i) {
                if (auto value = row.optional_text(7 + i)) {
                    s.fields[std::string(k_standard_fields[i])] = *value;
                }
            }
            if (!row.is_null(11)) {
                s.impact = Impact{row.integer(11), static_cast<int>(row.integer(12)),
                                  Decimal::from_hundredths(row.integer(13)), read_decimal(row, 14)};
            }
            s.submitter_count = static_cast<int>(row.integer(15));
            if (q.late) {
                s.late_facts =
                    LateFacts{s.state, s.submitted_at, read_time(row, 16), row.integer(17) != 0,
                              row.is_null(18) ? std::nullopt : parse_date(row.text(18))};
            }
            result.push_back(std::move(s));
        }
        return result;
    }

    std::int64_t count(const ListQuery& q) override {
        if (counts_by_state_and_step(q)) {
            return count_from_tally(q);
        }
        if (q.search && !q.step) {
            ListQuery unsearched = q;
            unsearched.search.reset();
            if (counts_by_state_and_step(unsearched)) {
                if (const auto n = count_matches_by_state(*q.search, q.states)) {
                    return *n;
                }
            }
        }
        std::string sql = std::string(k_count_signals);
        ListValues values;
        append_list_filters(q, sql, values);
        Statement row = prepare_bound(sql, values);
        return row.step() ? row.integer(0) : 0;
    }

    // `list`'s "50 of N" for a state or step alone (its default: the open signals) comes from the
    // count per state and step that triggers keep (tally_states): counting the 560,000 open ones
    // of 1,000,000 signals took most of `list`'s 34-38 ms.
    std::int64_t count_from_tally(const ListQuery& q) {
        std::string sql(k_count_tallied_states);
        if (!q.states.empty()) {
            sql += " AND state IN (";
            for (std::size_t i = 0; i < q.states.size(); ++i) {
                sql += i == 0 ? "?" : ", ?";
            }
            sql += ")";
        }
        if (q.step) {
            sql += " AND step = ?";
        }
        Statement row = m_db.prepare(sql);
        int index = 0;
        for (const domain::State state : q.states) {
            row.bind(++index, to_string(state));
        }
        if (q.step) {
            row.bind(++index, *q.step);
        }
        return row.step() ? row.integer(0) : 0;
    }

    // `sql` prepared with `values` bound to its parameters in order.
    Statement prepare_bound(const std::string& sql, const ListValues& values) {
        Statement statement = m_db.prepare(sql);
        int index = 0;
        for (const auto& value : values) {
            std::visit([&](const auto& v) { statement.bind(++index, v); }, value);
        }
        return statement;
    }

    // `list --search`'s "50 of N" when it asks for states alone (by default the open ones), when
    // fewer signals are in the other states: the matches, less those in the other states. Counted
    // per state asked, SQLite probes the states' index once per match and state: 76 ms for the
    // 109,412 matches of two common words among 1,000,000 signals, all open, against 11 ms for
    // the matches alone. Every signal is one row of the search index and the reverse (the
    // triggers on `signals` keep them so), so the matches are signals. Nothing when the other
    // states hold more: then the matches among the states asked are counted as before.
    std::optional<std::int64_t> count_matches_by_state(const std::string& words,
                                                       const std::vector<domain::State>& asked) {
        std::vector<domain::State> others;
        for (const domain::StateInfo& info : domain::k_states) {
            if (!asked.empty() &&
                std::find(asked.begin(), asked.end(), info.state) == asked.end()) {
                others.push_back(info.state);
            }
        }
        const std::string query = sqlite::search_query(words);
        Statement all = m_db.prepare(k_count_matches);
        all.bind(1, query);
        const std::int64_t matches = all.step() ? all.integer(0) : 0;
        if (others.empty()) {
            return matches;
        }
        ListQuery in_asked;
        in_asked.states = asked;
        ListQuery in_others_states;
        in_others_states.states = others;
        if (count_from_tally(in_others_states) >= count_from_tally(in_asked)) {
            return std::nullopt;
        }
        // `+s.id`: read the few signals of the other states and look each up among the matches,
        // instead of probing the states' index for every match.
        std::string sql(k_count_signals);
        ListValues values;
        append_list_filters(in_others_states, sql, values);
        sql += " AND +s.id IN (SELECT rowid FROM signals_fts WHERE signals_fts MATCH ?)";
        values.emplace_back(query);
        Statement in_others = prepare_bound(sql, values);
        return matches - (in_others.step() ? in_others.integer(0) : 0);
    }

    // The WHERE conditions of `list` and `count`, the same for both. Only fixed SQL fragments
    // are appended; every value is bound in the same order.
    // `by_id_order`: the states term is not to be read through an index (see list()).
    static void append_list_filters(const ListQuery& q, std::string& sql, ListValues& values,
                                    bool by_id_order = false) {
        if (!q.states.empty()) {
            sql += by_id_order ? " AND +s.state IN (?" : " AND s.state IN (?";
            for (std::size_t i = 1; i < q.states.size(); ++i) {
                sql += ", ?";
            }
            sql += ")";
            for (const State state : q.states) {
                values.emplace_back(std::string(to_string(state)));
            }
        }
        if (q.step) {
            sql += " AND s.step = ?";
            values.emplace_back(std::int64_t{*q.step});
        }
        if (q.min_score) {
            sql += " AND s.contacts * s.satisfaction_impact >= ?";
            values.emplace_back(*q.min_score);
        }
        if (q.max_score) {
            sql += " AND s.contacts * s.satisfaction_impact < ?";
            values.emplace_back(*q.max_score);
        }
        if (q.since) {
            sql += " AND s.submitted_at >= ?";
            values.emplace_back(format_timestamp(*q.since));
        }
        if (q.recurring) {
            sql += " AND " + sql_recurs_closed_cause("s");
        }
        for (const auto& [name, value] : q.fields) {
            if (is_standard_field(name)) {
                // The column name comes from the fixed list of standard fields, not from input.
                sql += fmt::format(" AND s.{} = ?", name);
                values.emplace_back(value);
            } else {
                sql += " AND EXISTS (SELECT 1 FROM signal_fields f WHERE f.signal_id = s.id "
                       "AND f.name = ? AND f.value = ?)";
                values.emplace_back(name);
                values.emplace_back(value);
            }
        }
        if (q.search) {
            sql += " AND s.id IN (SELECT rowid FROM signals_fts WHERE signals_fts MATCH ?)";
            values.emplace_back(sqlite::search_query(*q.search));
        }
        if (q.late) {
            std::vector<std::string> late_values;
            sql += storage::late_condition(
                *q.late, [] { return std::string("?"); }, late_values);
            values.insert(values.end(), late_values.begin(), late_values.end());
        }
    }

    std::vector<std::string> custom_field_names() override {
        Statement& row = m_db.cached(k_custom_field_names);
        std::vector<std::string> names;
        while (row.step()) {
            names.push_back(row.text(0));
        }
        row.reset();
        return names;
    }

    void for_each_signal(const std::function<void(const Signal&)>& visit) override {
        SignalId after = 0;
        while (true) {
            // Ids in pages, so the cursor is not held open while each signal loads.
            std::vector<SignalId> ids;
            Statement& page = m_db.cached(k_all_ids);
            page.bind(1, after);
            while (page.step()) {
                ids.push_back(page.integer(0));
            }
            page.reset();
            if (ids.empty()) {
                return;
            }
            for (SignalId id : ids) {
                if (auto signal = load(id)) {
                    visit(*signal);
                }
            }
            after = ids.back();
        }
    }

    std::int64_t backup_to(const fs::path& target) override { return sqlite::backup(m_db, target); }

    int schema_version() override { return sqlite::schema_version(m_db); }

    void begin_snapshot() override {
        rollback();
        m_db.exec("BEGIN");
        // A deferred transaction takes its snapshot at its first read: take it now.
        Statement first = m_db.prepare(k_take_snapshot);
        first.step();
    }

    void read_rows(const CopiedTable& table,
                   const std::function<void(const Row&)>& visit) override {
        sqlite::read_rows(m_db, table, visit);
    }

    bool has_rows(const CopiedTable& table) override { return sqlite::has_rows(m_db, table); }

    void begin_copy() override { m_copy = std::make_unique<CopyTarget>(m_db); }

    std::unique_ptr<RowWriter> write_rows(const CopiedTable& table) override {
        return m_copy->write_rows(table);
    }

    void finish_copy() override {
        m_copy->finish();
        m_copy.reset();
    }

    FeedbackQueue& feedback_queue() override { return *this; }

    std::vector<QueuedFeedback> queued_feedback(RowId after, int limit) override {
        Statement& row = m_db.cached(k_select_queued_feedback);
        row.bind_all(after, limit);
        std::vector<QueuedFeedback> result;
        while (row.step()) {
            result.push_back(QueuedFeedback{row.integer(11), read_feedback(row), "", std::nullopt});
        }
        row.reset();
        return result;
    }

    std::vector<QueuedFeedback> claimed_feedback() override {
        Statement& row = m_db.cached(k_select_claimed_feedback);
        std::vector<QueuedFeedback> result;
        while (row.step()) {
            result.push_back(QueuedFeedback{row.integer(11), read_feedback(row), row.text(12),
                                            read_optional_time(row, 13)});
        }
        row.reset();
        return result;
    }

    std::optional<std::string> claim_feedback(RowId id, const std::string& claim, Timestamp at,
                                              const std::string& message_id) override {
        WriteTransaction transaction(*this);
        Statement& row = m_db.cached(k_claim_feedback);
        row.bind_all(claim, format_timestamp(at), message_id, id);
        std::optional<std::string> claimed;
        if (row.step()) {
            claimed = row.text(0);
        }
        row.reset();
        transaction.commit();
        return claimed;
    }

    bool mark_feedback_sent(RowId id, const std::string& claim, Timestamp at,
                            std::chrono::seconds patience) override {
        return record_claimed(patience, id, [&] {
            m_db.cached(k_mark_feedback_sent)
                .bind_all(format_timestamp(at), format_timestamp(at), id, claim)
                .run();
        });
    }

    bool mark_feedback_failed(RowId id, const std::string& claim, Timestamp at,
                              const std::string& error, Failure failure,
                              std::chrono::seconds patience) override {
        return record_claimed(patience, id, [&] {
            m_db.cached(k_mark_feedback_failed)
                .bind_all(failure == Failure::permanent ? "failed" : "queued", error,
                          format_timestamp(at), id, claim)
                .run();
        });
    }

    std::vector<SimilarSignal> find_similar(const std::string& title,
                                            const std::string& description, int limit) override {
        return sqlite::find_similar(m_db, title, description, limit);
    }

    std::unique_ptr<BulkInsert> bulk_insert() override { return sqlite::start_bulk_insert(m_db); }

    void prepare_bulk_write() override {
        m_rollback_journal = sqlite::holds_no_signals(m_db) && m_db.use_rollback_journal();
    }

    void checkpoint() override {
        if (!m_rollback_journal) {
            m_db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
            return;
        }
        m_rollback_journal = false;
        try {
            m_db.use_write_ahead_log();
        } catch (const TemporaryFailure&) {
            // A reader came in after the commit; the next command that writes switches.
        }
    }

    // Runs `update` of mail `id` in its own write transaction, waiting up to `patience` for the
    // write lock; true when it changed the row.
    template <typename Update>
    bool record_claimed(std::chrono::seconds patience, RowId id, Update&& update) {
        m_db.begin_immediate(patience, fmt::format("recording the fate of feedback {}", id));
        try {
            update();
            const bool changed = m_db.changes() == 1;
            commit();
            return changed;
        } catch (...) {
            rollback();
            throw;
        }
    }

    ReportQueries& reports() override {
        if (!m_reports) {
            m_reports = sqlite::make_report_queries(m_db);
        }
        return *m_reports;
    }

private:
    void load_children(Signal& s) {
        Statement& fields = m_db.cached(k_select_fields);
        fields.bind(1, s.id);
        while (fields.step()) {
            s.fields[fields.text(0)] = fields.text(1);
        }
        fields.reset();

        Statement& subs = m_db.cached(k_select_submitters);
        subs.bind(1, s.id);
        while (subs.step()) {
            s.submitters.push_back(
                Submitter{subs.integer(0), subs.text(1), read_time(subs, 2), subs.text(3)});
        }
        subs.reset();

        Statement& decisions = m_db.cached(k_select_decisions);
        decisions.bind(1, s.id);
        while (decisions.step()) {
            Decision d;
            d.id = decisions.integer(0);
            d.gate = decisions.text(1) == "go-no-go" ? Gate::go_no_go : Gate::prioritise;
            const std::string verdict = decisions.text(2);
            d.verdict = verdict == "go"     ? Verdict::go
                        : verdict == "park" ? Verdict::park
                                            : Verdict::drop;
            d.reason = decisions.text(3);
            d.until = read_optional_date(decisions, 4);
            d.stamp = Stamp{decisions.text(5), read_time(decisions, 6)};
            s.decisions.push_back(std::move(d));
        }
        decisions.reset();

        load_root_cause(s);
        load_actions(s);

        Statement& measurements = m_db.cached(k_select_measurements);
        measurements.bind(1, s.id);
        while (measurements.step()) {
            s.measurements.push_back(Measurement{
                measurements.integer(0), measurements.integer(1), read_decimal(measurements, 2),
                measurements.text(3), Stamp{measurements.text(4), read_time(measurements, 5)}});
        }
        measurements.reset();

        Statement& feedback = m_db.cached(k_select_feedback);
        feedback.bind(1, s.id);
        while (feedback.step()) {
            s.feedback.push_back(read_feedback(feedback));
        }
        feedback.reset();

        Statement& history = m_db.cached(k_select_history);
        history.bind(1, s.id);
        while (history.step()) {
            HistoryEntry h;
            h.id = history.integer(0);
            h.stamp = Stamp{history.text(2), read_time(history, 1)};
            h.event = history.text(3);
            if (!history.is_null(4)) {
                h.from = read_state(history, 4);
            }
            h.to = read_state(history, 5);
            h.detail = history.text(6);
            s.history.push_back(std::move(h));
        }
        history.reset();
        sqlite::load_recurrences(m_db, s);
    }

    void load_root_cause(Signal& s) {
        Statement& row = m_db.cached(k_select_root_cause);
        row.bind(1, s.id);
        if (row.step()) {
            RootCause rc;
            rc.cause = row.text(0);
            rc.customer_view = row.text(1);
            rc.internal_view = row.text(2);
            rc.method = row.text(3);
            rc.evidence = row.text(4);
            rc.stamp = Stamp{row.text(5), read_time(row, 6)};
            s.root_cause = std::move(rc);
        }
        row.reset();
        if (!s.root_cause) {
            return;
        }
        Statement& items = m_db.cached(k_select_root_cause_items);
        items.bind(1, s.id);
        while (items.step()) {
            const std::string kind = items.text(0);
            auto& list = kind == "why"          ? s.root_cause->whys
                         : kind == "assumption" ? s.root_cause->assumptions
                                                : s.root_cause->alternatives;
            list.push_back(items.text(1));
        }
        items.reset();
    }

    void save_root_cause(SignalId id, const RootCause& rc) {
        m_db.cached(k_upsert_root_cause)
            .bind_all(id, rc.cause, rc.customer_view, rc.internal_view, rc.method, rc.evidence,
                      rc.stamp.by, format_timestamp(rc.stamp.at))
            .run();
        m_db.cached(k_delete_root_cause_items).bind_all(id).run();
        Statement& insert = m_db.cached(k_insert_root_cause_item);
        const std::pair<const char*, const std::vector<std::string>*> lists[] = {
            {"why", &rc.whys}, {"assumption", &rc.assumptions}, {"alternative", &rc.alternatives}};
        for (const auto& [kind, items] : lists) {
            int position = 0;
            for (const std::string& text : *items) {
                insert.bind_all(id, kind, ++position, text).run();
            }
        }
    }

    void load_actions(Signal& s) {
        Statement& row = m_db.cached(k_select_actions);
        row.bind(1, s.id);
        while (row.step()) {
            Action a;
            a.id = row.integer(0);
            a.number = static_cast<int>(row.integer(1));
            if (auto parent = row.optional_integer(2)) {
                a.parent = static_cast<int>(*parent);
            }
            a.title = row.text(3);
            a.owner = row.text(4);
            a.due = read_optional_date(row, 5);
            a.cost = Decimal::from_hundredths(row.integer(6));
            const auto status = parse_action_status(row.text(7));
            if (!status) {
                corrupt("action status", row.text(7));
            }
            a.status = *status;
            a.progress = static_cast<int>(row.integer(8));
            a.created_at = read_time(row, 9);
            a.done_at = read_optional_time(row, 10);
            a.project = row.optional_text(11);
            s.actions.push_back(std::move(a));
        }
        row.reset();
    }

    void save_actions(Signal& s) {
        for (Action& a : s.actions) {
            if (a.id == 0) {
                m_db.cached(k_insert_action)
                    .bind_all(s.id, a.number, a.parent, a.title, a.owner, optional_date_text(a.due),
                              a.cost.hundredths(), to_string(a.status), a.progress,
                              format_timestamp(a.created_at), optional_time_text(a.done_at),
                              a.project)
                    .run();
                a.id = m_db.last_insert_id();
            } else if (a.changed) {
                m_db.cached(k_update_action)
                    .bind_all(to_string(a.status), a.progress, optional_time_text(a.done_at), a.id)
                    .run();
            }
            a.changed = false;
        }
    }

    Connection m_db;
    std::unique_ptr<ReportQueries> m_reports;
    std::unique_ptr<CopyTarget> m_copy; // between begin_copy and finish_copy
    bool m_rollback_journal = false;    // see prepare_bulk_write
};

// A database with the current schema and nothing in it, kept in memory: what reading `file` finds
// where nothing has been written.
std::unique_ptr<Store> empty_store(const fs::path& file) {
    auto store = std::make_unique<SqliteStore>(file, Connection::Mode::memory);
    sqlite::migrate(store->connection());
    return store;
}

// A file of 0 bytes (`touch`, or a name reserved by another tool) holds no database yet, and no
// writer has one in its log; SQLite would read it as empty too, but a reader must not write the
// schema into it.
bool is_empty_file(const fs::path& file) {
    std::error_code error;
    const auto size = fs::file_size(file, error);
    if (error || size != 0) {
        return false;
    }
    const auto log = fs::file_size(file.string() + "-wal", error);
    return error || log == 0;
}

} // namespace

std::unique_ptr<Store> open_store(const fs::path& file, Access access, IfMissing if_missing) {
    if (postgres::is_uri(file.string())) {
        return postgres::open_store(file.string(), access, if_missing);
    }
    if (if_missing == IfMissing::refuse && !fs::exists(file)) {
        throw Refused(fmt::format("no database at {}; `sileram init` creates one, or pass --db",
                                  file.string()));
    }
    std::error_code no_count;
    if (const auto names = fs::hard_link_count(file, no_count); !no_count && names > 1) {
        // SQLite keeps the write-ahead log and its index beside the name a file is opened by:
        // two names are two logs, so writes through one are not seen through the other (a mail
        // claimed through one name is free through the other) and the file can be corrupted.
        throw Refused(fmt::format(
            "{} has {} names (hard links); SQLite keeps its write-ahead log beside the name it "
            "is opened by, so two names would mean two logs and a damaged file. Keep one name "
            "and remove the other links (a symbolic link is fine)",
            file.string(), names));
    }
    if (access == Access::read && !fs::exists(file)) {
        // Reading a database that does not exist yet: an empty one, and no file is created.
        auto store = std::make_unique<SqliteStore>(file, Connection::Mode::memory);
        sqlite::migrate(store->connection());
        return store;
    }
    if (access == Access::read && fs::exists(file.string() + "-journal")) {
        // A first import was cut off (see prepare_bulk_write), or runs now: only a writer may
        // roll its journal back, and a reader would have to wait for it all the same.
        return open_store(file, Access::write);
    }
    if (access == Access::read && is_empty_file(file)) {
        return empty_store(file);
    }
    if (access == Access::read) {
        auto store = std::make_unique<SqliteStore>(file, Connection::Mode::read_only);
        sqlite::require_readable(store->connection());
        if (sqlite::schema_version(store->connection()) < current_schema_version()) {
            // An older file is migrated on its first write; reading it migrates it too, so
            // queries always see the current schema.
            store.reset();
            return open_store(file, Access::write);
        }
        return store;
    }
    if (file.has_parent_path() && !fs::exists(file.parent_path())) {
        throw InvalidInput(fmt::format("{}: the folder {} does not exist", file.string(),
                                       file.parent_path().string()));
    }
    auto store = std::make_unique<SqliteStore>(file, Connection::Mode::read_write_create);
    sqlite::migrate(store->connection());
    store->connection().use_write_ahead_log();
    return store;
}

int initialise_database(const fs::path& file) {
    if (postgres::is_uri(file.string())) {
        return postgres::initialise_database(file.string());
    }
    open_store(file, Access::write);
    return current_schema_version();
}

bool is_database_uri(const std::string& text) {
    return postgres::is_uri(text);
}

bool database_exists(const fs::path& database) {
    if (postgres::is_uri(database.string())) {
        return postgres::schema_exists(database.string());
    }
    return fs::exists(database);
}

std::string display_name(const fs::path& database) {
    return postgres::is_uri(database.string()) ? postgres::redact(database.string())
                                               : database.string();
}

int current_schema_version() {
    return sqlite::migrations().back().version;
}

namespace {

// Flushes `path` (a file, or a folder after a new name in it) to the disk.
void sync_path(const fs::path& path, bool folder) {
    const int fd = ::open(path.c_str(), (folder ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int error = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        throw TemporaryFailure(
            fmt::format("{}: could not sync it to disk: {}", path.string(), std::strerror(error)));
    }
    ::close(fd);
}

void remove_database_files(const fs::path& file) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::remove(file.string() + suffix, ignored);
    }
}

} // namespace

SnapshotFile write_sqlite_snapshot(Store& source, const fs::path& file) {
    if (fs::exists(file)) {
        throw Refused(
            fmt::format("{} exists already; give a new file for the backup", file.string()));
    }
    if (file.has_parent_path() && !fs::is_directory(file.parent_path())) {
        throw InvalidInput(fmt::format("{}: the folder {} does not exist", file.string(),
                                       file.parent_path().string()));
    }
    // A name of this process's own beside the file: on the same file system, so the link below
    // is atomic, and never one another run is writing.
    const fs::path part = file.string() + fmt::format(".part-{}", ::getpid());
    remove_database_files(part);
    SnapshotFile result;
    try {
        {
            auto target = open_store(part, Access::write);
            result.copied = copy_into(source, *target, file.string());
        } // closing the last connection moves the write-ahead log into the file
        {
            Connection check(part, Connection::Mode::read_only);
            Statement integrity = check.prepare("PRAGMA integrity_check");
            if (!integrity.step() || integrity.text(0) != "ok") {
                throw SystemFailure(
                    fmt::format("the copy in {} did not pass its integrity check", file.string()));
            }
            Statement pages = check.prepare("PRAGMA page_count");
            pages.step();
            result.pages = pages.integer(0);
        }
        sync_path(part, false);
        // A link never replaces a file that appeared meanwhile, as a rename would.
        if (::link(part.c_str(), file.c_str()) != 0) {
            const int error = errno;
            if (error == EEXIST) {
                throw Refused(fmt::format("{} exists already; give a new file for the backup",
                                          file.string()));
            }
            throw SystemFailure(
                fmt::format("{}: could not create it: {}", file.string(), std::strerror(error)));
        }
        remove_database_files(part);
        sync_path(file.has_parent_path() ? file.parent_path() : fs::path("."), true);
    } catch (...) {
        remove_database_files(part);
        throw;
    }
    return result;
}

} // namespace sileram::storage
