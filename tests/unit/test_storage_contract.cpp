// The storage contract: the same cases against the SQLite file and PostgreSQL. The PostgreSQL
// half ("[pg]") runs in the CTest test unit-pg, inside the throwaway cluster of tests/pg/cluster.py
// (SILERAM_TEST_DB=postgresql and PG* set); there a missing server fails the test, never skips it.

#include "sileram/domain/steps.hpp"
#include "sileram/errors.hpp"
#include "sileram/storage/store.hpp"
#include "support.hpp"
// The set-based fill of the derived tables, run directly (there is no command for it alone).
#include "../../src/storage/postgres/bulk_insert.hpp"
#include "../../src/storage/postgres/derived_fill.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <functional>
#include <libpq-fe.h>
#include <map>
#include <set>
#include <sqlite3.h>
#include <stdexcept>
#include <unistd.h>

namespace {

using namespace sileram;
using namespace sileram::domain;
using namespace test_support;
using namespace sileram::storage;
using test_support::at;
using test_support::date;
using test_support::dec;

// Runs one statement on the cluster's maintenance database `postgres`; returns the first cell.
std::string pg_admin(const std::string& sql) {
    PGconn* c = PQconnectdb("dbname=postgres");
    REQUIRE_MESSAGE(PQstatus(c) == CONNECTION_OK, "no PostgreSQL test server: ", PQerrorMessage(c));
    PGresult* r = PQexec(c, sql.c_str());
    const ExecStatusType status = PQresultStatus(r);
    std::string cell = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
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
    ids.reserve(rows.size());
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
    state.step = 1;
    CHECK(store->count(state) == 2);
    state.step = 2;
    CHECK(store->count(state) == 1);
    state.step.reset();
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

// A first import into an empty database (SQLite builds the unique index on external_id after
// the rows, and finds ids that come twice meanwhile itself): an id seen earlier in the import is
// skipped, rows without one are all kept, and afterwards the index refuses a known id.
void first_bulk_insert_skips_repeated_ids(const std::string& db) {
    const auto store = open_store(db, Access::write);
    // The id each row got, 0 for a row skipped.
    const auto import = [&](const std::vector<std::optional<std::string>>& ids) {
        WriteTransaction tx(*store);
        auto bulk = store->bulk_insert();
        std::vector<SignalId> added;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            Signal s = new_signal(fmt::format("Import {}", i));
            s.external_id = ids[i];
            added.push_back(bulk->add(s) ? s.id : 0);
        }
        bulk->finish();
        tx.commit();
        return added;
    };
    const std::vector<SignalId> first =
        import({"A-1", "A-2", "A-1", std::nullopt, std::nullopt, "A-2", "a-1"});
    REQUIRE(first.size() == 7);
    CHECK((first[0] != 0 && first[1] != 0 && first[3] != 0 && first[4] != 0 && first[6] != 0));
    CHECK((first[2] == 0 && first[5] == 0));
    CHECK(store->find_by_external_id("A-1") == std::optional<SignalId>(first[0]));
    CHECK(store->find_by_external_id("a-1") == std::optional<SignalId>(first[6]));
    CHECK(store->list(ListQuery{}).size() == 5);
    const std::vector<SignalId> second = import({"A-2", "B-1", "B-1"});
    CHECK((second[0] == 0 && second[1] != 0 && second[2] == 0));
    CHECK(store->list(ListQuery{}).size() == 6);
    Signal known = new_signal("Known id");
    known.external_id = "B-1";
    WriteTransaction tx(*store);
    CHECK_THROWS(store->insert(known));
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

// Schema version 8: a signal waiting for an answer, its mails (a question by number with its
// text, an acknowledgement with the day to hear by) and the approved business case.
void waiting_customer_round_trip(const std::string& db) {
    auto store = open_store(db, Access::write);
    const SignalId id = add(*store, new_signal("De factuur is onduidelijk"));
    {
        WriteTransaction tx(*store);
        Signal w = *store->load(id);
        w.state = State::needs_info;
        w.step = 2;
        for (int question : {1, 2}) {
            w.feedback.push_back(Feedback{});
            w.feedback.back().recipient = "agent1@example.nl";
            w.feedback.back().outcome = Outcome::needs_info;
            w.feedback.back().question = question;
            w.feedback.back().detail = question == 1 ? "Welke factuur?" : "Welke pagina?";
            w.feedback.back().queued_at = at("2026-11-24T09:00:00Z");
        }
        w.feedback.push_back(Feedback{});
        w.feedback.back().recipient = "agent2@example.nl";
        w.feedback.back().outcome = Outcome::acknowledged;
        w.feedback.back().detail = "2026-11-28";
        w.feedback.back().queued_at = at("2026-11-24T09:00:00Z");
        w.approved_case = ApprovedCase{test_support::dec("40"), test_support::dec("-0.5"),
                                       test_support::dec("576000"), test_support::dec("32000"),
                                       at("2026-11-25T10:00:00Z")};
        store->save(w);
        tx.commit();
    }
    const Signal loaded = *store->load(id);
    CHECK(loaded.state == State::needs_info);
    CHECK(loaded.step == 2);
    REQUIRE(loaded.feedback.size() == 3);
    CHECK(loaded.feedback[0].outcome == Outcome::needs_info);
    CHECK(loaded.feedback[0].question == 1);
    CHECK(loaded.feedback[0].detail == "Welke factuur?");
    CHECK(loaded.feedback[1].question == 2);
    CHECK_FALSE(loaded.feedback[1].stage.has_value());
    CHECK(loaded.feedback[2].outcome == Outcome::acknowledged);
    CHECK(loaded.feedback[2].detail == "2026-11-28");
    const auto queued = store->feedback_queue().queued_feedback(0, 10);
    REQUIRE(queued.size() == 3);
    CHECK(queued[1].signal_id == id);
    CHECK(queued[1].feedback.detail == "Welke pagina?");
    REQUIRE(loaded.approved_case.has_value());
    CHECK(loaded.approved_case->expected_reduction == test_support::dec("40"));
    CHECK(loaded.approved_case->expected_satisfaction == test_support::dec("-0.5"));
    CHECK(loaded.approved_case->expected_savings_per_year == test_support::dec("576000"));
    CHECK(loaded.approved_case->cost == test_support::dec("32000"));
    CHECK(loaded.approved_case->at == at("2026-11-25T10:00:00Z"));
    ListQuery waiting;
    waiting.states = {State::needs_info};
    CHECK(store->list(waiting).size() == 1);

    // An import with acknowledgements keeps them with their signals.
    {
        WriteTransaction tx(*store);
        auto bulk = store->bulk_insert();
        Signal s = new_signal("Bezorging te laat");
        s.feedback.push_back(Feedback{});
        s.feedback.back().recipient = "agent1@example.nl";
        s.feedback.back().outcome = Outcome::acknowledged;
        s.feedback.back().queued_at = s.submitted_at;
        REQUIRE(bulk->add(s));
        bulk->finish();
        tx.commit();
        const Signal imported = *store->load(s.id);
        REQUIRE(imported.feedback.size() == 1);
        CHECK(imported.feedback[0].outcome == Outcome::acknowledged);
        CHECK(imported.feedback[0].detail.empty());
    }
}

// ---- reports: the same figures, rows and order on both databases ---------------------------

using ChangeSignal = std::function<void(Signal&, const Stamp&)>;

// Loads signal `id`, changes it as a command would at `when` and saves it in its own write.
void change(Store& store, SignalId id, const std::string& when, const ChangeSignal& how) {
    WriteTransaction tx(store);
    Signal s = *store.load(id);
    how(s, Stamp{"lead@example.nl", at(when)});
    store.save(s);
    tx.commit();
}

SignalId submit_for_reports(Store& store, const std::string& title, const std::string& by,
                            const std::string& when, std::map<std::string, std::string> fields) {
    NewSignal input;
    input.title = title;
    input.submitted_by = by;
    input.fields = std::move(fields);
    Signal s = new_signal(std::move(input), Stamp{by, at(when)});
    return add(store, s);
}

// Moves signal `id` from submitted along the main path until `to`, a day or more apart.
void walk_to(Store& store, SignalId id, State to, std::int64_t contacts, int impact) {
    const ImpactSettings settings;
    const auto reached = [&] { return store.load(id)->state; };
    const std::vector<std::pair<std::string, ChangeSignal>> path = {
        {"2026-09-02T10:00:00Z", [](Signal& s, const Stamp& st) { accept(s, st); }},
        {"2026-09-04T11:30:00Z",
         [&](Signal& s, const Stamp& st) {
             analyse(s, ImpactInput{contacts, impact, dec("2.50"), dec("6.5")}, settings, st);
         }},
        {"2026-09-07T08:00:00Z",
         [](Signal& s, const Stamp& st) { prioritise(s, Verdict::go, "big", std::nullopt, st); }},
        {"2026-09-11T09:00:00Z",
         [](Signal& s, const Stamp& st) {
             RootCause cause;
             cause.cause = "the form";
             cause.stamp = st;
             record_root_cause(s, cause, st);
         }},
        {"2026-09-12T09:00:00Z",
         [](Signal& s, const Stamp& st) {
             plan_action(s, NewAction{"fix the form", "web", date("2026-10-01"), dec("1500"), {}},
                         st);
             set_expectation(s, dec("40"), std::nullopt, ImpactSettings{}, st);
         }},
        {"2026-09-15T16:00:00Z",
         [&](Signal& s, const Stamp& st) { decide_go(s, Verdict::go, "", settings, st); }},
        {"2026-09-20T16:00:00Z", [](Signal& s, const Stamp& st) { finish_action(s, 1, st); }},
        {"2026-10-20T12:00:00Z",
         [&](Signal& s, const Stamp& st) {
             measure(s, contacts / 2, dec("7.25"), "", settings, st);
         }},
        {"2026-10-28T12:00:00Z",
         [](Signal& s, const Stamp& st) { close(s, std::string("done"), st); }},
    };
    for (const auto& [when, how] : path) {
        if (reached() == to) {
            return;
        }
        change(store, id, when, how);
    }
    REQUIRE(reached() == to);
}

// The same signals in every state a report looks at, customers in several spellings.
void fill_for_reports(Store& store) {
    using F = std::map<std::string, std::string>;
    const SignalId closed =
        submit_for_reports(store, "Factuur onduidelijk", "Agent1@example.nl",
                           "2026-09-01T09:00:00Z", {{"channel", "phone"}, {"customer", "Acme BV"}});
    walk_to(store, closed, State::closed, 1200, 4);
    const SignalId measured =
        submit_for_reports(store, "Pakket beschadigd", "agent2@example.nl", "2026-09-01T10:00:00Z",
                           {{"channel", "email"}, {"customer", "acme bv"}, {"region", "noord"}});
    walk_to(store, measured, State::measured, 900, 3);
    const SignalId approved =
        submit_for_reports(store, "Opzeggen lukt niet", "agent1@example.nl", "2026-09-01T11:00:00Z",
                           {{"channel", "chat"}, {"customer", "Café Ïda"}, {"region", "zuid"}});
    walk_to(store, approved, State::approved, 7000, 5);
    const SignalId analysed =
        submit_for_reports(store, "Wachtwoord vergeten", "agent3@example.nl",
                           "2026-09-01T12:00:00Z", {{"channel", "phone"}, {"region", "noord"}});
    walk_to(store, analysed, State::analysed, 300, 2);
    const SignalId planned =
        submit_for_reports(store, "App crasht", "AGENT3@example.nl", "2026-09-03T12:00:00Z",
                           {{"channel", "phone"}, {"customer", "Beta NV "}});
    walk_to(store, planned, State::planned, 2500, 4);
    const SignalId rejected =
        submit_for_reports(store, "Geen signaal", "agent4@example.nl", "2026-10-02T08:00:00Z", F{});
    change(store, rejected, "2026-10-03T08:00:00Z",
           [](Signal& s, const Stamp& st) { reject(s, "no signal", st); });
    const SignalId fresh = submit_for_reports(store, "Nieuw", "agent5@example.nl",
                                              "2026-11-20T08:00:00Z", {{"channel", "email"}});
    change(store, fresh, "2026-11-21T08:00:00Z",
           [](Signal& s, const Stamp& st) { join(s, "late@example.nl", "", st); });
    {
        WriteTransaction tx(store);
        store.reports().set_customer(Customer{"ACME BV", dec("1000000"), "smb"},
                                     at("2026-09-01T00:00:00Z"));
        store.reports().set_customer(Customer{"beta nv", dec("9000000"), "enterprise"},
                                     at("2026-09-01T00:00:00Z"));
        tx.commit();
    }
}

// The cuts of `report overdue` as of 2026-11-25 (UTC days): a first response due within 4 days,
// 30 days in analysed, and parked signals whose --until lies before the day.
LateCuts contract_late_cuts() {
    LateCuts cuts;
    cuts.first_response_before = at("2026-11-21T00:00:00Z");
    cuts.entered_before = {{State::analysed, at("2026-10-26T00:00:00Z")},
                           {State::needs_info, at("2026-11-20T00:00:00Z")}};
    cuts.review_before = date("2026-11-25");
    return cuts;
}

// Late and waiting signals on one store: `list --late` and the overdue sections find the same,
// with the facts of domain::lateness.
void late_and_waiting(const std::string& db) {
    auto store = open_store(db, Access::write);
    using F = std::map<std::string, std::string>;
    const SignalId silent = submit_for_reports(*store, "Nooit beantwoord", "agent1@example.nl",
                                               "2026-11-10T09:00:00Z", {{"channel", "phone"}});
    const SignalId asked =
        submit_for_reports(*store, "Vraag uit", "agent2@example.nl", "2026-11-10T10:00:00Z", F{});
    change(*store, asked, "2026-11-11T08:00:00Z",
           [](Signal& s, const Stamp& st) { join(s, "Agent9@example.nl", "", st); });
    change(*store, asked, "2026-11-12T08:00:00Z",
           [](Signal& s, const Stamp& st) { ask_for_info(s, "Welk factuurnummer?", st); });
    const SignalId answered =
        submit_for_reports(*store, "Beantwoord", "agent3@example.nl", "2026-11-10T11:00:00Z", F{});
    change(*store, answered, "2026-11-11T08:00:00Z",
           [](Signal& s, const Stamp& st) { ask_for_info(s, "Wanneer?", st); });
    change(*store, answered, "2026-11-12T08:00:00Z",
           [](Signal& s, const Stamp& st) { answer(s, "Gisteren", "agent3@example.nl", st); });
    const SignalId parked =
        submit_for_reports(*store, "Geparkeerd", "agent4@example.nl", "2026-09-01T09:00:00Z", F{});
    walk_to(*store, parked, State::analysed, 100, 1);
    change(*store, parked, "2026-10-01T08:00:00Z", [](Signal& s, const Stamp& st) {
        prioritise(s, Verdict::park, "later", date("2026-11-20"), st);
    });
    const SignalId analysed = submit_for_reports(*store, "Lang in analyse", "agent5@example.nl",
                                                 "2026-09-01T10:00:00Z", {{"channel", "phone"}});
    walk_to(*store, analysed, State::analysed, 200, 2);

    const OverdueData overdue =
        store->reports().overdue(ReportFilter{}, date("2026-11-25"), at("2026-11-11T00:00:00Z"),
                                 at("2026-10-26T00:00:00Z"), contract_late_cuts());
    CHECK(overdue.waiting_total == 1);
    REQUIRE(overdue.waiting.size() == 1);
    CHECK(overdue.waiting[0].id == asked);
    CHECK(overdue.waiting[0].asked_at == at("2026-11-12T08:00:00Z"));
    CHECK(overdue.waiting[0].asked == "agent2@example.nl, Agent9@example.nl");
    CHECK(overdue.waiting[0].question == "Welk factuurnummer?");
    CHECK(overdue.late_total == 4);
    REQUIRE(overdue.late.size() == 4);
    // Oldest submitted first: the parked one, the one long in analysis, the unanswered one and
    // the one whose question waits past the cut of needs-info.
    CHECK(overdue.late[0].id == parked);
    CHECK(overdue.late[0].facts.parked_until == std::optional<Date>(date("2026-11-20")));
    CHECK(overdue.late[1].id == analysed);
    CHECK(overdue.late[1].facts.state == State::analysed);
    CHECK(overdue.late[1].facts.entered_at < at("2026-10-26T00:00:00Z"));
    CHECK(overdue.late[2].id == silent);
    CHECK_FALSE(overdue.late[2].facts.responded);
    CHECK(overdue.late[3].id == asked);
    CHECK(overdue.late[3].facts.entered_at == at("2026-11-12T08:00:00Z"));
    CHECK(overdue.late[3].facts.responded);

    ReportFilter phone;
    phone.fields = {{"channel", "phone"}};
    CHECK(store->reports()
              .overdue(phone, date("2026-11-25"), at("2026-11-11T00:00:00Z"),
                       at("2026-10-26T00:00:00Z"), contract_late_cuts())
              .late_total == 2);

    ListQuery q;
    q.late = contract_late_cuts();
    const auto rows = store->list(q);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].id == silent);
    REQUIRE(rows[0].late_facts);
    CHECK(rows[0].late_facts->submitted_at == at("2026-11-10T09:00:00Z"));
    CHECK(rows[1].id == asked);
    CHECK(rows[2].id == parked);
    CHECK(rows[3].id == analysed);
    CHECK(store->count(q) == 4);
    q.fields = {{"channel", "phone"}};
    CHECK(store->count(q) == 2);
    // The answered signal is late only once it stays too long in submitted again.
    q.fields.clear();
    q.late->entered_before.push_back({State::submitted, at("2026-11-13T00:00:00Z")});
    CHECK(store->count(q) == 5);
    q.late->entered_before.back().second = at("2026-11-12T08:00:00Z");
    CHECK(store->count(q) == 4);
}

std::string sums_text(const ImpactSums& s) {
    return fmt::format("{}/{}/{}/{}", s.signals, s.contacts, s.score, s.cost_cents);
}

std::string decimal_text(const std::optional<Decimal>& d) {
    return d ? std::to_string(d->hundredths()) : std::string("-");
}

// Every value of every report on `store`, one line each, for a comparison that names the
// line that differs.
std::vector<std::string> all_reports(Store& store, const ReportFilter& filter) {
    ReportQueries& q = store.reports();
    std::vector<std::string> out;
    const auto line = [&](std::string text) { out.push_back(std::move(text)); };
    for (const std::string by : {"", "customer", "channel", "region"}) {
        const ImpactData impact = q.impact(filter, by, ReportSettings{});
        for (const auto& r : impact.ranked) {
            line(fmt::format("impact ranked {} {} {} {} {} {} {}", r.id, r.title,
                             to_string(r.state), r.impact.contacts, r.impact.satisfaction_impact,
                             r.impact.cost_per_contact.hundredths(),
                             decimal_text(r.impact.satisfaction)));
        }
        for (const auto& g : impact.groups) {
            line(fmt::format("impact by {} '{}' {}", by, g.value, sums_text(g.sums)));
        }
        for (const auto& qd : impact.quadrants) {
            line(fmt::format("impact quadrant {} {} {}", qd.many_contacts,
                             qd.high_satisfaction_impact, sums_text(qd.sums)));
        }
    }
    // Targets that split the stays: a day for step 1, two for step 3, none for step 2.
    const FunnelData funnel =
        q.funnel(filter, at("2026-08-01T00:00:00Z"), {{1, 1}, {3, 2}, {9, 30}});
    for (const auto& s : funnel.states) {
        line(fmt::format("funnel state {} {} {}", to_string(s.state), s.step, s.signals));
    }
    for (const auto& s : funnel.stays) {
        line(fmt::format("funnel step {} done {} middle {}/{} longest {} waiting {} oldest {} {} "
                         "within {}",
                         s.step, s.completed, s.middle_lower_seconds, s.middle_upper_seconds,
                         s.longest_seconds, s.waiting,
                         s.oldest_entered ? format_timestamp(*s.oldest_entered) : "-",
                         s.oldest_signal.value_or(0), s.within_target));
    }
    for (const auto& m : funnel.months) {
        line(fmt::format("funnel month {} {} {}", m.month, m.entered, m.left));
    }
    const EffectData effect = q.effect(filter, ImpactSettings{});
    const EffectSums& e = effect.sums;
    line(fmt::format("effect sums {} {} {} {} {} {} {} {} {}", e.signals, e.contacts_saved,
                     e.saved_per_period_cents, e.expected_per_year_split,
                     e.expected_per_year_rest_cents, e.saved_per_period_expected_cents,
                     e.cost_cents, e.satisfaction_delta_hundredths, e.satisfaction_measured));
    for (const auto& l : effect.lines) {
        line(fmt::format("effect line {} {} {} {} {} {} {} {} {} {} {}", l.id, l.title,
                         to_string(l.state), l.baseline.contacts, l.last.contacts,
                         decimal_text(l.last.satisfaction), l.last.stamp.by,
                         format_timestamp(l.last.stamp.at), decimal_text(l.expected_reduction),
                         l.action_cost.hundredths(), decimal_text(l.approved_per_year)));
    }
    line(fmt::format("effect approved {} {} {} {}", e.approved_signals, e.approved_per_year_split,
                     e.approved_per_year_rest_cents, e.saved_per_period_approved_cents));
    const auto response_line = [&](const std::string& label, const ResponseCount& c) {
        line(fmt::format("response '{}' {} {} {} {} {} {}", label, c.signals, c.waiting, c.judged,
                         c.within, c.median_days ? fmt::format("{:.6f}", *c.median_days) : "-",
                         c.p90_days ? fmt::format("{:.6f}", *c.p90_days) : "-"));
    };
    const ResponseCounts responses = q.response(filter, 2, at("2026-11-20T00:00:00Z"));
    for (const auto& [month, c] : responses.months) {
        response_line(month, c);
    }
    for (const auto& [channel, c] : responses.channels) {
        response_line(channel, c);
    }
    response_line("total", responses.total);
    const FieldsData fields = q.fields(filter, {"channel", "customer", "region"});
    line(fmt::format("fields signals {}", fields.signals));
    for (const auto& f : fields.fields) {
        line(fmt::format("fields {} distinct {}", f.field, f.distinct));
        for (const auto& v : f.values) {
            line(fmt::format("fields {} '{}' {}", f.field, v.value, sums_text(v.sums)));
        }
    }
    const CustomersData customers = q.customers(filter, at("2026-09-02T00:00:00Z"), 5000);
    line(fmt::format("customers revenue {}", customers.revenue_total.hundredths()));
    for (const auto& c : customers.customers) {
        line(fmt::format("customer '{}' {} {} {} {} {} {} '{}'", c.name, c.signals, c.contacts,
                         c.score, c.recent_signals, c.recent_high_impact, decimal_text(c.revenue),
                         c.segment));
    }
    const OverdueData overdue = q.overdue(filter, date("2026-11-25"), at("2026-11-11T00:00:00Z"),
                                          at("2026-10-26T00:00:00Z"), contract_late_cuts());
    line(fmt::format("overdue totals {} {} {}", overdue.actions_total, overdue.stale_total,
                     overdue.silent_total));
    for (const auto& a : overdue.actions) {
        line(fmt::format("overdue action {} {} {} {} {} {} {} {}", a.signal, a.signal_title,
                         a.number, a.title, a.owner, format_date(a.due), to_string(a.status),
                         a.progress));
    }
    for (const auto& s : overdue.stale) {
        line(fmt::format("stale {} {} {} {}", s.id, s.title, to_string(s.state),
                         format_timestamp(s.updated_at)));
    }
    for (const auto& s : overdue.silent) {
        line(fmt::format("silent {} {} {} {}", s.email, s.signals,
                         format_timestamp(s.waiting_since), s.oldest_signal));
    }
    line(fmt::format("waiting {} late {}", overdue.waiting_total, overdue.late_total));
    for (const auto& w : overdue.waiting) {
        line(fmt::format("waiting {} {} {} '{}' '{}'", w.id, w.title, format_timestamp(w.asked_at),
                         w.asked, w.question));
    }
    for (const auto& l : overdue.late) {
        line(fmt::format("late {} {} {} {} {} {} {}", l.id, l.title, to_string(l.facts.state),
                         format_timestamp(l.facts.submitted_at),
                         format_timestamp(l.facts.entered_at), l.facts.responded,
                         l.facts.parked_until ? format_date(*l.facts.parked_until) : "-"));
    }
    return out;
}

// The filters the reports are compared under: none (SQLite's tallies), fields, a window, a
// custom field, and a limit.
std::vector<ReportFilter> report_filters() {
    std::vector<ReportFilter> filters(6);
    filters[1].fields = {{"channel", "phone"}};
    filters[2].since = at("2026-09-01T10:30:00Z");
    filters[2].until = at("2026-11-01T00:00:00Z");
    filters[3].fields = {{"region", "noord"}};
    filters[4].fields = {{"customer", "acme bv"}};
    filters[5].limit = 1;
    return filters;
}

// The reports on one store: known figures, and each filter narrows as documented.
void reports_known_figures(const std::string& db) {
    auto store = open_store(db, Access::write);
    fill_for_reports(*store);
    ReportQueries& q = store->reports();
    const FieldsData fields = q.fields(ReportFilter{}, {"customer"});
    CHECK(fields.signals == 7);
    REQUIRE(fields.fields.size() == 1);
    // Acme in two spellings is one customer; the two signals without one are the value ''.
    REQUIRE(fields.fields[0].values.size() == 4);
    CHECK(fields.fields[0].values[0].value == "");
    CHECK(fields.fields[0].values[0].sums.signals == 3);
    CHECK(fields.fields[0].values[1].value == "Acme BV");
    CHECK(fields.fields[0].values[1].sums.signals == 2);

    const OverdueData overdue =
        q.overdue(ReportFilter{}, date("2026-11-25"), at("2026-11-11T00:00:00Z"),
                  at("2026-10-26T00:00:00Z"), contract_late_cuts());
    CHECK(overdue.actions_total == 1);
    REQUIRE(overdue.silent.size() == 4);
    // agent3 in two spellings: one address, first spelling bytewise, its oldest signal; the
    // rejected signal is not closed yet, so agent4 still waits.
    CHECK(overdue.silent[0].email == "agent2@example.nl");
    CHECK(overdue.silent[1].email == "agent1@example.nl");
    CHECK(overdue.silent[2].email == "AGENT3@example.nl");
    CHECK(overdue.silent[2].signals == 2);
    CHECK(overdue.silent[3].email == "agent4@example.nl");
    CHECK(overdue.silent[2].oldest_signal == 4);

    const FunnelData funnel = q.funnel(ReportFilter{}, at("2026-08-01T00:00:00Z"), {{1, 1}});
    REQUIRE_FALSE(funnel.stays.empty());
    CHECK(funnel.stays[0].step == 1);
    CHECK(funnel.stays[0].completed == 6);
    CHECK(funnel.stays[0].waiting == 1);
    // Within a day (the bound included): all but the signal accepted 25 hours after it was
    // submitted; the rejected one took 24 hours exactly, and walk_to accepts the signal
    // submitted on 3 September before its submission.
    CHECK(funnel.stays[0].within_target == 5);
    CHECK(funnel.stays[1].within_target == 0); // no target for step 2
    const CustomersData customers = q.customers(ReportFilter{}, at("2026-09-02T00:00:00Z"), 5000);
    REQUIRE(customers.customers.size() == 3);
    CHECK(customers.customers[0].name == "ACME BV");
    CHECK(customers.customers[0].revenue == std::optional<Decimal>(dec("1000000")));
    CHECK(customers.customers[1].name == "beta nv");
    CHECK(customers.customers[2].name == "Café Ïda");
    const EffectData effect = q.effect(ReportFilter{}, ImpactSettings{});
    CHECK(effect.sums.signals == 2);
    CHECK(effect.sums.contacts_saved == 600 + 450);
    // Both were approved at 40 % of their cost per year: 14,400 and 10,800; they save 600 and
    // 450 contacts a month at 2.50.
    CHECK(effect.sums.approved_signals == 2);
    CHECK(effect.sums.approved_per_year_split == 2'520);
    CHECK(effect.sums.approved_per_year_rest_cents == 0);
    CHECK(effect.sums.saved_per_period_approved_cents == 262'500);
    REQUIRE(effect.lines.size() == 2);
    CHECK(effect.lines[0].approved_per_year == std::optional<Decimal>(dec("14400")));
}

// The first response of each signal is the first verdict or question in its history: a question
// answered and then accepted counts from the question, a duplicate from its marking, a signal
// only merged into (a history row of its own, no verdict) still waits.
void response_from_the_history(const std::string& db) {
    auto store = open_store(db, Access::write);
    const SignalId asked = submit_for_reports(*store, "Factuur onduidelijk", "a@example.nl",
                                              "2026-10-01T09:00:00Z", {{"channel", "phone"}});
    change(*store, asked, "2026-10-02T09:00:00Z",
           [](Signal& s, const Stamp& st) { ask_for_info(s, "Welke factuur?", st); });
    change(*store, asked, "2026-10-03T09:00:00Z",
           [](Signal& s, const Stamp& st) { answer(s, "Nummer 42", "a@example.nl", st); });
    change(*store, asked, "2026-10-05T09:00:00Z",
           [](Signal& s, const Stamp& st) { accept(s, st); });
    const SignalId rejected = submit_for_reports(*store, "Geen signaal", "b@example.nl",
                                                 "2026-10-01T10:00:00Z", {{"channel", "email"}});
    change(*store, rejected, "2026-10-04T10:00:00Z",
           [](Signal& s, const Stamp& st) { reject(s, "geen klantsignaal", st); });
    const SignalId original = submit_for_reports(*store, "Pakket te laat", "c@example.nl",
                                                 "2026-11-01T07:00:00Z", {{"channel", "email"}});
    const SignalId copy = submit_for_reports(*store, "Pakket kwam te laat", "d@example.nl",
                                             "2026-11-01T08:00:00Z", {});
    {
        WriteTransaction tx(*store);
        Signal s = *store->load(copy);
        Signal o = *store->load(original);
        mark_duplicate(s, o, Stamp{"lead@example.nl", at("2026-11-02T08:00:00Z")});
        store->save(s);
        store->save(o);
        tx.commit();
    }
    ReportQueries& q = store->reports();
    // Target 3 days, as of 3 days after 2026-11-01T07:30: the signal waiting since 07:00 that
    // day waited past it; the rejection took exactly 3 days, within it.
    const Timestamp now = at("2026-11-04T07:30:00Z");
    const ResponseCounts all = q.response(ReportFilter{}, 3, now);
    REQUIRE(all.months.size() == 2);
    const ResponseCount& october = all.months.at("2026-10");
    CHECK(october.signals == 2);
    CHECK(october.waiting == 0);
    CHECK(october.judged == 2);
    CHECK(october.within == 2);
    CHECK(october.median_days == std::optional<double>(2.0));
    CHECK(*october.p90_days == doctest::Approx(2.8));
    const ResponseCount& november = all.months.at("2026-11");
    CHECK(november.signals == 2);
    CHECK(november.waiting == 1);
    CHECK(november.judged == 2);
    CHECK(november.median_days == std::optional<double>(1.0));
    REQUIRE(all.channels.size() == 3);
    CHECK(all.channels.at("phone").signals == 1);
    CHECK(all.channels.at("email").signals == 2);
    CHECK(all.channels.at("email").waiting == 1);
    CHECK(all.channels.at("").median_days == std::optional<double>(1.0));
    CHECK(all.total.signals == 4);
    CHECK(all.total.judged == 4);
    CHECK(all.total.within == 3);
    CHECK(all.total.median_days == std::optional<double>(1.0));
    CHECK(*all.total.p90_days == doctest::Approx(2.6));
    // A minute earlier the waiting signal is not yet judged.
    CHECK(q.response(ReportFilter{}, 3, now - std::chrono::hours(1)).total.judged == 3);
    // The same counts through the signals themselves, as any filter reads them.
    ReportFilter since_ever;
    since_ever.since = at("2000-01-01T00:00:00Z");
    for (const std::optional<int> target : {std::optional<int>(3), std::optional<int>(),
                                            std::optional<int>(0), std::optional<int>(400)}) {
        CAPTURE(target.value_or(-1));
        CHECK(q.response(since_ever, target, now) == q.response(ReportFilter{}, target, now));
    }
    ReportFilter email;
    email.fields = {{"channel", "email"}};
    CHECK(q.response(email, 3, now).total.signals == 2);
    ReportFilter from_november;
    from_november.since = at("2026-11-01T00:00:00Z");
    from_november.limit = 1; // the durations of every signal, not the listed rows
    CHECK(q.response(from_november, 3, now).total.signals == 2);
}

// A signal submitted at `when` that submit recorded as a recurrence of `closed`.
SignalId submit_recurrence(Store& store, const std::string& title, const std::string& when,
                           SignalId closed) {
    NewSignal input;
    input.title = title;
    input.submitted_by = "agent9@example.nl";
    input.fields = {{"process", "delivery"}};
    Signal s = new_signal(std::move(input), Stamp{"agent9@example.nl", at(when)});
    s.recurrence_of.push_back(PossibleRecurrence{closed, "", 0.75});
    return add(store, s);
}

// Only a root cause that was found, measured and closed can recur: the duplicate guard offers
// no other closed signal, and the report and `list --recurring` leave out recurrences of any
// other (recorded before the rule) and signals that came before the closing.
void recurrence_found_and_reported(const std::string& db) {
    auto store = open_store(db, Access::write);
    const SignalId measured =
        submit_for_reports(*store, "Factuur btw-regel onduidelijk", "agent1@example.nl",
                           "2026-09-01T09:00:00Z", {{"process", "billing"}});
    walk_to(*store, measured, State::closed, 1200, 4);
    const SignalId rejected =
        submit_for_reports(*store, "Factuur btw-regel onduidelijk", "agent2@example.nl",
                           "2026-09-01T10:00:00Z", {{"process", "billing"}});
    change(*store, rejected, "2026-09-02T08:00:00Z",
           [](Signal& s, const Stamp& st) { reject(s, "no signal", st); });
    change(*store, rejected, "2026-09-03T08:00:00Z",
           [](Signal& s, const Stamp& st) { close(s, std::nullopt, st); });
    REQUIRE(store->load(rejected)->state == State::closed);

    std::vector<SignalId> closed_alike;
    for (const SimilarSignal& s : store->find_similar("Btw-regel op factuur onduidelijk", "", 5)) {
        closed_alike.push_back(s.id);
        CHECK(s.state == State::closed);
    }
    CHECK(closed_alike == std::vector<SignalId>{measured});

    const SignalId before = submit_recurrence(*store, "Btw-regel factuur", "2026-10-01T09:00:00Z",
                                              measured); // closed on 2026-10-28
    const SignalId after = submit_recurrence(*store, "Btw-regel op factuur onduidelijk",
                                             "2026-11-30T23:30:00Z", measured);
    submit_recurrence(*store, "Factuur btw-regel", "2026-11-30T09:00:00Z", rejected);
    CHECK(before < after);

    const RecurrenceData data = store->reports().recurrence(ReportFilter{});
    REQUIRE(data.pairs.size() == 1);
    const RecurrenceInput& pair = data.pairs[0];
    CHECK(pair.closed == measured);
    CHECK(pair.process == "billing");
    CHECK(pair.cause == "the form");
    CHECK(format_timestamp(pair.closed_at) == "2026-10-28T12:00:00Z");
    CHECK(pair.signal == after);
    CHECK(pair.title == "Btw-regel op factuur onduidelijk");
    CHECK(pair.state == State::submitted);
    CHECK(format_timestamp(pair.submitted_at) == "2026-11-30T23:30:00Z");
    CHECK(pair.similarity == doctest::Approx(0.75));
    REQUIRE(data.closed.size() == 1);
    CHECK(data.closed[0].process == "billing");
    CHECK(data.closed[0].closed == 1);

    // The window is on the new signals, the fields on the closed ones.
    ReportFilter window;
    window.until = at("2026-11-30T00:00:00Z");
    CHECK(store->reports().recurrence(window).pairs.empty());
    CHECK(store->reports().recurrence(window).closed.size() == 1);
    ReportFilter delivery;
    delivery.fields = {{"process", "delivery"}};
    CHECK(store->reports().recurrence(delivery).pairs.empty());
    CHECK(store->reports().recurrence(delivery).closed.empty());

    ListQuery recurring;
    recurring.recurring = true;
    CHECK(ids_of(store->list(recurring)) == std::vector<SignalId>{after});
    CHECK(store->count(recurring) == 1);
}

// Every row of every copied table, as the store reads them for a copy.
std::vector<std::vector<Row>> all_rows(Store& store) {
    std::vector<std::vector<Row>> tables;
    store.begin_snapshot();
    for (const CopiedTable& table : k_copied_tables) {
        tables.emplace_back();
        store.read_rows(table, [&](const Row& row) { tables.back().push_back(row); });
    }
    store.rollback();
    return tables;
}

// A database with a row in every copied table, a reference to a later signal, a real number
// that needs all its digits, and a mail claimed by a run.
Date at_day(const char* text) {
    return *parse_date(text);
}

void fill_every_table(Store& store) {
    Signal one = new_signal("Eerste melding");
    Signal two = new_signal("De factuur is onduidelijk", "Klanten bellen over de btw-regel");
    two.external_id = "CRM-7";
    two.fields = {{"channel", "phone"}, {"region", "noord"}};
    Signal three = new_signal("Derde melding", "lijkt op de eerste");
    {
        WriteTransaction projects(store);
        store.reports().add_project(Project{"Portal 2.0", "Acme BV", at_day("2026-11-01"),
                                            at("2026-10-31T23:00:00Z"),
                                            at("2026-11-01T08:00:00Z")});
        projects.commit();
    }
    two.project = "Portal 2.0";
    add(store, one);
    add(store, two);
    three.recurrence_of.push_back(PossibleRecurrence{1, "", 2.0 / 3.0});
    add(store, three);
    WriteTransaction tx(store);
    Signal w = *store.load(1);
    w.state = State::duplicate;
    w.step = 2;
    w.duplicate_of = 3;
    w.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-24T09:00:00Z")}, "duplicate",
                                     State::submitted, State::duplicate, "#3"});
    store.save(w);
    Signal v = *store.load(2);
    v.state = State::analysed;
    v.step = 3;
    v.impact = Impact{12000, 4, test_support::dec("10"), test_support::dec("6.9")};
    for (int number : {1, 2}) {
        v.actions.push_back(Action{});
        v.actions.back().number = number;
        v.actions.back().parent = number == 2 ? std::optional<int>(1) : std::nullopt;
        v.actions.back().title = fmt::format("Actie {}", number);
        v.actions.back().created_at = at("2026-11-24T09:00:00Z");
    }
    v.actions.front().project = "Portal 2.0";
    Decision go;
    go.gate = Gate::prioritise;
    go.verdict = Verdict::go;
    go.reason = "raakt alle klanten";
    go.stamp = Stamp{"lead", at("2026-11-24T09:00:00Z")};
    v.decisions.push_back(go);
    RootCause cause;
    cause.cause = "BTW-regel staat los van het bedrag";
    cause.whys = {"layout uit 2015", "niemand is eigenaar"};
    cause.stamp = Stamp{"lead", at("2026-11-24T09:00:00Z")};
    v.root_cause = cause;
    v.measurements.push_back(Measurement{0, 7000, test_support::dec("7.2"), "na",
                                         Stamp{"lead", at("2026-12-01T09:00:00Z")}});
    v.feedback.push_back(Feedback{});
    v.feedback.back().recipient = "agent1@example.nl";
    v.feedback.back().outcome = Outcome::rejected;
    v.feedback.back().queued_at = at("2026-11-24T09:00:00Z");
    v.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-24T09:00:00Z")}, "analyse",
                                     State::submitted, State::analysed, ""});
    store.save(v);
    store.reports().set_customer(Customer{"Acme BV", test_support::dec("125000"), "groot"},
                                 at("2026-11-24T09:00:00Z"));
    tx.commit();
    const RowId mail = store.load(2)->feedback.at(0).id;
    REQUIRE(store.feedback_queue().claim_feedback(mail, "host/1/aa", at("2026-11-25T09:00:00Z"),
                                                  "m@example.org"));
}

// The projects table and report scope's rows: a project, the signal and the action naming it,
// the signal's cost as the impact report's (contacts × cost per contact, in cents), and the
// project's name found again ignoring case.
void scope_rows(const Backend& backend) {
    auto store = open_store(backend.fresh(), Access::write);
    fill_every_table(*store);
    const auto projects = store->reports().all_projects();
    REQUIRE(projects.size() == 1);
    CHECK(projects[0].name == "Portal 2.0");
    CHECK(projects[0].customer == "Acme BV");
    CHECK(format_date(projects[0].start) == "2026-11-01");
    CHECK(format_timestamp(projects[0].starts_at) == "2026-10-31T23:00:00Z");
    CHECK(find_project(projects, " portal 2.0 ") == &projects[0]);
    CHECK(store->load(2)->project == std::optional<std::string>("Portal 2.0"));
    CHECK(store->load(2)->actions.front().project == std::optional<std::string>("Portal 2.0"));
    CHECK_FALSE(store->load(1)->project.has_value());
    const ScopeData data = store->reports().scope(ReportFilter{});
    REQUIRE(data.signals.size() == 1);
    CHECK(data.signals[0].id == 2);
    CHECK(data.signals[0].cost_cents == std::optional<std::int64_t>(12000 * 1000));
    REQUIRE(data.actions.size() == 1);
    CHECK(data.actions[0].number == 1);
    // A second project of the same name, in another case, is refused by the database too.
    WriteTransaction tx(*store);
    CHECK_THROWS(store->reports().add_project(Project{"PORTAL 2.0", "X", at_day("2026-11-01"),
                                                      at("2026-11-01T00:00:00Z"),
                                                      at("2026-11-01T00:00:00Z")}));
}

void copy_keeps_rows_and_ids(const Backend& backend) {
    auto source = open_store(backend.fresh(), Access::write);
    fill_every_table(*source);
    auto target = open_store(backend.fresh(), Access::write);
    const CopyCount copied = copy_into(*source, *target, "the target");
    CHECK(copied.signals == 3);
    const auto rows = all_rows(*source);
    CHECK(all_rows(*target) == rows);
    for (std::size_t t = 0; t < rows.size(); ++t) {
        INFO(k_copied_tables[t].name);
        CHECK_FALSE(rows[t].empty());
    }
    // Derived data is there: the search finds the copied words, the claimed mail is in doubt.
    ListQuery search;
    search.search = "btw";
    CHECK(ids_of(target->list(search)) == std::vector<SignalId>{2});
    CHECK(target->feedback_queue().claimed_feedback().size() == 1);
    CHECK(target->load(1)->duplicate_of == std::optional<SignalId>(3));
    // New rows continue after the copied ids.
    const SignalId next = add(*target, new_signal("Na de kopie"));
    CHECK(next == 4);
    CHECK(target->load(next)->submitters.at(0).id == 4);
    CHECK(target->load(next)->history.at(0).id == 6);

    // A target with rows is refused and keeps them.
    auto other = open_store(backend.fresh(), Access::write);
    add(*other, new_signal("Al aanwezig"));
    const auto before = all_rows(*other);
    CHECK_THROWS_AS(copy_into(*source, *other, "the other"), Refused);
    CHECK(all_rows(*other) == before);
}

// A source store that lets another connection submit a signal while the copy reads it: after
// the signals are read, before their submitters and history.
class WrittenDuringCopy final : public Store {
public:
    WrittenDuringCopy(Store& inner, Store& writer) : m_inner(inner), m_writer(writer) {}
    void read_rows(const CopiedTable& table,
                   const std::function<void(const Row&)>& visit) override {
        if (table.name == "submitters") {
            add(m_writer, new_signal("Tijdens de kopie"));
        }
        m_inner.read_rows(table, visit);
    }
    int schema_version() override { return m_inner.schema_version(); }
    void begin_snapshot() override { m_inner.begin_snapshot(); }
    void rollback() override { m_inner.rollback(); }
    // The rest is not used as a source.
    void begin_write() override { unused(); }
    void commit() override { unused(); }
    std::optional<Signal> load(SignalId) override { unused(); }
    void insert(Signal&) override { unused(); }
    void save(Signal&) override { unused(); }
    std::optional<SignalId> find_by_external_id(const std::string&) override { unused(); }
    std::vector<SignalSummary> list(const ListQuery&) override { unused(); }
    std::int64_t count(const ListQuery&) override { unused(); }
    std::vector<std::string> custom_field_names() override { unused(); }
    void for_each_signal(const std::function<void(const Signal&)>&) override { unused(); }
    std::int64_t backup_to(const std::filesystem::path&) override { unused(); }
    bool has_rows(const CopiedTable&) override { unused(); }
    void begin_copy() override { unused(); }
    std::unique_ptr<RowWriter> write_rows(const CopiedTable&) override { unused(); }
    void finish_copy() override { unused(); }
    FeedbackQueue& feedback_queue() override { unused(); }
    std::vector<SimilarSignal> find_similar(const std::string&, const std::string&, int) override {
        unused();
    }
    void prepare_bulk_write() override { unused(); }
    std::unique_ptr<BulkInsert> bulk_insert() override { unused(); }
    void checkpoint() override { unused(); }
    ReportQueries& reports() override { unused(); }

private:
    [[noreturn]] static void unused() { throw std::logic_error("not used by a copy's source"); }
    Store& m_inner;
    Store& m_writer;
};

void copy_reads_one_snapshot(const Backend& backend) {
    const std::string db = backend.fresh();
    auto source = open_store(db, Access::write);
    add(*source, new_signal("Voor de kopie"));
    auto writer = open_store(db, Access::write);
    auto target = open_store(backend.fresh(), Access::write);
    WrittenDuringCopy during(*source, *writer);
    // Without one snapshot the new signal's submitter would arrive without its signal.
    const CopyCount copied = copy_into(during, *target, "the target");
    CHECK(copied.signals == 1);
    CHECK(copied.rows == 3); // the signal, its submitter, its history row
    CHECK(ids_of(target->list(ListQuery{})) == std::vector<SignalId>{1});
    CHECK(ids_of(source->list(ListQuery{})) == std::vector<SignalId>{1, 2});
}

// The tables and columns of the schema, each either copied or derived.
void no_table_forgotten(const std::map<std::string, std::set<std::string>>& schema) {
    REQUIRE(schema.size() > 10);
    // Not a structured binding: Clang 14 refuses to capture one in a lambda.
    for (const auto& entry : schema) {
        const std::string& table = entry.first;
        const std::set<std::string>& columns = entry.second;
        INFO("table ", table);
        const auto copied = std::find_if(k_copied_tables.begin(), k_copied_tables.end(),
                                         [&](const CopiedTable& t) { return t.name == table; });
        if (copied == k_copied_tables.end()) {
            CHECK_MESSAGE(std::find(std::begin(k_derived_tables), std::end(k_derived_tables),
                                    table) != std::end(k_derived_tables),
                          "the table ", table,
                          " is neither in k_copied_tables nor in "
                          "k_derived_tables (include/sileram/storage/copy.hpp)");
            continue;
        }
        // A derived column is built by the target where its schema has it.
        std::set<std::string> found = columns;
        for (const std::string_view derived : k_derived_columns) {
            if (derived.starts_with(table + ".")) {
                found.erase(std::string(derived.substr(table.size() + 1)));
            }
        }
        const std::set<std::string> expected(copied->columns.begin(), copied->columns.end());
        CHECK(found == expected);
    }
}

void sqlite_tables_all_listed(const std::string& db) {
    open_store(db, Access::write).reset();
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    std::map<std::string, std::set<std::string>> schema;
    sqlite3_stmt* query = nullptr;
    sqlite3_prepare_v2(handle,
                       "SELECT m.name, c.name FROM sqlite_schema m, pragma_table_info(m.name) c "
                       "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                       -1, &query, nullptr);
    while (sqlite3_step(query) == SQLITE_ROW) {
        schema[reinterpret_cast<const char*>(sqlite3_column_text(query, 0))].insert(
            reinterpret_cast<const char*>(sqlite3_column_text(query, 1)));
    }
    sqlite3_finalize(query);
    sqlite3_close(handle);
    no_table_forgotten(schema);
}

void postgres_tables_all_listed(const std::string& db) {
    open_store(db, Access::write).reset();
    PGconn* c = PQconnectdb(db.c_str());
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PGresult* r = PQexec(c, "SELECT table_name, column_name FROM information_schema.columns "
                            "JOIN information_schema.tables USING (table_schema, table_name) "
                            "WHERE table_schema = 'sileram' AND table_type = 'BASE TABLE'");
    REQUIRE(PQresultStatus(r) == PGRES_TUPLES_OK);
    std::map<std::string, std::set<std::string>> schema;
    for (int row = 0; row < PQntuples(r); ++row) {
        schema[PQgetvalue(r, row, 0)].insert(PQgetvalue(r, row, 1));
    }
    PQclear(r);
    PQfinish(c);
    no_table_forgotten(schema);
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
SILERAM_CONTRACT_CASE("a first bulk insert skips an id it has seen",
                      first_bulk_insert_skips_repeated_ids)
SILERAM_CONTRACT_CASE("reading a database that has no schema yet", reading_a_new_database)
SILERAM_CONTRACT_CASE("needs-info, its mails and the approved case", waiting_customer_round_trip)
SILERAM_CONTRACT_CASE("a queued mail is claimed by one run, recorded under its claim",
                      feedback_claimed_once)
SILERAM_CONTRACT_CASE("every report gives its documented figures", reports_known_figures)
SILERAM_CONTRACT_CASE("the first response comes from the history", response_from_the_history)
SILERAM_CONTRACT_CASE("late and waiting signals: list --late and report overdue", late_and_waiting)
SILERAM_CONTRACT_CASE("only a measured root cause recurs, in the report and the list",
                      recurrence_found_and_reported)

// The same signals in a SQLite file and in PostgreSQL: every report, under every filter, gives
// the same rows in the same order with the same figures (SQLite without a filter from its
// tallies, PostgreSQL from the signals).
TEST_CASE("store contract: every report agrees between SQLite and PostgreSQL [pg]") {
    auto sqlite = open_store(k_sqlite.fresh(), Access::write);
    auto postgres = open_store(k_postgres.fresh(), Access::write);
    fill_for_reports(*sqlite);
    fill_for_reports(*postgres);
    for (const ReportFilter& filter : report_filters()) {
        const std::vector<std::string> expected = all_reports(*sqlite, filter);
        CHECK(expected.size() > 20);
        CHECK(fmt::format("{}", fmt::join(all_reports(*postgres, filter), "\n")) ==
              fmt::format("{}", fmt::join(expected, "\n")));
    }
}

TEST_CASE("store contract: projects and the rows of report scope [sqlite]") {
    scope_rows(k_sqlite);
}
TEST_CASE("store contract: projects and the rows of report scope [pg]") {
    scope_rows(k_postgres);
}
TEST_CASE("store contract: copy keeps every row and id, refuses a target with rows [sqlite]") {
    copy_keeps_rows_and_ids(k_sqlite);
}
TEST_CASE("store contract: copy keeps every row and id, refuses a target with rows [pg]") {
    copy_keeps_rows_and_ids(k_postgres);
}
TEST_CASE("store contract: copy reads the source as one snapshot [sqlite]") {
    copy_reads_one_snapshot(k_sqlite);
}
TEST_CASE("store contract: copy reads the source as one snapshot [pg]") {
    copy_reads_one_snapshot(k_postgres);
}
TEST_CASE("copy: every SQLite table is copied or derived [sqlite]") {
    sqlite_tables_all_listed(k_sqlite.fresh());
}
TEST_CASE("copy: every PostgreSQL table is copied or derived [pg]") {
    postgres_tables_all_listed(k_postgres.fresh());
}

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

// Undoes schema versions 15, 14, 13 and 12 (after `SET search_path = sileram`).
#define SILERAM_BACK_TO_V11                                                                        \
    "DO $$ DECLARE f text; BEGIN "                                                                 \
    "FOR f IN SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "      \
    "WHERE n.nspname = 'sileram' AND p.proname LIKE 'tally\\_%' LOOP "                             \
    "EXECUTE format('DROP FUNCTION sileram.%I() CASCADE', f); END LOOP; "                          \
    "FOR f IN SELECT tablename FROM pg_tables WHERE schemaname = 'sileram' "                       \
    "AND tablename LIKE 'tally\\_%' LOOP EXECUTE format('DROP TABLE sileram.%I', f); "             \
    "END LOOP; END $$; DROP INDEX signals_open_score, actions_open_due, "                          \
    "signals_open_submitted, submitters_joined_at, signals_customer_recent; "

// Undoes schema versions 15, 14, 13, 12 and 10 (after `SET search_path = sileram`).
#define SILERAM_BACK_TO_V9                                                                         \
    SILERAM_BACK_TO_V11                                                                            \
    "DROP TRIGGER step_stays_follow_history ON history; "                                          \
    "DROP FUNCTION step_stays_follow_history(); DROP TABLE step_stays; "                           \
    "DROP INDEX signals_open_submitter, submitters_joined, signals_customer; "                     \
    "CREATE INDEX signals_customer ON signals (ascii_lower(customer), submitted_at) "              \
    "WHERE customer IS NOT NULL; "

// Takes a PostgreSQL database back from schema version 8 to 7: the state `needs-info`, the
// outcomes `acknowledged` and `needs-info`, `feedback.detail` and the approved case go.
constexpr const char* k_back_to_v7 =
    "SET search_path = sileram; " SILERAM_BACK_TO_V9
    "ALTER TABLE signals DROP COLUMN project; ALTER TABLE actions DROP COLUMN project; "
    "DROP TABLE projects; "
    "ALTER TABLE signals DROP COLUMN approved_at, DROP COLUMN approved_reduction_hundredths, "
    "DROP COLUMN approved_satisfaction_hundredths, DROP COLUMN approved_savings_per_year_cents, "
    "DROP COLUMN approved_cost_cents, DROP CONSTRAINT signals_state_check, "
    "ADD CONSTRAINT signals_state_check CHECK (state IN ('submitted', 'accepted', 'analysed', "
    "'prioritised', 'root-caused', 'planned', 'approved', 'in-progress', 'implemented', "
    "'measured', 'closed', 'rejected', 'duplicate', 'parked', 'dropped')); "
    "ALTER TABLE feedback DROP COLUMN detail, DROP CONSTRAINT feedback_stage_check, "
    "ADD CONSTRAINT feedback_check CHECK ((outcome = 'progress') = (stage <> '')), "
    "DROP CONSTRAINT feedback_outcome_check, ADD CONSTRAINT feedback_outcome_check "
    "CHECK (outcome IN ('closed', 'rejected', 'dropped', 'duplicate', 'progress')); "
    "UPDATE schema_version SET version = 7";

TEST_CASE("postgresql: a version 7 database takes the waiting customer of version 8 [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    {
        auto store = open_store(db, Access::write);
        add(*store, new_signal("De factuur is onduidelijk"));
    }
    PQfinish(pg_session(db, k_back_to_v7));
    PQfinish(pg_session(
        db, "SET search_path = sileram; "
            "INSERT INTO feedback (signal_id, recipient, outcome, stage, status, queued_at) "
            "VALUES (1, 'a@example.nl', 'progress', 'accepted', 'queued', "
            "'2026-11-23T12:00:00Z')"));
    CHECK(initialise_database(db) == current_schema_version());
    auto store = open_store(db, Access::write);
    {
        WriteTransaction tx(*store);
        Signal w = *store->load(1);
        REQUIRE(w.feedback.size() == 1);
        CHECK(w.feedback[0].stage == State::accepted);
        CHECK(w.feedback[0].detail.empty());
        w.state = State::needs_info;
        w.step = 2;
        w.feedback.push_back(Feedback{});
        w.feedback.back().recipient = "a@example.nl";
        w.feedback.back().outcome = Outcome::needs_info;
        w.feedback.back().question = 1;
        w.feedback.back().detail = "Welke factuur?";
        w.feedback.back().queued_at = at("2026-11-24T09:00:00Z");
        store->save(w);
        tx.commit();
    }
    const Signal loaded = *store->load(1);
    CHECK(loaded.state == State::needs_info);
    REQUIRE(loaded.feedback.size() == 2);
    CHECK(loaded.feedback[1].detail == "Welke factuur?");
}

TEST_CASE("postgresql: a version 6 database gets the claim columns of version 7 [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    {
        auto store = open_store(db, Access::write);
        add(*store, new_signal("De factuur is onduidelijk"));
    }
    // Back to the feedback table of version 6, with a queued mail in it.
    PQfinish(pg_session(db, k_back_to_v7));
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

namespace {

// The step stays of the test database `db`, one line per stay in the order of signal and entry.
std::string pg_step_stays(const std::string& db) {
    PGconn* c = pg_session(db, "SELECT 1");
    PGresult* r = PQexec(c, "SELECT string_agg(concat_ws(' ', signal_id, step, entered_at, "
                            "coalesce(left_at, '-'), coalesce(seconds::text, '-')), E'\\n' "
                            "ORDER BY signal_id, entered_at, id) FROM sileram.step_stays");
    std::string rows = PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0);
    PQclear(r);
    PQfinish(c);
    return rows;
}

} // namespace

TEST_CASE("postgresql: version 10 fills the step stays from the history as the trigger keeps "
          "them [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    {
        auto store = open_store(db, Access::write);
        const SignalId first = add(*store, new_signal("De factuur is onduidelijk"));
        add(*store, new_signal("De app start niet"));
        WriteTransaction tx(*store);
        Signal w = *store->load(first);
        // Accepted and analysed in one save: two stays, one after the other.
        w.state = State::analysed;
        w.step = 3;
        w.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-24T09:00:00Z")}, "accept",
                                         State::submitted, State::accepted, ""});
        w.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-25T09:30:00Z")}, "analyse",
                                         State::accepted, State::analysed, "12000 contacts"});
        store->save(w);
        tx.commit();
    }
    const std::string kept = pg_step_stays(db);
    CHECK(kept == "1 1 2026-11-23T12:00:00Z 2026-11-24T09:00:00Z 75600\n"
                  "1 2 2026-11-24T09:00:00Z 2026-11-25T09:30:00Z 88200\n"
                  "1 3 2026-11-25T09:30:00Z - -\n"
                  "2 1 2026-11-23T12:00:00Z - -");
    // Back to version 9: version 10 fills the stays from the history, the same ones.
    PQfinish(pg_session(db, "SET search_path = sileram; " SILERAM_BACK_TO_V9
                            "UPDATE schema_version SET version = 9"));
    CHECK(initialise_database(db) == current_schema_version());
    CHECK(pg_step_stays(db) == kept);
}

namespace {

// Each tally of schema 12 against the same figures computed from the signals, the history and
// the measurements: the rows that are in one and not in the other (rows of zero left out), per
// tally, and how many rows the tallies hold, as "states/impact/fields/months/per-signal
// mismatched rows; rows of the sums of signals+months+per signal".
constexpr const char* k_tallies_against_signals = R"sql(
WITH counted_states AS (
    SELECT state, step, count(*) AS signals FROM signals GROUP BY 1, 2),
tallied_states AS (SELECT state, step, signals FROM tally_states WHERE signals <> 0),
counted_impact AS (
    SELECT state, contacts, satisfaction_impact, cost_per_contact_cents, count(*) AS signals
    FROM signals WHERE contacts IS NOT NULL GROUP BY 1, 2, 3, 4),
tallied_impact AS (
    SELECT state, contacts, satisfaction_impact, cost_per_contact_cents, signals
    FROM tally_impact WHERE signals <> 0),
counted_fields AS (
    SELECT f.name, coalesce(f.value, '') AS value,
           s.contacts IS NOT NULL AND s.state IN ('analysed', 'prioritised', 'parked',
               'root-caused', 'planned', 'approved', 'in-progress', 'implemented') AS open,
           count(*) AS signals, coalesce(sum(s.contacts), 0) AS contacts,
           coalesce(sum(s.contacts * s.satisfaction_impact), 0) AS score,
           coalesce(sum(s.contacts * s.cost_per_contact_cents), 0) AS cost_cents
    FROM signals s CROSS JOIN LATERAL (VALUES ('channel', s.channel), ('product', s.product),
        ('process', s.process), ('customer', s.customer)) AS f (name, value)
    GROUP BY 1, 2, 3),
tallied_fields AS (
    SELECT name, value, open, signals, contacts, score, cost_cents FROM tally_fields
    WHERE (signals, contacts, score, cost_cents) <> (0, 0, 0, 0)),
verdicts AS (
    SELECT signal_id, min(at) AS at FROM history WHERE event IN ('accept', 'reject', 'duplicate')
    GROUP BY 1),
closings AS (
    SELECT h.id AS history_id, h.signal_id, substr(h.at, 1, 7) AS month,
           greatest(0, extract(epoch FROM h.at::timestamptz)
                       - extract(epoch FROM s.submitted_at::timestamptz))::bigint AS seconds
    FROM history h JOIN signals s ON s.id = h.signal_id
    WHERE h.to_state = 'closed' AND h.from_state IS DISTINCT FROM 'closed'),
saved AS (
    SELECT DISTINCT ON (m.signal_id) m.signal_id, substr(m.measured_at, 1, 7) AS month,
           coalesce((s.contacts - m.contacts) * s.cost_per_contact_cents, 0) AS saved_cents
    FROM measurements m JOIN signals s ON s.id = m.signal_id WHERE s.contacts IS NOT NULL
    ORDER BY m.signal_id, m.id DESC),
counted_months AS (
    SELECT month, sum(entered) AS entered, sum(verdicts) AS verdicts, sum(closed) AS closed,
           sum(measured) AS measured, sum(saved_cents) AS saved_cents
    FROM (SELECT substr(submitted_at, 1, 7) AS month, 1 AS entered, 0 AS verdicts, 0 AS closed,
                 0 AS measured, 0 AS saved_cents FROM signals
          UNION ALL SELECT substr(at, 1, 7), 0, 1, 0, 0, 0 FROM verdicts
          UNION ALL SELECT month, 0, 0, 1, 0, 0 FROM closings
          UNION ALL SELECT month, 0, 0, 0, 1, saved_cents FROM saved) f
    GROUP BY 1),
tallied_months AS (
    SELECT month, entered, verdicts, closed, measured, saved_cents FROM tally_months
    WHERE (entered, verdicts, closed, measured, saved_cents) <> (0, 0, 0, 0, 0)),
stays AS (
    SELECT 'd' || step AS kind, floor(seconds / 86400.0)::bigint AS key, count(*) AS n
    FROM step_stays WHERE seconds IS NOT NULL GROUP BY 1, 2
    UNION ALL SELECT 'w' || step, 0, count(*) FROM step_stays WHERE seconds IS NULL GROUP BY 1
    UNION ALL SELECT 'l' || substr(entered_at, 1, 7), 0, count(*) FROM step_stays
    WHERE step = 10 GROUP BY 1
    UNION ALL SELECT 'r' || coalesce(process, ''), 0, count(*) FROM signals s
    WHERE s.state = 'closed' AND EXISTS (SELECT 1 FROM root_causes c WHERE c.signal_id = s.id)
      AND EXISTS (SELECT 1 FROM measurements m WHERE m.signal_id = s.id) GROUP BY 1),
tallied_stays AS (
    SELECT 'd' || step AS kind, day AS key, stays AS n FROM tally_stays WHERE stays <> 0
    UNION ALL SELECT 'w' || step, 0, stays FROM tally_waiting WHERE stays <> 0
    UNION ALL SELECT 'l' || month, 0, "left" FROM tally_months WHERE "left" <> 0
    UNION ALL SELECT 'r' || process, 0, signals FROM tally_recurrable WHERE signals <> 0),
responses AS (
    SELECT s.id AS signal_id, substr(s.submitted_at, 1, 7) AS month,
           coalesce(s.channel, '') AS channel, substr(s.submitted_at, 1, 10) AS day,
           CASE WHEN f.at IS NOT NULL THEN
               greatest(0, extract(epoch FROM f.at::timestamptz)
                           - extract(epoch FROM s.submitted_at::timestamptz))::bigint END
               AS seconds
    FROM signals s LEFT JOIN (
        SELECT DISTINCT ON (signal_id) signal_id, at FROM history
        WHERE event IN ('accept', 'reject', 'duplicate', 'needs-info') ORDER BY signal_id, id) f
    ON f.signal_id = s.id),
effect AS (
    SELECT DISTINCT ON (m.signal_id) m.signal_id, m.id, s.contacts, s.cost_per_contact_cents,
           s.expected_reduction_hundredths, s.satisfaction_hundredths,
           s.approved_savings_per_year_cents, m.contacts AS measured_contacts,
           m.satisfaction_hundredths AS measured_satisfaction, m.measured_at,
           coalesce((SELECT sum(a.cost_cents) FROM actions a
                     WHERE a.signal_id = s.id AND a.status <> 'cancelled'), 0)::bigint AS cost,
           (s.contacts - m.contacts) * s.cost_per_contact_cents AS saved_cents
    FROM measurements m JOIN signals s ON s.id = m.signal_id WHERE s.contacts IS NOT NULL
    ORDER BY m.signal_id, m.id DESC),
per_signal AS (
    SELECT 'v' AS kind, signal_id, 0::bigint AS history_id, at AS month, 0::bigint AS figure
    FROM verdicts
    UNION ALL SELECT 'c', signal_id, history_id, month, seconds FROM closings
    UNION ALL SELECT 's', signal_id, 0, month, saved_cents FROM saved
    UNION ALL SELECT 'r' || channel || '/' || day, signal_id, 0, month, seconds FROM responses
    UNION ALL SELECT 'd' || channel || '/' || month, 0, seconds / 86400, '', count(*)
    FROM responses WHERE seconds IS NOT NULL GROUP BY channel, month, seconds / 86400
    UNION ALL SELECT 'u' || channel, 0, 0, day, count(*) FROM responses WHERE seconds IS NULL
    GROUP BY channel, day
    UNION ALL SELECT 'e' || concat_ws('/', contacts, cost_per_contact_cents,
                                      expected_reduction_hundredths, satisfaction_hundredths,
                                      approved_savings_per_year_cents, measured_contacts,
                                      measured_satisfaction, cost),
                     signal_id, id, measured_at, saved_cents FROM effect),
tallied_per_signal AS (
    SELECT 'v' AS kind, signal_id, 0::bigint AS history_id, at AS month, 0::bigint AS figure
    FROM tally_verdicts
    UNION ALL SELECT 'c', signal_id, history_id, month, seconds FROM tally_closings
    UNION ALL SELECT 's', signal_id, 0, month, saved_cents FROM tally_saved
    UNION ALL SELECT 'r' || channel || '/' || day, signal_id, 0, month, seconds
    FROM tally_responses
    UNION ALL SELECT 'd' || channel || '/' || month, 0, day, '', signals
    FROM tally_response_days WHERE signals <> 0
    UNION ALL SELECT 'u' || channel, 0, 0, day, signals FROM tally_unanswered WHERE signals <> 0
    UNION ALL SELECT 'e' || concat_ws('/', contacts, cost_per_contact_cents,
                                      expected_reduction_hundredths, satisfaction_hundredths,
                                      approved_savings_per_year_cents, measured_contacts,
                                      measured_satisfaction, action_cost_cents),
                     signal_id, measurement_id, measured_at, saved_cents FROM tally_effect)
SELECT concat(
    (SELECT count(*) FROM ((TABLE counted_states EXCEPT ALL TABLE tallied_states)
                           UNION ALL (TABLE tallied_states EXCEPT ALL TABLE counted_states)) d), '/',
    (SELECT count(*) FROM ((TABLE counted_impact EXCEPT ALL TABLE tallied_impact)
                           UNION ALL (TABLE tallied_impact EXCEPT ALL TABLE counted_impact)) d), '/',
    (SELECT count(*) FROM ((TABLE counted_fields EXCEPT ALL TABLE tallied_fields)
                           UNION ALL (TABLE tallied_fields EXCEPT ALL TABLE counted_fields)) d), '/',
    (SELECT count(*) FROM ((TABLE counted_months EXCEPT ALL TABLE tallied_months)
                           UNION ALL (TABLE tallied_months EXCEPT ALL TABLE counted_months)) d), '/',
    (SELECT count(*) FROM ((TABLE per_signal EXCEPT ALL TABLE tallied_per_signal)
                           UNION ALL (TABLE tallied_per_signal EXCEPT ALL TABLE per_signal)) d)
        + (SELECT count(*) FROM ((TABLE stays EXCEPT ALL TABLE tallied_stays)
                                 UNION ALL (TABLE tallied_stays EXCEPT ALL TABLE stays)) d), '; ',
    (SELECT count(*) FROM tallied_states) + (SELECT count(*) FROM tallied_impact)
        + (SELECT count(*) FROM tallied_fields), '+',
    (SELECT count(*) FROM tallied_months), '+',
    (SELECT count(*) FROM tallied_per_signal) + (SELECT count(*) FROM tallied_stays))
)sql";

// The one text that `sql` gives on `db`, in sileram's schema.
std::string pg_text(const std::string& db, const char* sql) {
    PGconn* c = pg_session(db, "SET search_path = sileram");
    PGresult* r = PQexec(c, sql);
    const std::string error = PQresultErrorMessage(r);
    REQUIRE_MESSAGE(PQresultStatus(r) == PGRES_TUPLES_OK, error);
    std::string result = PQgetvalue(r, 0, 0);
    PQclear(r);
    PQfinish(c);
    return result;
}

std::string pg_tallies_against_signals(const std::string& db) {
    return pg_text(db, k_tallies_against_signals);
}

// Runs `sql` on `db` in a transaction of its own.
void pg_run(const std::string& db, const std::string& sql) {
    PQfinish(pg_session(db, ("SET search_path = sileram; " + sql).c_str()));
}

} // namespace

TEST_CASE("postgresql: the tallies of version 12 follow every insert, update, delete and move, "
          "and version 12 fills them the same [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    const auto exact = [&db] {
        std::string found = pg_tallies_against_signals(db);
        INFO(found);
        CHECK(found.starts_with("0/0/0/0/0; "));
        return found;
    };
    // Through the store: a signal submitted, then accepted, analysed (contacts and impact).
    {
        auto store = open_store(db, Access::write);
        const SignalId first = add(*store, new_signal("De factuur is onduidelijk"));
        add(*store, new_signal("De app start niet"));
        WriteTransaction tx(*store);
        Signal w = *store->load(first);
        w.state = State::analysed;
        w.step = 3;
        w.impact = Impact{1200, 4, Decimal::from_hundredths(350), std::nullopt};
        w.fields["channel"] = "Telefoon";
        w.fields["customer"] = "Gemeente Utrecht";
        w.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-24T09:00:00Z")}, "accept",
                                         State::submitted, State::accepted, ""});
        w.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-25T09:30:00Z")}, "analyse",
                                         State::accepted, State::analysed, "1200 contacts"});
        store->save(w);
        tx.commit();
    }
    // 11 rows of sums (2 states, 1 impact cell, 8 field values), 1 month; a first verdict,
    // two signals' responses (one answered, one waiting), a day of responses, a day unanswered,
    // two days of finished stays (steps 1 and 2), two steps with an open stay (1 and 3).
    CHECK(exact() == "0/0/0/0/0; 11+1+9");
    // Many rows in one statement, as an import or a copy writes them: values that differ only
    // in case for the customer, signals without fields, an impact without a satisfaction, over
    // three months; then their history (verdicts, closings, a closing stamped before the
    // submission, a closed signal closed again) and measurements, also many at once.
    pg_run(db, R"sql(
INSERT INTO signals (id, title, state, step, submitted_by, submitted_at, updated_at, channel,
                     product, process, customer, contacts, satisfaction_impact,
                     cost_per_contact_cents)
SELECT 2 + i, 'Signaal ' || i, (ARRAY['submitted', 'analysed', 'prioritised', 'closed', 'in-progress'])[1 + i % 5],
       1 + i % 10, 'x@example.nl', '2026-0' || (7 + i % 3) || '-1' || i % 10 || 'T12:00:00Z',
       '2026-11-23T12:00:00Z',
       (ARRAY['mail', 'Telefoon', NULL])[1 + i % 3], (ARRAY['app', NULL])[1 + i % 2],
       (ARRAY['facturatie', 'levering', 'retour', NULL])[1 + i % 4],
       (ARRAY['ACME', 'Acme', 'acme', 'Gemeente Utrecht', NULL])[1 + i % 5],
       CASE WHEN i % 3 = 0 THEN NULL ELSE i * 10 END,
       CASE WHEN i % 3 = 0 OR i % 7 = 0 THEN NULL ELSE 1 + i % 5 END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE 100 + i % 4 * 50 END
FROM generate_series(1, 200) i;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT id, '2026-1' || (id % 2) || '-0' || (1 + id % 9) || 'T08:00:00Z', 'lead',
       (ARRAY['accept', 'reject', 'duplicate', 'needs-info'])[1 + id % 4], 'submitted', 'accepted'
FROM signals WHERE id > 2 AND id % 3 <> 0;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT id, CASE WHEN id % 11 = 0 THEN '2026-01-01T00:00:00Z'
                ELSE '2026-1' || (id % 2) || '-2' || (id % 8) || 'T17:30:00Z' END,
       'lead', 'close', 'measured', 'closed'
FROM signals WHERE id > 2 AND id % 4 = 0;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT id, '2026-11-29T10:00:00Z', 'lead', 'close', 'closed', 'closed'
FROM signals WHERE id > 2 AND id % 8 = 0;
INSERT INTO actions (signal_id, number, title, status, cost_cents, created_at)
SELECT id, n, 'Actie ' || n, (ARRAY['planned', 'done', 'cancelled'])[1 + (id + n) % 3],
       id * 100 + n, '2026-11-01T09:00:00Z'
FROM signals, generate_series(1, 2) n WHERE id > 2 AND id % 3 = 1;
INSERT INTO root_causes (signal_id, cause, recorded_by, recorded_at)
SELECT id, 'Oorzaak ' || id, 'lead', '2026-10-01T09:00:00Z' FROM signals WHERE id > 2 AND id % 3 <> 2;
INSERT INTO measurements (signal_id, contacts, measured_by, measured_at)
SELECT id, id * 5 + m, 'lead', '2026-1' || (m % 2) || '-1' || m || 'T09:00:00Z'
FROM signals, generate_series(1, 3) m WHERE id > 2 AND id % 2 = 1 AND id % 5 <> m;
)sql");
    const std::string after_insert = exact();
    CHECK(after_insert != "0/0/0/0/0; 11+1+9");
    // Moves, new figures, new field values and new moments, in one statement and in single ones.
    pg_run(db, "UPDATE signals SET state = 'planned', step = 6, contacts = contacts + 5 "
               "WHERE id % 4 = 1");
    pg_run(db, "UPDATE signals SET customer = 'ACME', channel = NULL, satisfaction_impact = 2 "
               "WHERE id % 6 = 2");
    pg_run(db, "UPDATE signals SET contacts = NULL, satisfaction_impact = NULL "
               "WHERE id % 9 = 3");
    pg_run(db, "UPDATE signals SET submitted_at = '2026-06-30T23:00:00Z' WHERE id % 10 = 4");
    pg_run(db, "UPDATE signals SET updated_at = '2026-11-30T12:00:00Z' WHERE id % 2 = 0");
    pg_run(db, "UPDATE history SET at = '2026-09-09T09:00:00Z' WHERE id % 7 = 0");
    pg_run(db, "UPDATE history SET event = 'analyse' WHERE event = 'reject' AND id % 2 = 0");
    pg_run(db, "UPDATE actions SET status = 'cancelled' WHERE id % 4 = 0");
    pg_run(db, "UPDATE actions SET cost_cents = cost_cents + 7 WHERE id % 3 = 0");
    pg_run(db, "UPDATE signals SET channel = 'web', cost_per_contact_cents = 99, "
               "approved_savings_per_year_cents = 1234, expected_reduction_hundredths = 2500 "
               "WHERE id % 7 = 1");
    pg_run(db, "UPDATE measurements SET contacts = contacts + 100, "
               "measured_at = '2026-08-01T00:00:00Z' WHERE id % 5 = 0");
    // A signal moved and moved back in one transaction: nothing changes.
    pg_run(db, "BEGIN; UPDATE signals SET state = 'closed', step = 10 WHERE id = 20; "
               "UPDATE signals SET state = 'submitted', step = 1 WHERE id = 20; COMMIT");
    exact();
    // Deletes: measurements, history rows, then signals with all their rows.
    pg_run(db, "DELETE FROM measurements WHERE id % 4 = 0");
    pg_run(db, "DELETE FROM actions WHERE id % 5 = 0");
    pg_run(db, "DELETE FROM root_causes WHERE signal_id % 7 = 2");
    pg_run(db, "UPDATE root_causes SET signal_id = 2 WHERE signal_id = 4");
    pg_run(db, "DELETE FROM history WHERE id % 6 = 0 AND event <> 'submit'");
    pg_run(db, "DELETE FROM step_stays WHERE signal_id > 2 AND signal_id % 5 = 0; "
               "DELETE FROM root_causes WHERE signal_id > 2 AND signal_id % 5 = 0; "
               "DELETE FROM actions WHERE signal_id > 2 AND signal_id % 5 = 0; "
               "DELETE FROM measurements WHERE signal_id > 2 AND signal_id % 5 = 0; "
               "DELETE FROM history WHERE signal_id > 2 AND signal_id % 5 = 0; "
               "DELETE FROM signals WHERE id > 2 AND id % 5 = 0");
    pg_run(
        db,
        "DELETE FROM step_stays WHERE signal_id = 7; DELETE FROM root_causes WHERE signal_id = 7; "
        "DELETE FROM actions WHERE signal_id = 7; "
        "DELETE FROM measurements WHERE signal_id = 7; "
        "DELETE FROM history WHERE signal_id = 7; DELETE FROM signals WHERE id = 7");
    const std::string kept = exact();
    // A transaction that rolls back leaves the tallies as they were.
    pg_run(db, "BEGIN; DELETE FROM measurements; DELETE FROM actions; "
               "DELETE FROM history WHERE signal_id > 100; "
               "ROLLBACK");
    CHECK(pg_tallies_against_signals(db) == kept);
    // Back to version 11: version 12 fills the tallies from the data, the same figures.
    pg_run(db, SILERAM_BACK_TO_V11 "UPDATE schema_version SET version = 11");
    CHECK(initialise_database(db) == current_schema_version());
    CHECK(pg_tallies_against_signals(db) == kept);
}

namespace {

// Closes the WITH of `ctes`, whose counted_X and tallied_X name the same rows twice for X in
// {first}, submitted and joined: "first/submitted/joined mismatched rows; rows of the tallies".
std::string overdue_mismatches(const char* ctes, std::string_view first) {
    return std::string(ctes) + fmt::format(R"sql(
SELECT concat(
    (SELECT count(*) FROM ((TABLE counted_{0} EXCEPT ALL TABLE tallied_{0})
                           UNION ALL (TABLE tallied_{0} EXCEPT ALL TABLE counted_{0})) d), '/',
    (SELECT count(*) FROM ((TABLE counted_submitted EXCEPT ALL TABLE tallied_submitted)
                           UNION ALL (TABLE tallied_submitted EXCEPT ALL TABLE counted_submitted)) d),
    '/',
    (SELECT count(*) FROM ((TABLE counted_joined EXCEPT ALL TABLE tallied_joined)
                           UNION ALL (TABLE tallied_joined EXCEPT ALL TABLE counted_joined)) d), '; ',
    (SELECT count(*) FROM tallied_{0}), '+', (SELECT count(*) FROM tallied_submitted), '+',
    (SELECT count(*) FROM tallied_joined))
)sql",
                                           first);
}

// Each tally of schema 13 against the same figures computed from the actions, the submitters
// and the signals: the rows in one and not in the other (rows of zero left out), as
// "due/submitted/joined mismatched rows; rows of the tallies".
constexpr const char* k_overdue_tallies_against_tables = R"sql(
WITH counted_due AS (
    SELECT a.due, count(*) AS actions FROM actions a JOIN signals s ON s.id = a.signal_id
    WHERE a.status IN ('planned', 'in-progress') AND a.due IS NOT NULL
      AND s.state IN ('approved', 'in-progress') GROUP BY 1),
tallied_due AS (SELECT due, actions FROM tally_due WHERE actions <> 0),
counted_submitted AS (
    SELECT submitted_by AS email, count(*) AS signals FROM signals WHERE state <> 'closed'
    GROUP BY 1),
tallied_submitted AS (SELECT email, signals FROM tally_submitted WHERE signals <> 0),
counted_joined AS (
    SELECT u.email, count(*) AS signals FROM submitters u JOIN signals s ON s.id = u.signal_id
    WHERE u.via <> 'submit' AND s.state <> 'closed' GROUP BY 1),
tallied_joined AS (SELECT email, signals FROM tally_joined WHERE signals <> 0)
)sql";

std::string pg_overdue_tallies_against_tables(const std::string& db) {
    return pg_text(db, overdue_mismatches(k_overdue_tallies_against_tables, "due").c_str());
}

} // namespace

TEST_CASE("postgresql: the tallies of version 13 (report overdue) follow every insert, update, "
          "delete and move, and version 13 fills them the same [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    const auto exact = [&db] {
        std::string found = pg_overdue_tallies_against_tables(db);
        INFO(found);
        CHECK(found.starts_with("0/0/0; "));
        return found;
    };
    // Through the store: two signals by the same address in two spellings.
    {
        auto store = open_store(db, Access::write);
        Signal first = new_signal("De factuur is onduidelijk");
        first.submitted_by = "Anna@example.nl";
        add(*store, first);
        Signal second = new_signal("De app start niet");
        second.submitted_by = "anna@example.nl";
        add(*store, second);
    }
    CHECK(exact() == "0/0/0; 0+2+0");
    // Many rows in one statement, as a copy writes them: signals in many states by addresses
    // that differ in case, their joins and their actions (some with a due date).
    pg_run(db, R"sql(
INSERT INTO signals (id, title, state, step, submitted_by, submitted_at, updated_at)
SELECT 2 + i, 'Signaal ' || i,
       (ARRAY['submitted', 'approved', 'in-progress', 'closed', 'needs-info', 'planned'])[1 + i % 6],
       1 + i % 10, (ARRAY['piet@example.nl', 'Piet@example.nl', 'kees@example.nl'])[1 + i % 3],
       '2026-0' || (7 + i % 3) || '-1' || i % 10 || 'T12:00:00Z', '2026-11-23T12:00:00Z'
FROM generate_series(1, 200) i;
INSERT INTO submitters (signal_id, email, joined_at, via)
SELECT id, submitted_by, submitted_at, 'submit' FROM signals WHERE id > 2;
INSERT INTO submitters (signal_id, email, joined_at, via)
SELECT id, (ARRAY['joop@example.nl', 'JOOP@example.nl', 'mies@example.nl'])[1 + id % 3],
       '2026-10-0' || (1 + id % 9) || 'T08:00:00Z', (ARRAY['join', 'merge'])[1 + id % 2]
FROM signals WHERE id > 2 AND id % 2 = 0;
INSERT INTO actions (signal_id, number, title, status, due, created_at)
SELECT id, n, 'Actie ' || n, (ARRAY['planned', 'in-progress', 'done', 'cancelled'])[1 + (id + n) % 4],
       CASE WHEN (id + n) % 5 = 0 THEN NULL ELSE '2026-1' || (id % 2) || '-0' || (1 + n) END,
       '2026-11-01T09:00:00Z'
FROM signals, generate_series(1, 3) n WHERE id > 2;
)sql");
    const std::string after_insert = exact();
    CHECK(after_insert != "0/0/0; 0+2+0");
    // Moves into and out of the states carried out and closed, new addresses, new due dates and
    // statuses, joins moved to another signal, in one statement and in single ones.
    pg_run(db, "UPDATE signals SET state = 'in-progress', step = 8 WHERE id % 4 = 1");
    pg_run(db, "UPDATE signals SET state = 'closed', step = 10 WHERE id % 5 = 2");
    pg_run(db, "UPDATE signals SET submitted_by = 'KEES@example.nl' WHERE id % 7 = 3");
    pg_run(db, "UPDATE actions SET due = '2026-12-24' WHERE id % 3 = 0");
    pg_run(db, "UPDATE actions SET status = 'done' WHERE id % 4 = 1");
    pg_run(db, "UPDATE actions SET status = 'planned', due = '2026-11-11' WHERE id % 6 = 2");
    pg_run(db,
           "UPDATE submitters SET email = 'mies@example.nl' WHERE via <> 'submit' AND id % 5 = 0");
    pg_run(db, "UPDATE submitters SET via = 'submit' WHERE via = 'merge' AND id % 3 = 0");
    pg_run(db, "UPDATE submitters SET signal_id = 3 WHERE via <> 'submit' AND signal_id = 8");
    // A signal moved out of the states carried out and back in one transaction.
    pg_run(db, "BEGIN; UPDATE signals SET state = 'closed', step = 10 WHERE id = 9; "
               "UPDATE signals SET state = 'approved', step = 7 WHERE id = 9; COMMIT");
    // A signal and its action written in one statement.
    pg_run(db, "WITH s AS (INSERT INTO signals (id, title, state, step, submitted_by, "
               "submitted_at, updated_at) VALUES (500, 'Samen', 'approved', 7, 'kees@example.nl', "
               "'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z') RETURNING id) "
               "INSERT INTO actions (signal_id, number, title, status, due, created_at) "
               "SELECT id, 1, 'Actie', 'planned', '2026-11-02', '2026-11-01T00:00:00Z' FROM s");
    exact();
    // Deletes: actions, joins, then signals with all their rows.
    pg_run(db, "DELETE FROM actions WHERE id % 5 = 0");
    pg_run(db, "DELETE FROM submitters WHERE via <> 'submit' AND id % 4 = 0");
    pg_run(db, "DELETE FROM actions WHERE signal_id > 2 AND signal_id % 9 = 0; "
               "DELETE FROM submitters WHERE signal_id > 2 AND signal_id % 9 = 0; "
               "DELETE FROM signals WHERE id > 2 AND id % 9 = 0");
    const std::string kept = exact();
    // A transaction that rolls back leaves the tallies as they were.
    pg_run(db, "BEGIN; DELETE FROM actions; DELETE FROM submitters WHERE via <> 'submit'; "
               "UPDATE signals SET state = 'closed'; ROLLBACK");
    CHECK(pg_overdue_tallies_against_tables(db) == kept);
    // Back to version 11: versions 12 and 13 fill the tallies from the data, the same figures.
    pg_run(db, SILERAM_BACK_TO_V11 "UPDATE schema_version SET version = 11");
    CHECK(initialise_database(db) == current_schema_version());
    CHECK(pg_overdue_tallies_against_tables(db) == kept);
}

// ---- the derived tables filled once, set-based (src/storage/postgres/derived_fill.cpp) -------

namespace {

// Every derived table of the PostgreSQL schema (step_stays and every tally_*), one line per row
// in a fixed order, each table headed by its name. Left out: identity columns (the ids of
// step_stays follow the order of their inserts) and rows whose counts are all zero (the triggers
// count a row down to zero and leave it; readers skip it): the integer columns outside the
// table's primary key and unique constraints.
std::string derived_snapshot(postgres::Connection& c) {
    const postgres::Result tables = c.exec(R"sql(
SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'sileram' AND c.relkind = 'r'
  AND (c.relname = 'step_stays' OR c.relname LIKE 'tally\_%')
ORDER BY 2
)sql");
    std::string snapshot;
    for (int t = 0; t < tables.rows(); ++t) {
        const std::string oid = tables.text(t, 0);
        const std::string name = tables.text(t, 1);
        const postgres::Result columns = c.exec(fmt::format(R"sql(
SELECT a.attname, a.atttypid = 'bigint'::regtype OR a.atttypid = 'integer'::regtype,
       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = a.attrelid
               AND k.contype IN ('p', 'u') AND a.attnum = ANY (k.conkey))
FROM pg_attribute a WHERE a.attrelid = {} AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attidentity = ''
ORDER BY a.attnum
)sql",
                                                            oid)
                                                    .c_str());
        std::vector<std::string> all;
        std::vector<std::string> counts;
        for (int r = 0; r < columns.rows(); ++r) {
            all.push_back(fmt::format("\"{}\"", columns.text(r, 0)));
            if (columns.text(r, 1) == "t" && columns.text(r, 2) == "f") {
                counts.push_back(all.back());
            }
        }
        std::string where;
        if (!counts.empty()) {
            where = fmt::format(" WHERE ({}) IS DISTINCT FROM ({})", fmt::join(counts, ", "),
                                fmt::join(std::vector<std::string>(counts.size(), "0"), ", "));
        }
        const std::string sql =
            fmt::format("SELECT count(*), coalesce(string_agg(r, E'\\n' ORDER BY r), '') FROM "
                        "(SELECT ROW({})::text AS r FROM sileram.\"{}\"{}) x",
                        fmt::join(all, ", "), name, where);
        const postgres::Result rows = c.exec(sql.c_str());
        snapshot += fmt::format("== {} ({} rows)\n{}\n", name, rows.text(0, 0), rows.text(0, 1));
    }
    return snapshot;
}

// Turns the triggers off, fills the derived tables and turns the triggers on, in one
// transaction, as a copy or an import into an empty database does.
void refill_derived(postgres::Connection& c,
                    postgres::DerivedIndexes indexes = postgres::DerivedIndexes::keep) {
    c.exec("BEGIN");
    postgres::disable_derived_triggers(c);
    postgres::fill_derived_tables(c, indexes);
    postgres::enable_derived_triggers(c);
    c.exec("COMMIT");
}

std::int64_t pg_count(postgres::Connection& c, const char* sql) {
    return c.exec(sql).integer(0, 0);
}

} // namespace

TEST_CASE("postgresql: the derived tables filled once from the base tables are the ones the "
          "triggers kept [pg]") {
    const std::string db = k_postgres.fresh();
    {
        auto store = open_store(db, Access::write);
        // Through the store: signals in every state the reports look at (actions, decisions,
        // root causes, measurements, joins, customers), a duplicate and a recurrence.
        fill_for_reports(*store);
        const SignalId parked =
            submit_for_reports(*store, "Later bekijken", "agent6@example.nl",
                               "2026-10-05T08:00:00Z", {{"channel", "web"}, {"process", "retour"}});
        walk_to(*store, parked, State::analysed, 50, 1);
        change(*store, parked, "2026-10-06T08:00:00Z", [](Signal& s, const Stamp& st) {
            prioritise(s, Verdict::park, "later", date("2026-12-01"), st);
        });
        const SignalId dropped = submit_for_reports(*store, "Niet doen", "agent7@example.nl",
                                                    "2026-10-07T08:00:00Z", {});
        walk_to(*store, dropped, State::analysed, 10, 1);
        change(*store, dropped, "2026-10-08T08:00:00Z", [](Signal& s, const Stamp& st) {
            prioritise(s, Verdict::drop, "te klein", std::nullopt, st);
        });
        const SignalId needs_info = submit_for_reports(*store, "Wat bedoelt u", "agent8@example.nl",
                                                       "2026-10-09T08:00:00Z", {});
        change(*store, needs_info, "2026-10-10T08:00:00Z",
               [](Signal& s, const Stamp& st) { ask_for_info(s, "welk contract?", st); });
        // A bulk import into a database with signals (the triggers on), in one statement per
        // table: fields, submitters and history of many signals at once.
        WriteTransaction tx(*store);
        auto bulk = store->bulk_insert();
        for (int i = 0; i < 40; ++i) {
            Signal s = new_signal(fmt::format("Import {}", i), "uit het CRM");
            s.submitted_at = at(fmt::format("2026-0{}-1{}T0{}:00:00Z", 7 + i % 3, i % 10, i % 9));
            s.updated_at = s.submitted_at;
            s.history.front().stamp.at = s.submitted_at;
            s.submitters.front().joined_at = s.submitted_at;
            s.external_id = fmt::format("CRM-{}", i);
            if (i % 3 != 0) {
                s.fields = {{"channel", i % 2 == 0 ? "phone" : "email"},
                            {"customer", i % 4 == 1 ? "Acme BV" : "Gamma"},
                            {"region", "oost"}};
            }
            CHECK(bulk->add(s));
        }
        bulk->finish();
        tx.commit();
    }
    postgres::Connection c(db);
    // Many rows in single statements, moves and deletes: tally rows counted down to zero.
    c.script(R"sql(
UPDATE signals SET contacts = 40 + id, satisfaction_impact = 1 + id % 5,
       cost_per_contact_cents = 250, process = (ARRAY['retour', 'levering'])[1 + id % 2]
WHERE external_id IS NOT NULL AND id % 2 = 0;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT id, '2026-10-1' || (id % 9) || 'T10:00:00Z', 'lead', 'accept', 'submitted', 'accepted'
FROM signals WHERE external_id IS NOT NULL AND id % 3 = 1;
UPDATE signals SET state = 'accepted', step = 2
WHERE external_id IS NOT NULL AND id % 3 = 1;
INSERT INTO actions (signal_id, number, title, status, due, cost_cents, created_at)
SELECT id, 1, 'Actie', (ARRAY['planned', 'in-progress', 'done'])[1 + id % 3],
       '2026-12-0' || (1 + id % 8), 700, '2026-11-01T09:00:00Z'
FROM signals WHERE external_id IS NOT NULL AND id % 3 = 1;
UPDATE signals SET state = 'approved', step = 7 WHERE external_id IS NOT NULL AND id % 6 = 1;
UPDATE signals SET customer = 'ACME BV', channel = NULL WHERE external_id IS NOT NULL
  AND id % 5 = 0;
DELETE FROM actions WHERE signal_id IN (SELECT id FROM signals WHERE external_id = 'CRM-4');
DELETE FROM step_stays WHERE signal_id IN (SELECT id FROM signals WHERE external_id IN ('CRM-4', 'CRM-9'));
DELETE FROM history WHERE signal_id IN (SELECT id FROM signals WHERE external_id IN ('CRM-4', 'CRM-9'));
DELETE FROM submitters WHERE signal_id IN (SELECT id FROM signals WHERE external_id IN ('CRM-4', 'CRM-9'));
DELETE FROM signal_fields WHERE signal_id IN (SELECT id FROM signals WHERE external_id IN ('CRM-4', 'CRM-9'));
DELETE FROM signals WHERE external_id IN ('CRM-4', 'CRM-9');
)sql");
    const std::string kept = derived_snapshot(c);
    INFO(kept);
    // Every derived table holds rows (the test reaches them all), some of them rows of zero.
    CHECK(pg_count(c, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                      "c.relnamespace WHERE n.nspname = 'sileram' AND c.relkind = 'r' AND "
                      "(c.relname = 'step_stays' OR c.relname LIKE 'tally\\_%')") >= 21);
    CHECK_FALSE(contains(kept, "(0 rows)"));
    CHECK(pg_count(c, "SELECT count(*) FROM tally_states WHERE signals = 0") > 0);
    // Spoilt by hand, then filled again: every row as the triggers kept it.
    c.script("UPDATE tally_states SET signals = signals + 5; DELETE FROM tally_responses; "
             "DELETE FROM step_stays WHERE id % 2 = 0; "
             "INSERT INTO tally_submitted VALUES ('nobody@example.nl', 3)");
    CHECK(derived_snapshot(c) != kept);
    refill_derived(c);
    CHECK(derived_snapshot(c) == kept);
    CHECK(pg_count(c, "SELECT count(*) FROM tally_states WHERE signals = 0") == 0);
    // The same with the derived tables' indexes dropped before the rows and built after them
    // (an import into an empty database): the same rows, the same indexes.
    const char* indexes = "SELECT md5(string_agg(indexdef, ';' ORDER BY indexname)) || count(*) "
                          "FROM pg_indexes WHERE schemaname = 'sileram'";
    const std::string index_definitions = c.exec(indexes).text(0, 0);
    refill_derived(c, postgres::DerivedIndexes::rebuild);
    CHECK(derived_snapshot(c) == kept);
    CHECK(c.exec(indexes).text(0, 0) == index_definitions);
    // The fill refuses to run with the triggers on (it would count the stays twice)...
    c.exec("BEGIN");
    CHECK_THROWS_AS(postgres::fill_derived_tables(c), std::logic_error);
    c.exec("ROLLBACK");
    // ...and leaves them on: a new signal is counted at once.
    const std::int64_t submitted =
        pg_count(c, "SELECT coalesce(sum(signals), 0) FROM tally_states WHERE state = 'submitted'");
    {
        auto store = open_store(db, Access::write);
        add(*store, new_signal("Na het vullen"));
    }
    CHECK(pg_count(c, "SELECT sum(signals) FROM tally_states WHERE state = 'submitted'") ==
          submitted + 1);
    CHECK(pg_count(c, "SELECT count(*) FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid "
                      "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = 'sileram' "
                      "AND NOT t.tgisinternal AND t.tgenabled = 'D'") == 0);
}

TEST_CASE("postgresql: a statement that waits too long for a lock says busy, naming itself [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    postgres::Connection holder(db);
    holder.exec("BEGIN");
    holder.exec("LOCK TABLE signals IN ACCESS EXCLUSIVE MODE");
    postgres::Connection waiter(db);
    waiter.exec("SET lock_timeout = '100ms'");
    // As the store's statements are written: a raw string that begins with a line break.
    const char* statement = R"sql(
SELECT count(*) FROM signals
)sql";
    CHECK_THROWS_WITH_AS(waiter.exec(statement),
                         "the database is busy: another sileram held it while SELECT count(*) "
                         "FROM signals; try again",
                         TemporaryFailure);
    holder.exec("ROLLBACK");
}

TEST_CASE("postgresql: an import into an empty database writes the same rows with a second "
          "connection for the search vectors and without one [pg]") {
    // The whole database as text: every signal with its search vector, the other rows an import
    // writes, the derived tables, the indexes and the constraints (made again after the rows).
    const auto dump = [](postgres::Connection& c) {
        return c.exec(R"sql(
SELECT concat_ws(E'\n',
    (SELECT string_agg(concat_ws('|', id, title, description, state, step, submitted_by,
                                 submitted_at, external_id, channel, customer, search::text),
                       E'\n' ORDER BY id) FROM signals),
    (SELECT string_agg(concat_ws('|', signal_id, name, value), E'\n' ORDER BY signal_id, name)
     FROM signal_fields),
    (SELECT string_agg(concat_ws('|', signal_id, email, via), E'\n' ORDER BY signal_id)
     FROM submitters),
    (SELECT string_agg(concat_ws('|', signal_id, event, to_state), E'\n' ORDER BY signal_id)
     FROM history),
    (SELECT string_agg(indexdef, E'\n' ORDER BY indexname) FROM pg_indexes
     WHERE schemaname = 'sileram'),
    (SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\n' ORDER BY conname)
     FROM pg_constraint WHERE connamespace = 'sileram'::regnamespace))
)sql")
                   .text(0, 0) +
               derived_snapshot(c);
    };
    // 12,345 signals: batches of 5,000 and a rest; accents and repeats in the words.
    const auto import = [&](bool second_connection, std::vector<std::string>& phases) {
        const std::string db = k_postgres.fresh();
        CHECK(initialise_database(db) == current_schema_version());
        postgres::Connection c(db);
        c.exec("BEGIN");
        const auto helper = [&]() -> std::unique_ptr<postgres::Connection> {
            if (!second_connection) {
                throw TemporaryFailure("sorry, too many clients already");
            }
            return std::make_unique<postgres::Connection>(db);
        };
        auto bulk = postgres::start_bulk_insert(
            c, helper, [](Signal&) { FAIL("every imported signal goes by COPY"); });
        for (int i = 0; i < 12345; ++i) {
            Signal s = new_signal(fmt::format("Factuur {} dubbel, Café {}", i, i % 17),
                                  i % 3 == 0 ? "" : "De FACTUUR kwam twee keer; één keer betaald");
            s.submitted_at = at(fmt::format("2026-0{}-1{}T0{}:00:00Z", 1 + i % 9, i % 10, i % 9));
            s.updated_at = s.submitted_at;
            s.history.front().stamp.at = s.submitted_at;
            s.submitters.front().joined_at = s.submitted_at;
            s.external_id = fmt::format("CRM-{}", i);
            s.fields = {{"channel", i % 2 == 0 ? "phone" : "email"}, {"regio", "oost"}};
            CHECK(bulk->add(s));
            CHECK(s.id == i + 1);
        }
        bulk->finish();
        c.exec("COMMIT");
        for (const BulkPhase& phase : bulk->phases()) {
            phases.push_back(phase.name);
        }
        return dump(c);
    };
    std::vector<std::string> two;
    std::vector<std::string> one;
    const std::string with_helper = import(true, two);
    CHECK(import(false, one) == with_helper);
    CHECK(std::find(two.begin(), two.end(), "wait for search vectors") != two.end());
    CHECK(std::find(one.begin(), one.end(), "make search vectors") != one.end());
    CHECK(contains(with_helper, "\n12343|Factuur 12342 dubbel, Café 0||submitted|1|"));
    CHECK(contains(with_helper, "'cafe':4"));
    CHECK(contains(with_helper, "history_signal_id_fkey FOREIGN KEY (signal_id)"));
}

namespace {

// Runs `sql` on `db` in a transaction of its own and gives the tallies it wrote to or locked for
// writing before its commit, sorted: a statement of a trigger that ran took its lock on its
// tally, one that its guard skipped (version 14) never planned it and took none.
std::string pg_tallies_written(const std::string& db, const std::string& sql) {
    PGconn* c = pg_session(db, ("SET search_path = sileram; BEGIN; " + sql).c_str());
    PGresult* r = PQexec(c, "SELECT coalesce(string_agg(c.relname, ' ' ORDER BY c.relname), '') "
                            "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                            "WHERE l.pid = pg_backend_pid() AND l.mode = 'RowExclusiveLock' "
                            "AND c.relkind = 'r' AND c.relname LIKE 'tally\\_%'");
    const std::string error = PQresultErrorMessage(r);
    REQUIRE_MESSAGE(PQresultStatus(r) == PGRES_TUPLES_OK, error);
    std::string tallies = PQgetvalue(r, 0, 0);
    PQclear(r);
    r = PQexec(c, "COMMIT");
    REQUIRE(PQresultStatus(r) == PGRES_COMMAND_OK);
    PQclear(r);
    PQfinish(c);
    return tallies;
}

// tally_words against the words of every signal's `search`: the rows in one and not in the
// other (rows of zero left out), "; ", the rows of the tally.
constexpr const char* k_words_against_signals = R"sql(
WITH counted AS (
    SELECT w.lexeme COLLATE "C" AS word, count(*) AS signals
    FROM signals s CROSS JOIN LATERAL unnest(s.search) w GROUP BY 1),
tallied AS (SELECT word, signals FROM tally_words WHERE signals <> 0)
SELECT concat((SELECT count(*) FROM ((TABLE counted EXCEPT ALL TABLE tallied)
                                     UNION ALL (TABLE tallied EXCEPT ALL TABLE counted)) d),
              '; ', (SELECT count(*) FROM tallied))
)sql";

} // namespace

TEST_CASE(
    "postgresql: versions 14 and 15 run a tally's upkeep only for the writes that can change it, "
    "and the tallies stay exact either way [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    // Each write, the tallies it wrote to; then every tally against the tables.
    const auto writes = [&db](const std::string& sql) {
        std::string written = pg_tallies_written(db, sql);
        const std::string signals = pg_tallies_against_signals(db);
        const std::string overdue = pg_overdue_tallies_against_tables(db);
        const std::string words = pg_text(db, k_words_against_signals);
        INFO(signals, " ", overdue, " ", words);
        CHECK(signals.starts_with("0/0/0/0/0; "));
        CHECK(overdue.starts_with("0/0/0; "));
        CHECK(words.starts_with("0; "));
        return written;
    };
    // A submit: a new signal is not closed and has no contacts, verdict, closing, measurement,
    // action or join; its first stay waits.
    CHECK(writes(R"sql(
INSERT INTO signals (id, title, state, step, submitted_by, submitted_at, updated_at, channel,
                     search)
VALUES (1, 'Nieuw', 'submitted', 1, 'a@example.nl', '2026-11-23T12:00:00Z',
        '2026-11-23T12:00:00Z', 'mail', to_tsvector('sileram.search', 'de factuur is nieuw'));
INSERT INTO history (signal_id, at, by, event, to_state)
VALUES (1, '2026-11-23T12:00:00Z', 'a@example.nl', 'submit', 'submitted');
INSERT INTO submitters (signal_id, email, joined_at, via)
VALUES (1, 'a@example.nl', '2026-11-23T12:00:00Z', 'submit');
)sql") == "tally_fields tally_late tally_months tally_response_days tally_responses "
          "tally_states tally_submitted tally_submitted_oldest tally_unanswered tally_waiting "
          "tally_words");
    CHECK(pg_text(db, "SELECT string_agg(word || '=' || signals, ' ' ORDER BY word) "
                      "FROM tally_words") == "de=1 factuur=1 is=1 nieuw=1");
    // A write of columns no tally reads, and one that matches no row: nothing.
    CHECK(writes("UPDATE signals SET updated_at = '2026-11-24T08:00:00Z', description = 'x' "
                 "WHERE id = 1; UPDATE history SET detail = 'y' WHERE signal_id = 1; "
                 "UPDATE signals SET state = 'closed' WHERE id = 99")
              .empty());
    // Accepted: a verdict and first response, a move to step 2 (the stay of step 1 ends).
    CHECK(writes(R"sql(
UPDATE signals SET state = 'accepted', step = 2, updated_at = '2026-11-25T09:00:00Z' WHERE id = 1;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
VALUES (1, '2026-11-25T09:00:00Z', 'lead', 'accept', 'submitted', 'accepted');
)sql") == "tally_late tally_months tally_response_days tally_responses tally_states tally_stays "
          "tally_submitted_oldest tally_unanswered tally_verdicts tally_waiting");
    // Analysed with contacts: the impact cell and the fields' open sums.
    CHECK(writes("UPDATE signals SET state = 'analysed', step = 3, contacts = 120, "
                 "satisfaction_impact = 3, cost_per_contact_cents = 450 WHERE id = 1") ==
          "tally_fields tally_impact tally_late tally_states tally_submitted_oldest");
    // Actions of a signal not carried out and not measured: neither `report overdue` nor
    // `report effect` counts them yet; carried out, the overdue ones count.
    CHECK(writes("INSERT INTO actions (signal_id, number, title, status, due, cost_cents, "
                 "created_at) VALUES (1, 1, 'Actie', 'planned', '2026-12-01', 500, "
                 "'2026-11-25T10:00:00Z')")
              .empty());
    CHECK(writes("UPDATE signals SET state = 'approved', step = 7 WHERE id = 1") ==
          "tally_due tally_due_signals tally_impact tally_late tally_states "
          "tally_submitted_oldest");
    CHECK(writes("UPDATE actions SET due = '2026-12-02' WHERE signal_id = 1") ==
          "tally_due tally_due_signals");
    // Measured: the savings and the effect; then an action's cost counts for the effect.
    CHECK(writes("UPDATE signals SET state = 'measured', step = 9 WHERE id = 1; "
                 "INSERT INTO measurements (signal_id, contacts, measured_by, measured_at) "
                 "VALUES (1, 80, 'lead', '2026-12-10T09:00:00Z')") ==
          "tally_due tally_due_signals tally_effect tally_fields tally_impact tally_late "
          "tally_months tally_saved tally_states tally_submitted_oldest");
    CHECK(writes("UPDATE actions SET cost_cents = 700 WHERE signal_id = 1") == "tally_effect");
    // Closed with a root cause and a measurement: it can recur. A join counts while it is open.
    CHECK(writes("INSERT INTO submitters (signal_id, email, joined_at, via) "
                 "VALUES (1, 'b@example.nl', '2026-12-11T09:00:00Z', 'join')") ==
          "tally_joined tally_joined_oldest tally_joins");
    CHECK(writes("INSERT INTO root_causes (signal_id, cause, recorded_by, recorded_at) "
                 "VALUES (1, 'Oorzaak', 'lead', '2026-12-01T09:00:00Z')")
              .empty());
    CHECK(writes("UPDATE signals SET state = 'closed', step = 10 WHERE id = 1; "
                 "INSERT INTO history (signal_id, at, by, event, from_state, to_state) "
                 "VALUES (1, '2026-12-12T09:00:00Z', 'lead', 'close', 'measured', 'closed')") ==
          "tally_closings tally_impact tally_joined tally_joined_oldest tally_joins tally_late "
          "tally_months tally_recurrable tally_recurring tally_states tally_stays "
          "tally_submitted tally_submitted_oldest tally_waiting");
    // A closed signal, its root cause and measurement written in one statement, as a copy may.
    CHECK(writes(R"sql(
WITH s AS (INSERT INTO signals (id, title, state, step, submitted_by, submitted_at, updated_at,
                                process)
           VALUES (2, 'Gesloten', 'closed', 10, 'c@example.nl', '2026-10-01T09:00:00Z',
                   '2026-10-20T09:00:00Z', 'levering') RETURNING id),
     c AS (INSERT INTO root_causes (signal_id, cause, recorded_by, recorded_at)
           SELECT id, 'Oorzaak', 'lead', '2026-10-05T09:00:00Z' FROM s)
INSERT INTO measurements (signal_id, contacts, measured_by, measured_at)
SELECT id, 5, 'lead', '2026-10-15T09:00:00Z' FROM s;
)sql")
              .find("tally_recurring") != std::string::npos);
    CHECK(pg_text(db, "SELECT string_agg(process || '=' || signals, ',' ORDER BY process) "
                      "FROM tally_recurrable WHERE signals <> 0") == "=1,levering=1");
    // New words, and a second signal with some of the same in one statement with two more.
    CHECK(writes("UPDATE signals SET search = to_tsvector('sileram.search', 'de factuur klopt "
                 "niet') WHERE id = 1") == "tally_words");
    CHECK(writes("INSERT INTO signals (id, title, state, step, submitted_by, submitted_at, "
                 "updated_at, search) SELECT i, 'Ook', 'submitted', 1, 'a@example.nl', "
                 "'2026-11-23T12:00:00Z', '2026-11-23T12:00:00Z', to_tsvector('sileram.search', "
                 "'factuur ' || i) FROM generate_series(3, 5) i")
              .find("tally_words") != std::string::npos);
    CHECK(pg_text(db, "SELECT string_agg(word || '=' || signals, ' ' ORDER BY word) "
                      "FROM tally_words WHERE signals <> 0") ==
          "3=1 4=1 5=1 de=1 factuur=4 klopt=1 niet=1");
    // Deletes write the tallies of what goes.
    // Closed: not counted by version 13; version 15 computes the address's oldest join again.
    CHECK(writes("DELETE FROM submitters WHERE via = 'join'") == "tally_joined_oldest");
    CHECK(writes("DELETE FROM measurements WHERE signal_id = 2; "
                 "DELETE FROM root_causes WHERE signal_id = 2; "
                 "DELETE FROM signals WHERE id = 2")
              .find("tally_recurring") != std::string::npos);
    CHECK(writes("DELETE FROM signals WHERE id IN (4, 5)").find("tally_words") !=
          std::string::npos);
    const std::string words = pg_text(db, k_words_against_signals);
    CHECK(words == "0; 5");
    // Back to version 11: version 14 counts the words from the data, the same rows.
    pg_run(db, SILERAM_BACK_TO_V11 "UPDATE schema_version SET version = 11");
    CHECK(initialise_database(db) == current_schema_version());
    CHECK(pg_text(db, k_words_against_signals) == words);
}

namespace {

// Each tally of schema 15 against the same figures computed from the signals, their history,
// decisions and joins (late_sql.hpp's facts of lateness; the oldest signal and join not closed
// per address as spelled, with the address ignoring ASCII case): the rows in one and not in the
// other, as "late/submitted/joined mismatched rows; rows of the tallies".
constexpr const char* k_late_tallies_against_tables = R"sql(
WITH counted_late AS (
    SELECT s.id, s.state, s.submitted_at,
           coalesce((SELECT h.at FROM history h WHERE h.signal_id = s.id
                     AND (h.from_state IS NULL OR h.from_state <> h.to_state)
                     ORDER BY h.id DESC LIMIT 1), s.submitted_at) AS entered_at,
           EXISTS (SELECT 1 FROM history h WHERE h.signal_id = s.id
                   AND h.from_state = 'submitted' AND h.to_state <> 'submitted') AS responded,
           (SELECT d.until FROM decisions d WHERE d.signal_id = s.id AND d.verdict = 'park'
            ORDER BY d.id DESC LIMIT 1) AS parked_until
    FROM signals s WHERE s.state <> 'closed'),
tallied_late AS (
    SELECT signal_id, state, submitted_at, entered_at, responded, parked_until FROM tally_late),
counted_submitted AS (
    SELECT DISTINCT ON (submitted_by) submitted_by AS email, ascii_lower(submitted_by),
           submitted_at, id FROM signals WHERE state <> 'closed'
    ORDER BY submitted_by, submitted_at, id),
tallied_submitted AS (
    SELECT email, address, submitted_at, signal_id FROM tally_submitted_oldest),
counted_joined AS (
    SELECT DISTINCT ON (u.email) u.email, ascii_lower(u.email), u.joined_at, u.signal_id
    FROM submitters u JOIN signals s ON s.id = u.signal_id
    WHERE u.via <> 'submit' AND s.state <> 'closed'
    ORDER BY u.email, u.joined_at, u.signal_id),
tallied_joined AS (SELECT email, address, joined_at, signal_id FROM tally_joined_oldest)
)sql";

std::string pg_late_tallies_against_tables(const std::string& db) {
    return pg_text(db, overdue_mismatches(k_late_tallies_against_tables, "late").c_str());
}

} // namespace

TEST_CASE("postgresql: the tallies of version 15 (late signals, silent submitters) follow every "
          "insert, update, delete and move, and version 15 fills them the same [pg]") {
    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    const auto exact = [&db] {
        std::string found = pg_late_tallies_against_tables(db);
        INFO(found);
        CHECK(found.starts_with("0/0/0; "));
        return found;
    };
    // Through the store: two signals by the same address in two spellings, one triaged with a
    // question, then parked until a day, the other joined by a second address.
    {
        auto store = open_store(db, Access::write);
        Signal first = new_signal("De factuur is onduidelijk");
        first.submitted_by = "Anna@example.nl";
        first.submitters.front().email = first.submitted_by;
        const SignalId first_id = add(*store, first);
        Signal second = new_signal("De app start niet");
        second.submitted_by = "anna@example.nl";
        second.submitted_at = at("2026-11-20T08:00:00Z");
        second.submitters.front().email = second.submitted_by;
        second.submitters.front().joined_at = second.submitted_at;
        second.submitters.push_back(
            Submitter{0, "Bert@example.nl", at("2026-11-24T10:00:00Z"), "join"});
        add(*store, second);
        WriteTransaction tx(*store);
        Signal w = *store->load(first_id);
        w.state = State::parked;
        w.step = 4;
        w.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-24T09:00:00Z")}, "needs-info",
                                         State::submitted, State::needs_info, "?"});
        w.history.push_back(HistoryEntry{0, Stamp{"lead", at("2026-11-25T09:00:00Z")}, "park",
                                         State::needs_info, State::parked, ""});
        w.decisions.push_back(Decision{0, Gate::prioritise, Verdict::park, "later",
                                       parse_date("2026-12-01"),
                                       Stamp{"lead", at("2026-11-25T09:00:00Z")}});
        store->save(w);
        tx.commit();
    }
    CHECK(exact() == "0/0/0; 2+2+1");
    // Many rows in one statement, as a copy writes them: signals in many states by addresses
    // that differ in case, their history (state changes, notes, first responses), parks and
    // joins.
    pg_run(db, R"sql(
INSERT INTO signals (id, title, state, step, submitted_by, submitted_at, updated_at)
SELECT 2 + i, 'Signaal ' || i,
       (ARRAY['submitted', 'parked', 'in-progress', 'closed', 'needs-info', 'accepted'])[1 + i % 6],
       1 + i % 10, (ARRAY['piet@example.nl', 'Piet@example.nl', 'kees@example.nl'])[1 + i % 3],
       '2026-0' || (7 + i % 3) || '-1' || i % 10 || 'T12:00:00Z', '2026-11-23T12:00:00Z'
FROM generate_series(1, 200) i;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT id, submitted_at, by_, 'submit', NULL, 'submitted'
FROM (SELECT id, submitted_at, 'lead' AS by_ FROM signals WHERE id > 2) s;
INSERT INTO history (signal_id, at, by, event, from_state, to_state)
SELECT id, '2026-10-0' || (1 + id % 9) || 'T08:00:00Z', 'lead',
       (ARRAY['accept', 'needs-info', 'note'])[1 + id % 3],
       (ARRAY['submitted', 'submitted', 'accepted'])[1 + id % 3],
       (ARRAY['accepted', 'needs-info', 'accepted'])[1 + id % 3]
FROM signals WHERE id > 2 AND id % 4 <> 0;
INSERT INTO decisions (signal_id, gate, verdict, reason, until, decided_by, decided_at)
SELECT id, 'prioritise', (ARRAY['park', 'go', 'park'])[1 + id % 3], 'r',
       CASE WHEN id % 5 = 0 THEN NULL ELSE '2026-1' || (id % 2) || '-0' || (1 + id % 9) END,
       'lead', '2026-10-10T08:00:00Z'
FROM signals WHERE id > 2 AND id % 2 = 0;
INSERT INTO submitters (signal_id, email, joined_at, via)
SELECT id, submitted_by, submitted_at, 'submit' FROM signals WHERE id > 2;
INSERT INTO submitters (signal_id, email, joined_at, via)
SELECT id, (ARRAY['joop@example.nl', 'JOOP@example.nl', 'mies@example.nl'])[1 + id % 3],
       '2026-10-0' || (1 + id % 9) || 'T08:00:00Z', (ARRAY['join', 'merge'])[1 + id % 2]
FROM signals WHERE id > 2 AND id % 2 = 0;
)sql");
    const std::string after_insert = exact();
    CHECK(after_insert != "0/0/0; 2+1+1");
    // Moves into and out of `closed` and between states, new moments and addresses, history
    // rows changed and moved to another signal, parks changed, joins changed and moved, in one
    // statement and in single ones.
    pg_run(db, "UPDATE signals SET state = 'closed', step = 10 WHERE id % 5 = 2");
    pg_run(db, "UPDATE signals SET state = 'approved', step = 7 WHERE id % 7 = 4");
    pg_run(db, "UPDATE signals SET state = 'submitted', step = 1 WHERE id % 10 = 3");
    pg_run(db, "UPDATE signals SET submitted_at = '2026-06-30T23:00:00Z' WHERE id % 11 = 5");
    pg_run(db, "UPDATE signals SET submitted_by = 'KEES@example.nl' WHERE id % 7 = 3");
    pg_run(db, "UPDATE signals SET updated_at = '2026-11-30T12:00:00Z' WHERE id % 2 = 0");
    pg_run(db, "UPDATE history SET at = '2026-09-09T09:00:00Z' WHERE id % 7 = 0");
    pg_run(db, "UPDATE history SET from_state = 'accepted' WHERE event = 'note' AND id % 2 = 0");
    pg_run(db, "UPDATE history SET to_state = 'submitted' WHERE event = 'accept' AND id % 3 = 0");
    pg_run(db, "UPDATE history SET signal_id = 3 WHERE signal_id = 8 AND event <> 'submit'");
    pg_run(db, "UPDATE decisions SET until = '2027-01-15' WHERE id % 3 = 0");
    pg_run(db, "UPDATE decisions SET verdict = 'drop' WHERE verdict = 'park' AND id % 4 = 1");
    pg_run(db,
           "UPDATE submitters SET email = 'mies@example.nl' WHERE via <> 'submit' AND id % 5 = 0");
    pg_run(db, "UPDATE submitters SET via = 'submit' WHERE via = 'merge' AND id % 3 = 0");
    pg_run(db, "UPDATE submitters SET joined_at = '2026-01-01T00:00:00Z' WHERE id % 7 = 0");
    pg_run(db, "UPDATE submitters SET signal_id = 3 WHERE via <> 'submit' AND signal_id = 10");
    // A signal closed and opened again in one transaction.
    pg_run(db, "BEGIN; UPDATE signals SET state = 'closed', step = 10 WHERE id = 9; "
               "UPDATE signals SET state = 'parked', step = 4 WHERE id = 9; COMMIT");
    // A signal and its history written in one statement.
    pg_run(db, "WITH s AS (INSERT INTO signals (id, title, state, step, submitted_by, "
               "submitted_at, updated_at) VALUES (500, 'Samen', 'accepted', 2, 'kees@example.nl', "
               "'2026-05-01T00:00:00Z', '2026-11-01T00:00:00Z') RETURNING id) "
               "INSERT INTO history (signal_id, at, by, event, from_state, to_state) "
               "SELECT id, '2026-11-02T00:00:00Z', 'lead', 'accept', 'submitted', 'accepted' "
               "FROM s");
    exact();
    // Deletes: history rows, decisions, joins, then signals with all their rows.
    pg_run(db, "DELETE FROM history WHERE id % 5 = 0 AND event <> 'submit'");
    pg_run(db, "DELETE FROM decisions WHERE id % 4 = 0");
    pg_run(db, "DELETE FROM submitters WHERE via <> 'submit' AND id % 4 = 0");
    pg_run(db, "DELETE FROM history WHERE signal_id > 2 AND signal_id % 9 = 0; "
               "DELETE FROM decisions WHERE signal_id > 2 AND signal_id % 9 = 0; "
               "DELETE FROM submitters WHERE signal_id > 2 AND signal_id % 9 = 0; "
               "DELETE FROM step_stays WHERE signal_id > 2 AND signal_id % 9 = 0; "
               "DELETE FROM signals WHERE id > 2 AND id % 9 = 0");
    const std::string kept = exact();
    // A transaction that rolls back leaves the tallies as they were.
    pg_run(db, "BEGIN; DELETE FROM decisions; DELETE FROM submitters WHERE via <> 'submit'; "
               "DELETE FROM history WHERE signal_id > 100; UPDATE signals SET state = 'closed'; "
               "ROLLBACK");
    CHECK(pg_late_tallies_against_tables(db) == kept);
    // Back to version 11: versions 12 to 15 fill the tallies from the data, the same figures.
    pg_run(db, SILERAM_BACK_TO_V11 "UPDATE schema_version SET version = 11");
    CHECK(initialise_database(db) == current_schema_version());
    CHECK(pg_late_tallies_against_tables(db) == kept);
    // report customers folds with lower() in the collation "C", and ascii_lower is that since
    // version 16: the ASCII letters only, as version 6's translate() folded (every index on
    // ascii_lower(…) depends on the same text coming out).
    CHECK(pg_text(db, "SELECT string_agg(lower(w COLLATE \"C\"), '|') || ' ' || "
                      "bool_and(lower(w COLLATE \"C\") = ascii_lower(w)) "
                      "FROM unnest(ARRAY['ÉÀ Straße', 'ĞA İ', 'Zz@Example.NL']) w") ==
          "ÉÀ straße|Ğa İ|zz@example.nl true");
    CHECK(pg_text(db, "SELECT bool_and(ascii_lower(w) = translate(w, "
                      "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')) "
                      "FROM (SELECT chr(c) || 'ÉÀ Straße ĞA İ ǅ Ω' AS w "
                      "      FROM generate_series(1, 1000) c) t") == "t");
}

TEST_CASE("postgresql: a submit writes its step stay and tallies itself without firing the "
          "insert triggers, the same rows the triggers keep (version 17) [pg]") {
    // The insert triggers a submit would fire, made to fail: a submit does not fire them, any
    // other insert does.
    const std::string spoilt = k_postgres.fresh();
    CHECK(initialise_database(spoilt) == current_schema_version());
    {
        postgres::Connection c(spoilt);
        for (const char* name :
             {"tally_late_signals_insert", "tally_overdue_signals_insert", "tally_signals_insert",
              "tally_late_submitters_insert", "tally_overdue_submitters_insert",
              "step_stays_follow_history", "tally_history_insert", "tally_late_history_insert",
              "tally_step_stays_insert"}) {
            c.script(fmt::format("CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE "
                                 "plpgsql AS $$ BEGIN RAISE EXCEPTION 'fired'; END $$",
                                 name)
                         .c_str());
        }
        auto store = open_store(spoilt, Access::write);
        CHECK(add(*store, new_signal("De factuur is onduidelijk")) == 1);
        Signal accepted = new_signal("Al geaccepteerd");
        accept(accepted, Stamp{"lead", at("2026-11-24T09:00:00Z")});
        CHECK_THROWS_WITH(add(*store, accepted), doctest::Contains("fired"));
        CHECK(c.exec("SELECT count(*) FROM step_stays").integer(0, 0) == 1);
    }

    const std::string db = k_postgres.fresh();
    CHECK(initialise_database(db) == current_schema_version());
    {
        auto store = open_store(db, Access::write);
        // Submits of every kind the store writes the tallies of: fields, custom ones too, two
        // months, one address twice (the older signal stays its oldest), an acknowledgement,
        // figures.
        submit_for_reports(*store, "Bezorging te laat", "anna@example.nl", "2026-10-05T08:00:00Z",
                           {{"channel", "web"}, {"customer", "Acme BV"}, {"regio", "oost"}});
        submit_for_reports(*store, "Bezorging weer te laat", "Anna@example.nl",
                           "2026-11-02T08:00:00Z", {{"channel", "web"}, {"process", "levering"}});
        const SignalId first = submit_for_reports(*store, "De factuur is onduidelijk",
                                                  "bert@example.nl", "2026-11-03T08:00:00Z", {});
        Signal acknowledged = new_signal("De app start niet", "na de update");
        acknowledge(acknowledged, acknowledged.submitted_by, 5,
                    Stamp{"lead", at("2026-11-23T12:00:00Z")});
        add(*store, acknowledged);
        // Figures at the submit (none of sileram's commands gives them, the store allows them).
        Signal counted = new_signal("Met cijfers");
        counted.fields["channel"] = "web";
        counted.impact = Impact{300, 2, Decimal::from_hundredths(450), std::nullopt};
        add(*store, counted);
        // In one transaction with signals the triggers count: they fire again after a submit.
        WriteTransaction tx(*store);
        Signal plain = new_signal("Gewoon ingediend");
        store->insert(plain);
        Signal accepted = new_signal("Al geaccepteerd");
        accepted.fields["channel"] = "telefoon";
        accept(accepted, Stamp{"lead", at("2026-11-24T09:00:00Z")});
        store->insert(accepted);
        Signal joined = new_signal("Met een tweede indiener");
        joined.submitters.push_back(
            Submitter{0, "carla@example.nl", at("2026-11-23T13:00:00Z"), "join"});
        store->insert(joined);
        tx.commit();
        // A submitted signal's next steps, through the triggers, from the store's rows.
        walk_to(*store, first, State::analysed, 120, 3);
    }
    postgres::Connection c(db);
    const std::string kept = derived_snapshot(c);
    INFO(kept);
    CHECK(pg_tallies_against_signals(db).starts_with("0/0/0/0/0; "));
    CHECK(pg_overdue_tallies_against_tables(db).starts_with("0/0/0; "));
    CHECK(pg_text(db, k_words_against_signals).starts_with("0; "));
    refill_derived(c);
    CHECK(derived_snapshot(c) == kept);
}
