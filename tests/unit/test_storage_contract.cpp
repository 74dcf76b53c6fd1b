// The storage contract: the same cases against the SQLite file and PostgreSQL. The PostgreSQL
// half ("[pg]") runs in the CTest test unit-pg, inside the throwaway cluster of tests/pg/cluster.py
// (SILERAM_TEST_DB=postgresql and PG* set); there a missing server fails the test, never skips it.

#include "sileram/errors.hpp"
#include "sileram/storage/store.hpp"
#include "support.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <libpq-fe.h>
#include <unistd.h>

namespace {

using namespace sileram;
using namespace sileram::domain;
using namespace sileram::storage;
using test_support::at;

// Runs one statement on the cluster's maintenance database `postgres`; returns the first cell.
std::string pg_admin(const std::string& sql) {
    PGconn* c = PQconnectdb("dbname=postgres");
    REQUIRE_MESSAGE(PQstatus(c) == CONNECTION_OK, "no PostgreSQL test server: ", PQerrorMessage(c));
    PGresult* r = PQexec(c, sql.c_str());
    const ExecStatusType status = PQresultStatus(r);
    const std::string cell = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    const std::string error = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    REQUIRE_MESSAGE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK), error);
    return cell;
}

// A fresh, empty database for one case: a SQLite file in a new folder, or a new PostgreSQL
// database in the test cluster.
struct Backend {
    std::string name;
    std::function<std::string()> fresh;
};

std::string fresh_sqlite() {
    static std::atomic<int> counter = 0;
    const auto folder = std::filesystem::temp_directory_path() /
                        fmt::format("sileram-contract-{}-{}", getpid(), ++counter);
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return (folder / "sileram.db").string();
}

std::string fresh_postgres() {
    REQUIRE_MESSAGE(std::getenv("SILERAM_TEST_DB") != nullptr,
                    "the [pg] cases run inside tests/pg/cluster.py (CTest test unit-pg)");
    static int counter = 0;
    const std::string name = fmt::format("contract_{}_{}", getpid(), ++counter);
    pg_admin("CREATE DATABASE " + name);
    return "postgresql:///" + name;
}

Signal new_signal(const std::string& title, const std::string& description = "") {
    Signal s;
    s.title = title;
    s.description = description;
    s.submitted_by = "agent1@example.nl";
    s.submitted_at = at("2026-11-23T12:00:00Z");
    s.updated_at = s.submitted_at;
    s.submitters.push_back(Submitter{0, s.submitted_by, s.submitted_at, "submit"});
    s.history.push_back(HistoryEntry{0, Stamp{"lead", s.submitted_at}, "submit", std::nullopt,
                                     State::submitted, ""});
    return s;
}

SignalId add(Store& store, Signal s) {
    WriteTransaction tx(store);
    store.insert(s);
    tx.commit();
    return s.id;
}

std::vector<SignalId> ids_of(const std::vector<SignalSummary>& rows) {
    std::vector<SignalId> ids;
    for (const auto& r : rows) {
        ids.push_back(r.id);
    }
    return ids;
}

void round_trip(const std::string& db) {
    auto store = open_store(db, Access::write);
    Signal s = new_signal("De factuur is onduidelijk", "Klanten bellen over de btw-regel");
    s.external_id = "CRM-1";
    s.fields = {{"channel", "phone"}, {"region", "noord"}};
    const SignalId id = add(*store, s);
    CHECK(id == 1);

    auto loaded = store->load(id);
    REQUIRE(loaded);
    CHECK(loaded->title == "De factuur is onduidelijk");
    CHECK(loaded->external_id == std::optional<std::string>("CRM-1"));
    CHECK(loaded->fields ==
          std::map<std::string, std::string>{{"channel", "phone"}, {"region", "noord"}});
    REQUIRE(loaded->submitters.size() == 1);
    CHECK(loaded->submitters[0].id > 0);
    CHECK(format_timestamp(loaded->submitted_at) == "2026-11-23T12:00:00Z");
    REQUIRE(loaded->history.size() == 1);
    CHECK(loaded->history[0].event == "submit");
    CHECK_FALSE(store->load(99));

    // save: the row's figures and the new children; an action changed afterwards.
    {
        WriteTransaction tx(*store);
        Signal w = *store->load(id);
        w.state = State::analysed;
        w.step = 3;
        w.impact = Impact{12000, 4, test_support::dec("10"), test_support::dec("6.9")};
        w.actions.push_back(Action{});
        w.actions.back().number = 1;
        w.actions.back().title = "Nieuwe factuurlayout";
        w.actions.back().cost = test_support::dec("30000");
        w.actions.back().created_at = at("2026-11-24T09:00:00Z");
        w.actions.back().due = test_support::date("2027-01-15");
        w.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-24T09:00:00Z")}, "analyse",
                                         State::submitted, State::analysed, "12000 contacts"});
        store->save(w);
        CHECK(w.actions.back().id > 0);
        tx.commit();
    }
    {
        WriteTransaction tx(*store);
        Signal w = *store->load(id);
        REQUIRE(w.actions.size() == 1);
        w.actions[0].status = ActionStatus::done;
        w.actions[0].progress = 100;
        w.actions[0].done_at = at("2026-12-01T10:00:00Z");
        w.actions[0].changed = true;
        store->save(w);
        tx.commit();
    }
    const auto after = store->load(id);
    REQUIRE(after);
    CHECK(after->state == State::analysed);
    REQUIRE(after->impact);
    CHECK(after->impact->contacts == 12000);
    CHECK(after->impact->cost_per_contact.hundredths() == 1000);
    CHECK(after->impact->satisfaction->hundredths() == 690);
    REQUIRE(after->actions.size() == 1);
    CHECK(after->actions[0].status == ActionStatus::done);
    CHECK(after->actions[0].cost.hundredths() == 3000000);
    CHECK(format_date(*after->actions[0].due) == "2027-01-15");
    CHECK(after->history.size() == 2);
    CHECK(store->find_by_external_id("CRM-1") == std::optional<SignalId>(id));
    CHECK_FALSE(store->find_by_external_id("CRM-2"));
}

void rollback_keeps_nothing(const std::string& db) {
    auto store = open_store(db, Access::write);
    {
        WriteTransaction tx(*store);
        Signal s = new_signal("Wordt teruggedraaid");
        store->insert(s);
    }
    CHECK(store->list(ListQuery{}).empty());
    CHECK(add(*store, new_signal("Blijft")) > 0);
    CHECK(store->list(ListQuery{}).size() == 1);
}

void list_filters_and_sorts(const std::string& db) {
    auto store = open_store(db, Access::write);
    Signal a = new_signal("zebra Café au lait", "koffie");
    a.fields = {{"channel", "phone"}};
    Signal b = new_signal("Appel", "de factuur van de koffie");
    b.fields = {{"channel", "email"}, {"region", "zuid"}};
    b.submitted_at = at("2026-11-25T08:00:00Z");
    b.state = State::accepted;
    b.step = 2;
    Signal c = new_signal("banaan", "");
    c.fields = {{"region", "zuid"}};
    add(*store, a);
    add(*store, b);
    add(*store, c);

    ListQuery by_title;
    by_title.sort = SortKey::title;
    // ASCII case is ignored, bytes decide the rest, as SQLite's NOCASE does.
    CHECK(ids_of(store->list(by_title)) == std::vector<SignalId>{2, 3, 1});
    by_title.order = SortOrder::descending;
    by_title.limit = 2;
    CHECK(ids_of(store->list(by_title)) == std::vector<SignalId>{1, 3});

    ListQuery state;
    state.states = {State::accepted};
    CHECK(ids_of(store->list(state)) == std::vector<SignalId>{2});
    CHECK(store->count(state) == 1);
    state.states.push_back(State::submitted);
    CHECK(store->count(state) == 3);
    CHECK(store->count(ListQuery{}) == 3);
    ListQuery field;
    field.fields = {{"region", "zuid"}};
    CHECK(ids_of(store->list(field)) == std::vector<SignalId>{2, 3});
    field.fields["channel"] = "email";
    CHECK(ids_of(store->list(field)) == std::vector<SignalId>{2});
    ListQuery since;
    since.since = at("2026-11-24T00:00:00Z");
    CHECK(ids_of(store->list(since)) == std::vector<SignalId>{2});

    // Search: every word, whatever its case and accents.
    ListQuery search;
    search.search = "CAFE";
    CHECK(ids_of(store->list(search)) == std::vector<SignalId>{1});
    search.search = "koffie";
    CHECK(ids_of(store->list(search)) == std::vector<SignalId>{1, 2});
    search.search = "koffie factuur";
    CHECK(ids_of(store->list(search)) == std::vector<SignalId>{2});
    search.search = "--";
    CHECK_THROWS_AS(store->list(search), InvalidInput);

    CHECK(store->custom_field_names() == std::vector<std::string>{"region"});
    std::vector<SignalId> visited;
    store->for_each_signal([&](const Signal& s) { visited.push_back(s.id); });
    CHECK(visited == std::vector<SignalId>{1, 2, 3});
    const auto rows = store->list(ListQuery{});
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].submitter_count == 1);
    CHECK(rows[1].fields.at("channel") == "email");
}

void similar_and_bulk(const std::string& db) {
    auto store = open_store(db, Access::write);
    add(*store, new_signal("De factuur is onduidelijk", "btw-regel staat los van het bedrag"));
    add(*store, new_signal("Bezorging te laat", "pakket kwam een week later"));
    const auto similar = store->find_similar("Factuur ONDUIDELIJK", "", 5);
    REQUIRE_FALSE(similar.empty());
    CHECK(similar[0].id == 1);
    CHECK(similar[0].similarity == doctest::Approx(1.0));
    CHECK(store->find_similar("niets gemeen", "", 5).empty());
    CHECK(similar[0].shared == std::vector<std::string>{"factuur", "onduidelijk"});
    // Stop words ("niet", "op", "te") make no resemblance, and a single shared word among many
    // stays under the threshold.
    CHECK(store->find_similar("Monteur komt niet op tijd te laat", "", 5).empty());

    WriteTransaction tx(*store);
    auto bulk = store->bulk_insert();
    Signal x = new_signal("Import een");
    x.external_id = "X-1";
    Signal again = new_signal("Import een, nogmaals");
    again.external_id = "X-1";
    CHECK(bulk->add(x));
    CHECK_FALSE(bulk->add(again));
    bulk->finish();
    tx.commit();
    CHECK(store->find_by_external_id("X-1") == std::optional<SignalId>(x.id));
    CHECK(store->list(ListQuery{}).size() == 3);
}

void reading_a_new_database(const std::string& db) {
    auto reader = open_store(db, Access::read);
    CHECK(reader->list(ListQuery{}).empty());
    CHECK_FALSE(reader->load(1));
    reader.reset();
    CHECK(initialise_database(db) == current_schema_version());
    CHECK(initialise_database(db) == current_schema_version());
}

// One signal with one queued mail, through two stores as two `close --send` runs would have.
void feedback_claimed_once(const std::string& db) {
    using namespace std::chrono_literals;
    auto first = open_store(db, Access::write);
    auto second = open_store(db, Access::write);
    const SignalId id = add(*first, new_signal("De factuur is onduidelijk"));
    {
        WriteTransaction tx(*first);
        Signal w = *first->load(id);
        w.feedback.push_back(Feedback{});
        w.feedback.back().recipient = "agent1@example.nl";
        w.feedback.back().outcome = Outcome::rejected;
        w.feedback.back().queued_at = at("2026-11-23T12:00:00Z");
        first->save(w);
        tx.commit();
    }
    const auto status = [&] { return first->load(id)->feedback.at(0).status; };
    const RowId mail = first->load(id)->feedback.at(0).id;
    const auto now = at("2026-11-24T09:00:00Z");
    FeedbackQueue& one = first->feedback_queue();
    FeedbackQueue& two = second->feedback_queue();
    REQUIRE(one.queued_feedback(0, 10).size() == 1);

    const auto claimed = one.claim_feedback(mail, "host/1/aa", now, "sileram.1.1.aa@example.org");
    REQUIRE(claimed.has_value());
    CHECK(*claimed == "sileram.1.1.aa@example.org");
    CHECK(status() == DeliveryStatus::sending);
    CHECK_FALSE(two.claim_feedback(mail, "host/2/bb", now, "sileram.1.1.bb@example.org"));
    CHECK(two.queued_feedback(0, 10).empty());
    const auto sending = two.claimed_feedback();
    REQUIRE(sending.size() == 1);
    CHECK(sending[0].signal_id == id);
    CHECK(sending[0].claim == "host/1/aa");
    CHECK(sending[0].claimed_at == now);

    // Only the holder records; a temporary failure queues it again with its Message-ID.
    CHECK_FALSE(two.mark_feedback_sent(mail, "host/2/bb", now, 1s));
    CHECK(status() == DeliveryStatus::sending);
    CHECK(one.mark_feedback_failed(mail, "host/1/aa", now, "450 busy", Failure::temporary, 1s));
    CHECK(status() == DeliveryStatus::queued);
    CHECK(two.claimed_feedback().empty());
    const auto again = two.claim_feedback(mail, "host/2/bb", now, "sileram.1.1.bb@example.org");
    REQUIRE(again.has_value());
    CHECK(*again == "sileram.1.1.aa@example.org");
    CHECK(two.mark_feedback_sent(mail, "host/2/bb", now, 1s));
    CHECK_FALSE(one.mark_feedback_failed(mail, "host/1/aa", now, "late", Failure::permanent, 1s));
    const Feedback done = first->load(id)->feedback.at(0);
    CHECK(done.status == DeliveryStatus::sent);
    CHECK(done.attempts == 2);
    CHECK(done.last_error.empty());
    CHECK(done.sent_at == std::optional<Timestamp>(now));
}

const Backend k_sqlite{"sqlite", fresh_sqlite};
const Backend k_postgres{"postgresql", fresh_postgres};

} // namespace

#define SILERAM_CONTRACT_CASE(title, body)                                                         \
    TEST_CASE("store contract: " title " [sqlite]") {                                              \
        body(k_sqlite.fresh());                                                                    \
    }                                                                                              \
    TEST_CASE("store contract: " title " [pg]") {                                                  \
        body(k_postgres.fresh());                                                                  \
    }

SILERAM_CONTRACT_CASE("insert, load, save, external id", round_trip)
SILERAM_CONTRACT_CASE("a rolled back transaction keeps nothing", rollback_keeps_nothing)
SILERAM_CONTRACT_CASE("list filters, sorts and searches alike", list_filters_and_sorts)
SILERAM_CONTRACT_CASE("similar signals and bulk insert", similar_and_bulk)
SILERAM_CONTRACT_CASE("reading a database that has no schema yet", reading_a_new_database)
SILERAM_CONTRACT_CASE("a queued mail is claimed by one run, recorded under its claim",
                      feedback_claimed_once)

TEST_CASE("postgresql: bad situations map to the documented exit codes [pg]") {
    const std::string db = k_postgres.fresh();
    const std::string port = std::getenv("PGPORT") != nullptr ? std::getenv("PGPORT") : "5432";
    const std::string user = std::getenv("PGUSER") != nullptr ? std::getenv("PGUSER") : "";
    // A closed port: temporary failure naming host and port.
    const std::string closed = "postgresql://" + user + "@127.0.0.1:1/x";
    try {
        open_store(closed, Access::write);
        FAIL("no error for an unreachable server");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::temporary_failure);
        CHECK(test_support::contains(e.what(), "127.0.0.1:1"));
    }
    // A wrong password in the URI: exit 2 naming the user, never the password.
    const std::string wrong = fmt::format("postgresql://{}:Geheim42xyz@127.0.0.1:{}{}", user, port,
                                          db.substr(std::string("postgresql://").size()));
    try {
        open_store(wrong, Access::write);
        FAIL("no error for a wrong password");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::invalid_input);
        CHECK(test_support::contains(e.what(), user));
        CHECK_FALSE(test_support::contains(e.what(), "Geheim42xyz"));
    }
    // A schema written by a newer sileram: refused (exit 1), nothing changed.
    CHECK(initialise_database(db) == current_schema_version());
    const std::string name = db.substr(std::string("postgresql:///").size());
    PGconn* c = PQconnectdb(("dbname=" + name).c_str());
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PQclear(PQexec(c, "UPDATE sileram.schema_version SET version = version + 1"));
    // sileram's own objects only: no table outside the schema sileram.
    PGresult* r = PQexec(c, "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                            "('sileram', 'pg_catalog', 'information_schema')");
    CHECK(std::string(PQgetvalue(r, 0, 0)) == "0");
    PQclear(r);
    PQfinish(c);
    try {
        open_store(db, Access::read);
        FAIL("no error for a newer schema");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::refused);
        CHECK(test_support::contains(e.what(), "newer"));
    }
}

namespace {

// Runs `sql` on the test database `db` (a postgresql:/// URI of fresh_postgres) over a connection
// of its own, which stays open, with its transaction, until it is finished.
PGconn* pg_session(const std::string& db, const char* sql) {
    const std::string name = db.substr(std::string("postgresql:///").size());
    PGconn* c = PQconnectdb(("dbname=" + name).c_str());
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PGresult* r = PQexec(c, sql);
    const ExecStatusType status = PQresultStatus(r);
    const std::string error = PQresultErrorMessage(r);
    PQclear(r);
    REQUIRE_MESSAGE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK), error);
    return c;
}

} // namespace

TEST_CASE("postgresql: recording a mail waits for a row lock as long as told, then leaves the "
          "claim [pg]") {
    using namespace std::chrono_literals;
    const std::string db = k_postgres.fresh();
    auto store = open_store(db, Access::write);
    const SignalId id = add(*store, new_signal("De factuur is onduidelijk"));
    {
        WriteTransaction tx(*store);
        Signal w = *store->load(id);
        w.feedback.push_back(Feedback{});
        w.feedback.back().recipient = "agent1@example.nl";
        w.feedback.back().queued_at = at("2026-11-23T12:00:00Z");
        store->save(w);
        tx.commit();
    }
    const RowId mail = store->load(id)->feedback.at(0).id;
    const auto now = at("2026-11-24T09:00:00Z");
    FeedbackQueue& queue = store->feedback_queue();
    REQUIRE(queue.claim_feedback(mail, "host/1/aa", now, "sileram.1.1.aa@example.org"));
    PGconn* holder = pg_session(
        db, fmt::format("BEGIN; SELECT id FROM sileram.feedback WHERE id = {} FOR UPDATE", mail)
                .c_str());
    const auto started = std::chrono::steady_clock::now();
    try {
        queue.mark_feedback_sent(mail, "host/1/aa", now, 1s);
        FAIL("no error while another connection holds the row");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::temporary_failure);
    }
    CHECK(std::chrono::steady_clock::now() - started >= 1s);
    PQfinish(holder);
    CHECK(store->load(id)->feedback.at(0).status == DeliveryStatus::sending);
    CHECK(queue.mark_feedback_sent(mail, "host/1/aa", now, 1s));
    CHECK(store->load(id)->feedback.at(0).status == DeliveryStatus::sent);
}

TEST_CASE("postgresql: a version 6 database gets the claim columns of version 7 [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == 7);
    {
        auto store = open_store(db, Access::write);
        add(*store, new_signal("De factuur is onduidelijk"));
    }
    // Back to the feedback table of version 6, with a queued mail in it.
    PQfinish(pg_session(
        db, "SET search_path = sileram; "
            "INSERT INTO feedback (signal_id, recipient, outcome, status, queued_at) "
            "VALUES (1, 'a@example.nl', 'rejected', 'queued', '2026-11-23T12:00:00Z'); "
            "DROP INDEX feedback_sending; "
            "ALTER TABLE feedback DROP COLUMN claimed_at, DROP COLUMN claim, "
            "DROP CONSTRAINT feedback_status_check, ADD CONSTRAINT feedback_status_check "
            "CHECK (status IN ('queued', 'sent', 'failed')); "
            "UPDATE schema_version SET version = 6"));
    CHECK(initialise_database(db) == current_schema_version());
    auto store = open_store(db, Access::write);
    FeedbackQueue& queue = store->feedback_queue();
    REQUIRE(queue.queued_feedback(0, 10).size() == 1);
    CHECK(queue.claim_feedback(1, "host/1/aa", at("2026-11-24T09:00:00Z"), "m@example.org"));
    CHECK(store->load(1)->feedback.at(0).status == DeliveryStatus::sending);
}
