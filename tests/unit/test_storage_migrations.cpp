// Every earlier schema version, filled with the data sileram wrote at that version, migrates to
// the current one without losing or changing a value. A database is built the way it grew: the
// migrations up to version N, each followed by the seed data of its version (tests/data/
// migrations/seed-vK.sql, where a version has one), then opened for writing as a user would.
#include "connection.hpp"
#include "migrations.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/errors.hpp"
#include "sileram/storage/store.hpp"
#include "support.hpp"
#include "tallies.hpp"

#include <csignal>
#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace sileram;
using namespace sileram::storage;

namespace {

const fs::path k_seeds = fs::path(SILERAM_TEST_DATA) / "migrations";

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// A fresh file in the temporary folder, removed with its WAL files at scope exit.
struct TemporaryDatabase {
    fs::path file;
    explicit TemporaryDatabase(int version, std::string_view tag = "")
        : file(fs::temp_directory_path() /
               fmt::format("sileram-migration-v{}{}-{}.db", version, tag, ::getpid())) {
        remove();
    }
    ~TemporaryDatabase() { remove(); }
    void remove() const {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ignored;
            fs::remove(file.string() + suffix, ignored);
        }
    }
};

// Builds the database as it stood at `version`, with every seed up to it.
void build_at_version(const fs::path& file, int version) {
    sqlite::Connection db(file, sqlite::Connection::Mode::read_write_create);
    db.exec("PRAGMA foreign_keys = ON");
    for (const sqlite::Migration& step : sqlite::migrations()) {
        if (step.version > version) {
            break;
        }
        db.exec("BEGIN");
        db.exec(step.sql);
        if (step.then != nullptr) {
            step.then(db);
        }
        const fs::path seed = k_seeds / fmt::format("seed-v{}.sql", step.version);
        if (fs::exists(seed)) {
            db.exec(read_file(seed));
        }
        db.exec(fmt::format("PRAGMA user_version = {}", step.version));
        db.exec("COMMIT");
    }
}

std::int64_t count_rows(const fs::path& file, const std::string& table) {
    sqlite::Connection db(file, sqlite::Connection::Mode::read_only);
    sqlite::Statement query = db.prepare(fmt::format("SELECT count(*) FROM {}", table));
    query.step();
    return query.integer(0);
}

std::string check(const fs::path& file, const char* pragma) {
    sqlite::Connection db(file, sqlite::Connection::Mode::read_only);
    sqlite::Statement query = db.prepare(pragma);
    std::string result;
    while (query.step()) {
        result += query.text(0);
    }
    return result;
}

// The values of seed-v1.sql, read back through the store after migrating.
void check_version_1_data(Store& store) {
    const auto demo = store.load(1);
    REQUIRE(demo.has_value());
    CHECK(demo->title == "Customers do not understand the VAT line on the invoice");
    CHECK(demo->state == domain::State::closed);
    CHECK(demo->step == 10);
    CHECK(demo->fields.at("channel") == "phone");
    CHECK(demo->submitters.size() == 2);
    REQUIRE(demo->impact.has_value());
    CHECK(demo->impact->contacts == 12000);
    CHECK(demo->impact->cost_per_contact == domain::Decimal::from_whole(10));
    CHECK(demo->impact->satisfaction == domain::Decimal::from_hundredths(690));
    CHECK(demo->expected_reduction == domain::Decimal::from_whole(40));
    REQUIRE(demo->root_cause.has_value());
    CHECK(demo->root_cause->whys.size() == 3);
    REQUIRE(demo->actions.size() == 2);
    CHECK(demo->actions[1].parent == 1);
    CHECK(demo->actions[0].cost == domain::Decimal::from_whole(30000));
    CHECK(demo->actions[0].status == domain::ActionStatus::done);
    REQUIRE(demo->measurements.size() == 1);
    CHECK(demo->measurements[0].contacts == 7000);
    CHECK(demo->decisions.size() == 2);
    CHECK(demo->feedback.size() == 2);
    CHECK(demo->history.size() >= 10);

    const auto hostile = store.load(2);
    REQUIRE(hostile.has_value());
    CHECK(hostile->title == "Klant begrijpt 'factuur' niet; DROP TABLE signals;--");
    CHECK(hostile->description == "twee\nregels é€");
    CHECK(hostile->fields.at("region") == "noord");
    CHECK(hostile->state == domain::State::closed);
    REQUIRE(hostile->feedback.size() == 1);
    CHECK(hostile->feedback[0].recipient == "Zoë@example.org");
    CHECK(hostile->feedback[0].outcome == domain::Outcome::rejected);
    CHECK(hostile->feedback[0].status == domain::DeliveryStatus::sent);
    CHECK(hostile->feedback[0].message_id == "<seed-3@sileram>");

    const auto parked = store.load(3);
    REQUIRE(parked.has_value());
    CHECK(parked->state == domain::State::parked);
    CHECK(parked->submitters.size() == 2);

    const auto duplicate = store.load(4);
    REQUIRE(duplicate.has_value());
    CHECK(duplicate->state == domain::State::duplicate);
    CHECK(duplicate->duplicate_of == 3);
    CHECK(duplicate->external_id == "EXT-9");
}

// The rows of the later seeds, where the database began at or after their version.
void check_later_seeds(Store& store, int version) {
    if (version >= 4) {
        const auto parked = store.load(3);
        REQUIRE(parked.has_value());
        REQUIRE(parked->feedback.size() == 1);
        const domain::Feedback& progress = parked->feedback[0];
        CHECK(progress.outcome == domain::Outcome::progress);
        CHECK(progress.stage == domain::State::accepted);
        CHECK(progress.status == domain::DeliveryStatus::queued);
        CHECK(progress.attempts == 2);
        CHECK(progress.last_error == "450 4.2.1 mailbox busy");
    }
    const std::vector<QueuedFeedback> claimed = store.feedback_queue().claimed_feedback();
    if (version >= 7) {
        REQUIRE(claimed.size() == 1);
        CHECK(claimed[0].feedback.id == 5);
        CHECK(claimed[0].claim == "mailhost/4242/0123456789abcdef");
        CHECK(claimed[0].claimed_at == domain::parse_timestamp("2026-06-03T11:01:00Z"));
        CHECK(store.load(4)->feedback[0].status == domain::DeliveryStatus::sending);
    } else {
        CHECK(claimed.empty()); // nothing was claimed before version 7
    }
}

// Each tally of version 5 against the same figures computed from the signals, as text.
struct Tally {
    const char* kept;
    const char* truth;
    int columns;
};
constexpr Tally k_tallies[] = {
    {"SELECT state, step, signals FROM tally_states WHERE signals > 0 ORDER BY 1, 2",
     "SELECT state, step, count(*) FROM signals GROUP BY 1, 2 ORDER BY 1, 2", 3},
    {"SELECT state, contacts, satisfaction_impact, cost_per_contact_cents, signals "
     "FROM tally_impact WHERE signals > 0 ORDER BY 1, 2, 3, 4",
     "SELECT state, contacts, satisfaction_impact, cost_per_contact_cents, count(*) FROM signals "
     "WHERE contacts IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
     5},
    {"SELECT name, value, sum(signals), sum(contacts), sum(score), sum(cost_cents) "
     "FROM tally_fields GROUP BY 1, 2 HAVING sum(signals) > 0 ORDER BY 1, 2",
     "SELECT f.name, f.value, count(*), coalesce(sum(contacts), 0), "
     "coalesce(sum(contacts * satisfaction_impact), 0), "
     "coalesce(sum(contacts * cost_per_contact_cents), 0) FROM signals s JOIN ("
     "SELECT id, 'channel' AS name, coalesce(channel, '') AS value FROM signals UNION ALL "
     "SELECT id, 'customer', coalesce(customer, '') FROM signals UNION ALL "
     "SELECT id, 'process', coalesce(process, '') FROM signals UNION ALL "
     "SELECT id, 'product', coalesce(product, '') FROM signals) f ON f.id = s.id "
     "GROUP BY 1, 2 ORDER BY 1, 2",
     6},
    {"SELECT month, entered, left FROM tally_months WHERE entered > 0 OR left > 0 ORDER BY 1",
     "SELECT month, sum(entered), sum(left) FROM (SELECT substr(submitted_at, 1, 7) AS month, "
     "1 AS entered, 0 AS left FROM signals UNION ALL SELECT substr(entered_at, 1, 7), 0, 1 "
     "FROM step_stays WHERE step = 10) GROUP BY 1 ORDER BY 1",
     3},
    {"SELECT step, day, stays FROM tally_stays WHERE stays > 0 ORDER BY 1, 2",
     "SELECT step, CASE WHEN seconds >= 0 THEN seconds / 86400 "
     "ELSE -((86399 - seconds) / 86400) END, count(*) FROM step_stays "
     "WHERE seconds IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
     3},
    {"SELECT step, stays FROM tally_waiting WHERE stays > 0 ORDER BY 1",
     "SELECT step, count(*) FROM step_stays WHERE left_at IS NULL GROUP BY 1 ORDER BY 1", 2},
    {"SELECT due, actions FROM tally_due WHERE actions > 0 ORDER BY 1",
     "SELECT a.due, count(*) FROM actions a JOIN signals s ON s.id = a.signal_id "
     "WHERE a.status IN ('planned', 'in-progress') AND a.due IS NOT NULL "
     "AND s.state IN ('approved', 'in-progress') GROUP BY 1 ORDER BY 1",
     2},
    {"SELECT email, signals FROM tally_submitted WHERE signals > 0 ORDER BY 1",
     "SELECT submitted_by, count(*) FROM signals WHERE state <> 'closed' GROUP BY 1 ORDER BY 1", 2},
    {"SELECT email, signals FROM tally_joined WHERE signals > 0 ORDER BY 1",
     "SELECT u.email COLLATE BINARY, count(*) FROM submitters u JOIN signals s "
     "ON s.id = u.signal_id WHERE u.via <> 'submit' AND s.state <> 'closed' GROUP BY 1 "
     "ORDER BY 1",
     2},
    {"SELECT * FROM tally_effect ORDER BY signal_id",
     "SELECT * FROM tally_effect_source ORDER BY signal_id", 10},
    {"SELECT signal_id, month, channel, seconds FROM tally_responses ORDER BY 1",
     "SELECT s.id, substr(s.submitted_at, 1, 7), coalesce(s.channel, ''), "
     "max(0, unixepoch(h.at) - unixepoch(s.submitted_at)) FROM signals s JOIN history h "
     "ON h.id = (SELECT min(id) FROM history WHERE signal_id = s.id "
     "AND event IN ('accept', 'reject', 'duplicate', 'needs-info')) ORDER BY 1",
     4},
    {"SELECT month, channel, day, signals FROM tally_response_days WHERE signals > 0 "
     "ORDER BY 1, 2, 3",
     "SELECT month, channel, seconds / 86400, count(*) FROM tally_responses GROUP BY 1, 2, 3 "
     "ORDER BY 1, 2, 3",
     4},
    {"SELECT signal_id, at FROM tally_verdicts ORDER BY 1",
     "SELECT signal_id, min(at) FROM history WHERE event IN ('accept', 'reject', 'duplicate') "
     "GROUP BY 1 ORDER BY 1",
     2},
    {"SELECT history_id, signal_id, month, seconds FROM tally_closings ORDER BY 1",
     "SELECT h.id, h.signal_id, substr(h.at, 1, 7), "
     "max(0, unixepoch(h.at) - unixepoch(s.submitted_at)) FROM history h JOIN signals s "
     "ON s.id = h.signal_id WHERE h.to_state = 'closed' AND coalesce(h.from_state, '') "
     "<> 'closed' ORDER BY 1",
     4},
    {"SELECT signal_id, month, saved_cents FROM tally_saved ORDER BY 1",
     "SELECT s.id, substr(m.measured_at, 1, 7), "
     "coalesce((s.contacts - m.contacts) * s.cost_per_contact_cents, 0) FROM signals s "
     "JOIN measurements m ON m.id = (SELECT max(id) FROM measurements WHERE signal_id = s.id) "
     "WHERE s.contacts IS NOT NULL ORDER BY 1",
     3},
    {"SELECT month, verdicts, closed, measured, saved_cents FROM tally_months "
     "WHERE verdicts <> 0 OR closed <> 0 OR measured <> 0 OR saved_cents <> 0 ORDER BY 1",
     "SELECT month, sum(v), sum(c), sum(n), sum(saved) FROM ("
     "SELECT substr(at, 1, 7) AS month, 1 AS v, 0 AS c, 0 AS n, 0 AS saved FROM tally_verdicts "
     "UNION ALL SELECT month, 0, 1, 0, 0 FROM tally_closings "
     "UNION ALL SELECT month, 0, 0, 1, saved_cents FROM tally_saved) GROUP BY 1 ORDER BY 1",
     5},
    {"SELECT process, signals FROM tally_recurrable WHERE signals > 0 ORDER BY 1",
     "SELECT coalesce(process, ''), count(*) FROM signals s WHERE state = 'closed' "
     "AND EXISTS (SELECT 1 FROM root_causes WHERE signal_id = s.id) "
     "AND EXISTS (SELECT 1 FROM measurements WHERE signal_id = s.id) GROUP BY 1 ORDER BY 1",
     2},
    {"SELECT day, channel, signals FROM tally_unanswered WHERE signals > 0 ORDER BY 1, 2",
     "SELECT substr(submitted_at, 1, 10), coalesce(channel, ''), count(*) FROM signals s "
     "WHERE NOT EXISTS (SELECT 1 FROM history h WHERE h.signal_id = s.id "
     "AND h.event IN ('accept', 'reject', 'duplicate', 'needs-info')) GROUP BY 1, 2 ORDER BY 1, 2",
     3},
};

// Every tally holds what the data says, row for row.
void check_tallies(const fs::path& file) {
    sqlite::Connection db(file, sqlite::Connection::Mode::read_only);
    auto rows = [&](const char* sql, int columns) {
        sqlite::Statement query = db.prepare(sql);
        std::string text;
        while (query.step()) {
            for (int i = 0; i < columns; ++i) {
                text += query.optional_text(i).value_or("NULL") + "|";
            }
            text += "\n";
        }
        return text;
    };
    for (const Tally& t : k_tallies) {
        CAPTURE(t.kept);
        CHECK(rows(t.kept, t.columns) == rows(t.truth, t.columns));
    }
}

constexpr const char* k_version_1_tables[] = {
    "signals",          "signal_fields", "submitters",   "decisions", "root_causes",
    "root_cause_items", "actions",       "measurements", "feedback",  "history"};

// The names of the tables, indexes, triggers and views, one per line, in order.
constexpr const char* k_schema_objects =
    "SELECT group_concat(type || ' ' || name, char(10)) FROM (SELECT type, name FROM "
    "sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name)";

} // namespace

TEST_CASE("a database at every earlier schema version migrates with all its data") {
    const int current = current_schema_version();
    TemporaryDatabase fresh_file(current, "-fresh");
    initialise_database(fresh_file.file);
    const std::string fresh_schema = check(fresh_file.file, k_schema_objects);
    CHECK(test_support::contains(fresh_schema, "index step_stays_signal"));
    for (int version = 1; version <= current; ++version) {
        CAPTURE(version);
        TemporaryDatabase database(version);
        build_at_version(database.file, version);

        std::map<std::string, std::int64_t> rows_before;
        for (const char* table : k_version_1_tables) {
            rows_before[table] = count_rows(database.file, table);
        }
        CHECK(rows_before["signals"] == 4);

        {
            const auto store = open_store(database.file, Access::write);
            check_version_1_data(*store);
            check_later_seeds(*store, version);
        }
        CHECK(initialise_database(database.file) == current);
        CHECK(check(database.file, "PRAGMA integrity_check") == "ok");
        CHECK(check(database.file, "PRAGMA foreign_key_check") == "");
        // Every index, trigger and view a new file has, whatever version the file began at.
        CHECK(check(database.file, k_schema_objects) == fresh_schema);
        for (const char* table : k_version_1_tables) {
            CAPTURE(table);
            CHECK(count_rows(database.file, table) == rows_before[table]);
        }

        // The migrated file takes new signals as a fresh one would, also one that waits for an
        // answer to a mailed question (version 8).
        const auto store = open_store(database.file, Access::write);
        WriteTransaction transaction(*store);
        domain::Signal fresh;
        fresh.title = "After the migration";
        fresh.state = domain::State::needs_info;
        fresh.step = 2;
        fresh.submitted_by = "new@example.org";
        fresh.submitted_at = fresh.updated_at = store->load(1)->submitted_at;
        fresh.submitters.push_back({0, "new@example.org", fresh.submitted_at, "submit"});
        domain::Feedback question;
        question.recipient = "new@example.org";
        question.outcome = domain::Outcome::needs_info;
        question.question = 1;
        question.detail = "Which invoice?";
        question.queued_at = fresh.submitted_at;
        fresh.feedback.push_back(question);
        store->insert(fresh);
        transaction.commit();
        CHECK(fresh.id == 5);
        CHECK(store->load(5)->feedback.at(0).detail == "Which invoice?");
        check_tallies(database.file);
    }
}

TEST_CASE("the tallies of version 5 follow every change to the data") {
    TemporaryDatabase database(5);
    build_at_version(database.file, 1);
    CHECK(initialise_database(database.file) == current_schema_version());
    check_tallies(database.file);
    {
        sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
        // The parked signal is carried out with two open actions, one cancelled; it is measured
        // twice; a field and a figure change; its history moves its step stays along.
        db.exec(R"sql(
UPDATE signals SET state = 'approved', step = 7, customer = 'Acme' WHERE id = 3;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
VALUES (3, '2026-07-01T10:00:00Z', 'x', 'approve', 'parked', 'approved');
INSERT INTO actions (signal_id, number, title, due, cost_cents, status, created_at)
VALUES (3, 1, 'one', '2026-08-01', 500, 'planned', '2026-07-01T10:00:00Z'),
       (3, 2, 'two', '2026-08-01', 700, 'in-progress', '2026-07-01T10:00:00Z'),
       (3, 3, 'three', '2026-09-01', 900, 'cancelled', '2026-07-01T10:00:00Z');
UPDATE signals SET state = 'in-progress', step = 8 WHERE id = 3;
UPDATE actions SET due = '2026-08-15' WHERE signal_id = 3 AND number = 1;
INSERT INTO submitters (signal_id, email, joined_at, via)
VALUES (3, 'New@Example.org', '2026-07-02T10:00:00Z', 'join');
)sql");
    }
    check_tallies(database.file);
    {
        sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
        sqlite::Statement due = db.prepare("SELECT group_concat(due || ' ' || actions) FROM "
                                           "tally_due WHERE actions > 0");
        REQUIRE(due.step());
        CHECK(due.text(0) == "2026-08-01 1,2026-08-15 1");
        sqlite::Statement joined = db.prepare("SELECT group_concat(email || ' ' || signals) FROM "
                                              "tally_joined WHERE signals > 0");
        REQUIRE(joined.step());
        CHECK(joined.text(0) == "New@Example.org 1,d@example.org 1");
        db.exec(R"sql(
INSERT INTO measurements (signal_id, contacts, satisfaction_hundredths, measured_by, measured_at)
VALUES (3, 6, 700, 'x', '2026-09-01T10:00:00Z');
UPDATE actions SET status = 'done' WHERE signal_id = 3 AND number = 2;
UPDATE signals SET contacts = 12, satisfaction_hundredths = 650, channel = 'mail' WHERE id = 3;
INSERT INTO measurements (signal_id, contacts, satisfaction_hundredths, measured_by, measured_at)
VALUES (3, 4, NULL, 'x', '2026-10-01T10:00:00Z');
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
VALUES (3, '2026-10-02T10:00:00Z', 'x', 'close', 'in-progress', 'closed');
UPDATE signals SET state = 'closed', step = 10 WHERE id = 3;
UPDATE actions SET status = 'cancelled' WHERE signal_id = 3 AND number = 1;
)sql");
    }
    check_tallies(database.file);
    sqlite::Connection db(database.file, sqlite::Connection::Mode::read_only);
    sqlite::Statement effect =
        db.prepare("SELECT contacts_saved, cost_cents FROM tally_effect WHERE signal_id = 3");
    REQUIRE(effect.step());
    CHECK(effect.integer(0) == 8);
    CHECK(effect.integer(1) == 700);
}

TEST_CASE("the tallies of version 11 follow every change to the data") {
    TemporaryDatabase database(11, "-responses");
    build_at_version(database.file, 1);
    CHECK(initialise_database(database.file) == current_schema_version());
    check_tallies(database.file);
    sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
    // A first response and a later one, a question stamped before the submission, a signal
    // moved to another day and channel, with and without a response, and a new signal.
    db.exec(R"sql(
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT id, '2026-12-01T10:00:00Z', 'x', 'accept', state, state FROM signals;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT id, '2026-12-02T10:00:00Z', 'x', 'reject', state, state FROM signals;
INSERT INTO signals (title, state, step, submitted_by, submitted_at, updated_at, channel)
VALUES ('new', 'submitted', 1, 'n@example.org', '2026-11-30T23:59:59Z',
        '2026-11-30T23:59:59Z', 'chat');
)sql");
    check_tallies(database.file);
    db.exec(R"sql(
UPDATE signals SET channel = 'letter' WHERE title = 'new';
UPDATE signals SET submitted_at = '2026-12-05T00:00:00Z', channel = NULL WHERE id = 1;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT max(id), '2020-01-01T00:00:00Z', 'x', 'needs-info', 'submitted', 'needs-info'
FROM signals;
UPDATE signals SET submitted_at = '2026-11-01T08:00:00Z' WHERE id = 2;
)sql");
    check_tallies(database.file);
    // An earlier verdict moves a signal's month; closings and a reopened close; measurements
    // replaced, their baseline changed, a measurement moved to another month.
    db.exec(R"sql(
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
VALUES (2, '2026-10-15T10:00:00Z', 'x', 'duplicate', 'submitted', 'duplicate'),
       (2, '2026-12-03T10:00:00Z', 'x', 'close', 'implemented', 'closed'),
       (2, '2026-12-03T11:00:00Z', 'x', 'note', 'closed', 'closed'),
       (3, '2027-01-01T00:00:00Z', 'x', 'close', NULL, 'closed');
UPDATE signals SET contacts = 40, satisfaction_impact = 3, cost_per_contact_cents = 250,
    satisfaction_hundredths = 600
WHERE id IN (2, 3);
INSERT INTO measurements (signal_id, contacts, satisfaction_hundredths, measured_by, measured_at)
VALUES (2, 10, 700, 'x', '2026-12-10T10:00:00Z'), (3, 50, NULL, 'x', '2026-12-11T10:00:00Z'),
       (2, 5, NULL, 'x', '2027-01-10T10:00:00Z');
UPDATE signals SET cost_per_contact_cents = 300 WHERE id = 2;
UPDATE measurements SET measured_at = '2027-02-01T00:00:00Z' WHERE signal_id = 3;
UPDATE signals SET submitted_at = '2026-10-01T00:00:00Z' WHERE id = 2;
)sql");
    check_tallies(database.file);
    // Closed root causes that can recur: closed with a cause and a measurement, in any order;
    // a process changed, a cause removed, a measurement moved to another signal.
    db.exec(R"sql(
UPDATE signals SET state = 'closed', step = 10 WHERE id IN (2, 3);
INSERT INTO root_causes (signal_id, cause, recorded_by, recorded_at)
VALUES (2, 'c', 'x', '2026-12-01T00:00:00Z'), (3, 'c', 'x', '2026-12-01T00:00:00Z'),
       (1, 'c', 'x', '2026-12-01T00:00:00Z')
ON CONFLICT (signal_id) DO UPDATE SET cause = excluded.cause;
INSERT INTO measurements (signal_id, contacts, satisfaction_hundredths, measured_by, measured_at)
VALUES (1, 1, NULL, 'x', '2026-12-12T10:00:00Z');
UPDATE signals SET state = 'closed', step = 10, process = 'billing' WHERE id = 1;
UPDATE signals SET process = 'delivery' WHERE id = 2;
)sql");
    check_tallies(database.file);
    sqlite::Statement recurrable = db.prepare(
        "SELECT sum(signals) FROM tally_recurrable WHERE process IN ('billing', 'delivery')");
    REQUIRE(recurrable.step());
    CHECK(recurrable.integer(0) == 2);
    recurrable.reset();
    db.exec(R"sql(
DELETE FROM root_cause_items WHERE signal_id IN (1, 3);
DELETE FROM root_causes WHERE signal_id = 3;
UPDATE measurements SET signal_id = 3 WHERE signal_id = 1;
UPDATE root_causes SET signal_id = 3 WHERE signal_id = 1;
UPDATE signals SET state = 'in-progress', step = 8 WHERE id = 2;
)sql");
    check_tallies(database.file);
    sqlite::Statement clamped =
        db.prepare("SELECT seconds FROM tally_responses WHERE signal_id = 1");
    REQUIRE(clamped.step());
    CHECK(clamped.integer(0) == 0); // answered before its (moved) submission
}

namespace {

// The CREATE statements of every trigger, to see that an import leaves them as they were.
std::string trigger_definitions(const fs::path& file) {
    sqlite::Connection db(file, sqlite::Connection::Mode::read_only);
    sqlite::Statement query =
        db.prepare("SELECT group_concat(sql, char(10)) FROM (SELECT sql FROM sqlite_schema "
                   "WHERE type = 'trigger' ORDER BY name)");
    query.step();
    return query.text(0);
}

// Imports three signals through the store's bulk insert, then commits or rolls back.
void import_three(const fs::path& file, bool commit) {
    const auto store = open_store(file, Access::write);
    WriteTransaction transaction(*store);
    const auto bulk = store->bulk_insert();
    const domain::Stamp stamp{"importer@example.org", store->load(1)->submitted_at};
    const char* channels[] = {"phone", "chat", "phone"};
    for (int i = 0; i < 3; ++i) {
        domain::NewSignal input;
        input.title = fmt::format("Imported {}", i);
        input.submitted_by = i == 1 ? "d@example.org" : "importer@example.org";
        input.external_id = fmt::format("ext-{}-{}", commit, i);
        input.fields = {{"channel", channels[i]}, {"customer", "Acme"}, {"colour", "blue"}};
        domain::Signal signal = domain::new_signal(input, stamp);
        CHECK(bulk->add(signal));
    }
    bulk->finish();
    if (commit) {
        transaction.commit();
    }
}

} // namespace

TEST_CASE("a bulk import adds its rows to the tallies at once and keeps their triggers") {
    TemporaryDatabase database(5);
    build_at_version(database.file, 4);
    CHECK(initialise_database(database.file) == current_schema_version());
    const std::string triggers = trigger_definitions(database.file);
    CHECK(test_support::contains(triggers, "CREATE TRIGGER tally_signal_insert"));

    import_three(database.file, false);
    CHECK(count_rows(database.file, "signals") == 4);
    CHECK(trigger_definitions(database.file) == triggers);
    check_tallies(database.file);

    import_three(database.file, true);
    CHECK(count_rows(database.file, "signals") == 7);
    CHECK(trigger_definitions(database.file) == triggers);
    check_tallies(database.file);

    // The triggers are at work again: a change after the import is followed row by row.
    {
        sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
        db.exec("UPDATE signals SET state = 'accepted', step = 2, contacts = 3, "
                "satisfaction_impact = 2, cost_per_contact_cents = 100 WHERE id = 6");
    }
    check_tallies(database.file);
}

namespace {

// The step stays as rows of text, for comparing two databases.
std::string step_stays(const fs::path& file) {
    sqlite::Connection db(file, sqlite::Connection::Mode::read_only);
    sqlite::Statement query = db.prepare(
        "SELECT group_concat(row, char(10)) FROM (SELECT signal_id || ' ' || step || ' ' || "
        "entered_at || ' ' || quote(left_at) || ' ' || quote(seconds) AS row FROM step_stays "
        "ORDER BY id)");
    query.step();
    return query.text(0);
}

// The rows of a query as text, one per line, for comparing two databases.
std::string table_text(const fs::path& file, const std::string& rows_sql) {
    sqlite::Connection db(file, sqlite::Connection::Mode::read_only);
    sqlite::Statement query =
        db.prepare("SELECT group_concat(row, char(10)) FROM (" + rows_sql + ")");
    query.step();
    return query.text(0);
}

// Three new signals from different submitters, one raised a day before it was stored.
std::vector<domain::Signal> signals_to_store(const domain::Stamp& stamp) {
    std::vector<domain::Signal> signals;
    for (int i = 0; i < 3; ++i) {
        domain::NewSignal input;
        input.title = fmt::format("Stored {}", i);
        input.submitted_by = fmt::format("importer{}@example.org", i);
        input.external_id = fmt::format("stay-{}", i);
        if (i == 1) {
            input.submitted_at = stamp.at - std::chrono::hours(24);
        }
        signals.push_back(domain::new_signal(input, stamp));
    }
    return signals;
}

} // namespace

TEST_CASE("a bulk import writes the stays, history and submitters that single inserts write") {
    TemporaryDatabase bulk_file(5, "-bulk");
    TemporaryDatabase rows_file(5, "-rows");
    for (const auto* database : {&bulk_file, &rows_file}) {
        build_at_version(database->file, 4);
        CHECK(initialise_database(database->file) == current_schema_version());
    }
    const std::string triggers = trigger_definitions(bulk_file.file);
    {
        const auto store = open_store(bulk_file.file, Access::write);
        const domain::Stamp stamp{"importer@example.org", store->load(1)->submitted_at};
        WriteTransaction transaction(*store);
        const auto bulk = store->bulk_insert();
        for (domain::Signal& signal : signals_to_store(stamp)) {
            CHECK(bulk->add(signal));
        }
        bulk->finish();
        transaction.commit();
    }
    {
        const auto store = open_store(rows_file.file, Access::write);
        const domain::Stamp stamp{"importer@example.org", store->load(1)->submitted_at};
        for (domain::Signal& signal : signals_to_store(stamp)) {
            WriteTransaction transaction(*store);
            store->insert(signal);
            transaction.commit();
        }
    }
    const std::string stays = step_stays(rows_file.file);
    CHECK(test_support::contains(stays, "\n4 1 "));
    CHECK(step_stays(bulk_file.file) == stays);
    const std::string history_sql =
        "SELECT id || ' ' || signal_id || ' ' || at || ' ' || by || ' ' || event || ' ' || "
        "quote(from_state) || ' ' || to_state || ' ' || detail AS row FROM history ORDER BY id";
    const std::string history = table_text(rows_file.file, history_sql);
    CHECK(test_support::contains(history, "by importer1@example.org"));
    CHECK(table_text(bulk_file.file, history_sql) == history);
    const std::string submitters_sql =
        "SELECT id || ' ' || signal_id || ' ' || email || ' ' || joined_at || ' ' || via AS row "
        "FROM submitters ORDER BY id";
    const std::string submitters = table_text(rows_file.file, submitters_sql);
    CHECK(test_support::contains(submitters, "importer2@example.org"));
    CHECK(table_text(bulk_file.file, submitters_sql) == submitters);
    CHECK(trigger_definitions(bulk_file.file) == triggers);
    check_tallies(bulk_file.file);
}

TEST_CASE("a bulk import, its CHECK constraints relaxed, refuses what they guard") {
    TemporaryDatabase database(5);
    build_at_version(database.file, 4);
    CHECK(initialise_database(database.file) == current_schema_version());
    const std::int64_t signals_before = count_rows(database.file, "signals");
    using Change = std::function<void(domain::Signal&)>;
    const std::vector<std::pair<std::string, Change>> breaks = {
        {"a title too long", [](domain::Signal& s) { s.title = std::string(301, 'x'); }},
        {"an empty title", [](domain::Signal& s) { s.title.clear(); }},
        {"another state", [](domain::Signal& s) { s.state = domain::State::closed; }},
        {"a step out of range", [](domain::Signal& s) { s.step = 11; }},
        {"a step of another state", [](domain::Signal& s) { s.step = 3; }},
        {"a second history entry",
         [](domain::Signal& s) { s.history.push_back(s.history.front()); }},
        {"another submitter",
         [](domain::Signal& s) { s.submitters.front().email = "other@example.org"; }},
        {"another history detail", [](domain::Signal& s) { s.history.front().detail = "x"; }},
    };
    // Not a structured binding: Clang 14 refuses to capture one in CAPTURE's lambda.
    for (const auto& broken : breaks) {
        const auto& what = broken.first;
        const auto& change = broken.second;
        CAPTURE(what);
        {
            const auto store = open_store(database.file, Access::write);
            const domain::Stamp stamp{"importer@example.org", store->load(1)->submitted_at};
            WriteTransaction transaction(*store);
            const auto bulk = store->bulk_insert();
            std::vector<domain::Signal> signals = signals_to_store(stamp);
            CHECK(bulk->add(signals[0]));
            change(signals[1]);
            CHECK_THROWS_AS(bulk->add(signals[1]), InvalidInput);
        }
        CHECK(count_rows(database.file, "signals") == signals_before);
    }
    // The checks are on again after an import: SQL that breaks them is refused.
    {
        const auto store = open_store(database.file, Access::write);
        const domain::Stamp stamp{"importer@example.org", store->load(1)->submitted_at};
        WriteTransaction transaction(*store);
        const auto bulk = store->bulk_insert();
        for (domain::Signal& signal : signals_to_store(stamp)) {
            CHECK(bulk->add(signal));
        }
        bulk->finish();
        transaction.commit();
    }
    sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
    CHECK_THROWS(db.exec("UPDATE signals SET state = 'lost' WHERE id = 1"));
    CHECK_THROWS(db.exec("UPDATE signals SET step = 11 WHERE id = 1"));
}

TEST_CASE("an import's counts, written out in batches, add up to the tallies") {
    TemporaryDatabase database(5);
    build_at_version(database.file, 4);
    CHECK(initialise_database(database.file) == current_schema_version());
    {
        sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
        db.exec("BEGIN IMMEDIATE");
        // A batch of three distinct values: the counts go out many times over ten signals.
        sqlite::ImportTallies tallies(db, 3);
        for (int i = 0; i < 10; ++i) {
            const std::array<std::optional<std::string>, 4> fields{
                std::string(i % 2 == 0 ? "chat" : "phone"), std::nullopt, std::string("billing"),
                fmt::format("Klant {}", i)};
            const std::string by = fmt::format("m{}@example.org", i % 3);
            const std::string at = fmt::format("2026-0{}-01T10:00:00Z", 1 + i % 4);
            db.prepare("INSERT INTO signals (title, description, state, step, submitted_by, "
                       "submitted_at, updated_at, channel, product, process, customer) "
                       "VALUES (?, '', 'submitted', 1, ?, ?, ?, ?, ?, ?, ?)")
                .bind_all(fmt::format("Signal {}", i), by, at, at, fields[0], fields[1], fields[2],
                          fields[3])
                .run();
            tallies.count("submitted", 1, by, at, fields);
        }
        tallies.finish();
        db.exec("COMMIT");
    }
    check_tallies(database.file);
}

TEST_CASE("a database from a newer sileram is refused and left as it is") {
    TemporaryDatabase database(0);
    build_at_version(database.file, current_schema_version());
    {
        sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
        db.exec(fmt::format("PRAGMA user_version = {}", current_schema_version() + 1));
    }
    CHECK_THROWS_AS(open_store(database.file, Access::write), Refused);
    CHECK_THROWS_AS(open_store(database.file, Access::read), Refused);
    CHECK(count_rows(database.file, "signals") == 4);
}

namespace {

// Replaces `from` by `to` in the stored text of the signals table, as another program could.
void edit_signals_text(const fs::path& file, std::string_view from, std::string_view to) {
    sqlite::Connection db(file, sqlite::Connection::Mode::read_write_create);
    db.exec("PRAGMA writable_schema = ON");
    sqlite::Statement edit = db.prepare("UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2) "
                                        "WHERE type = 'table' AND name = 'signals'");
    edit.bind_all(from, to);
    edit.run();
    REQUIRE(db.changes() == 1);
    db.exec("PRAGMA writable_schema = RESET");
    db.exec("PRAGMA writable_schema = OFF");
}

std::string signals_text(const fs::path& file) {
    return check(file, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'signals'");
}

} // namespace

TEST_CASE("a migration that edits the schema text refuses a signals table changed elsewhere") {
    // Versions 8 and 18 change the stored text of the signals table in place; a text that is not
    // the one sileram wrote is refused with the file named, and the file stays at its version.
    struct Case {
        int version;
        std::string_view from;
        std::string_view to;
        std::string_view named;
    };
    for (const Case& c : {Case{7, "'parked', 'dropped'))", "'dropped', 'parked'))",
                               "the state CHECK of schema version 7"},
                          Case{17, "external_id                      TEXT UNIQUE,",
                               "external_id TEXT UNIQUE,", "the text of schema version 17"}}) {
        CAPTURE(c.version);
        TemporaryDatabase database(c.version, "-edited");
        build_at_version(database.file, c.version);
        edit_signals_text(database.file, c.from, c.to);
        const std::string before = signals_text(database.file);
        std::string message;
        try {
            open_store(database.file, Access::write);
        } catch (const SystemFailure& e) {
            message = e.what();
        }
        CHECK(test_support::contains(message, database.file.string()));
        CHECK(test_support::contains(message, fmt::format("does not have {}", c.named)));
        CHECK(test_support::contains(message, "changed outside sileram"));
        CHECK(check(database.file, "PRAGMA user_version") == std::to_string(c.version));
        CHECK(signals_text(database.file) == before);
        CHECK(check(database.file, "PRAGMA integrity_check") == "ok");
    }
}

TEST_CASE(
    "a migration that fills the disk reports the full disk and leaves the version as it was") {
    TemporaryDatabase database(1, "-full");
    build_at_version(database.file, 1);
    const std::int64_t signals = count_rows(database.file, "signals");
    {
        sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
        // The file may not grow by a page: the next schema's tables find the database full.
        sqlite::Statement pages = db.prepare("PRAGMA page_count");
        REQUIRE(pages.step());
        db.exec(fmt::format("PRAGMA max_page_count = {}", pages.integer(0)));
        std::string message;
        try {
            sqlite::migrate(db);
        } catch (const TemporaryFailure& e) {
            message = e.what();
        } catch (const std::exception& e) {
            FAIL("the migration failed with another error than a full disk: " << e.what());
        }
        CHECK(test_support::contains(message, "database or disk is full"));
        CHECK(test_support::contains(message, database.file.filename().string()));
        CHECK_FALSE(test_support::contains(message, "no transaction is active"));
        CHECK(sqlite::schema_version(db) == 1);
    }
    CHECK(count_rows(database.file, "signals") == signals);
    CHECK(check(database.file, "PRAGMA integrity_check") == "ok");
    // With room again, the same file migrates.
    CHECK(initialise_database(database.file) == current_schema_version());
    CHECK(count_rows(database.file, "signals") == signals);
}

namespace {

// While it lives, no file of this process may grow beyond `bytes`, and a write that would goes
// wrong with EFBIG as on a full disk (SIGXFSZ, which would end the process, is ignored).
class FileSizeLimit {
public:
    explicit FileSizeLimit(std::uintmax_t bytes) {
        REQUIRE(::getrlimit(RLIMIT_FSIZE, &m_before) == 0);
        m_signal = std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limited{static_cast<rlim_t>(bytes), m_before.rlim_max};
        REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &m_before);
        std::signal(SIGXFSZ, m_signal);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit m_before{};
    void (*m_signal)(int) = nullptr;
};

} // namespace

TEST_CASE("a migration whose commit fails keeps that error, not the rollback's after it") {
    // A write error at COMMIT makes SQLite roll the whole transaction back by itself; a ROLLBACK
    // after that fails with "no transaction is active", which must not hide the write error.
    TemporaryDatabase database(1, "-commit");
    build_at_version(database.file, 1);
    const std::int64_t signals = count_rows(database.file, "signals");
    std::string message;
    {
        sqlite::Connection db(database.file, sqlite::Connection::Mode::read_write_create);
        const FileSizeLimit limit(fs::file_size(database.file));
        try {
            sqlite::migrate(db);
        } catch (const std::exception& e) {
            message = e.what();
        }
    }
    CHECK(test_support::contains(message, "database or disk is full"));
    CHECK(test_support::contains(message, database.file.string()));
    CHECK_FALSE(test_support::contains(message, "no transaction is active"));
    CHECK(count_rows(database.file, "signals") == signals);
    CHECK(check(database.file, "PRAGMA integrity_check") == "ok");
    CHECK(check(database.file, "PRAGMA user_version") == "1");
}

TEST_CASE("copy migrates an older source first, then copies it whole") {
    for (const int version : {1, 4, 6}) {
        CAPTURE(version);
        TemporaryDatabase source(version, "-copy-source");
        build_at_version(source.file, version);
        TemporaryDatabase target(version, "-copy-target");
        const CopyCount copied = copy_database(source.file, target.file);
        CHECK(copied.signals == 4);
        CHECK(check(source.file, "PRAGMA user_version") ==
              std::to_string(current_schema_version()));
        CHECK(check(target.file, "PRAGMA user_version") ==
              std::to_string(current_schema_version()));
        for (const char* table : k_version_1_tables) {
            CAPTURE(table);
            CHECK(count_rows(target.file, table) == count_rows(source.file, table));
        }
        // The step stays the target builds from the history are the ones the source kept.
        constexpr const char* stays =
            "SELECT group_concat(signal_id || '/' || step || '/' || entered_at || '/' || "
            "coalesce(left_at, '-'), ' ') FROM (SELECT * FROM step_stays "
            "ORDER BY signal_id, entered_at, step)";
        CHECK(check(target.file, stays) == check(source.file, stays));
        check_tallies(target.file);
    }
}
