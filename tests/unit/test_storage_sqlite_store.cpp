// The feedback queue of the SQLite store: a mail is claimed by one run at a time, its fate is
// recorded only under that claim, and a record waits for the write lock as long as it is told.
#include "connection.hpp"
#include "intake.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/errors.hpp"
#include "sileram/storage/store.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace sileram;
using namespace sileram::storage;
using namespace std::chrono_literals;

namespace {

// A database with one signal and one queued mail (id 1), removed with its WAL files.
struct QueueDatabase {
    fs::path file = fs::temp_directory_path() / fmt::format("sileram-queue-{}.db", ::getpid());

    QueueDatabase() {
        remove();
        const auto store = open_store(file, Access::write);
        WriteTransaction transaction(*store);
        domain::NewSignal input;
        input.title = "Factuur onduidelijk";
        input.submitted_by = "a@example.nl";
        domain::Signal signal =
            domain::new_signal(input, {"a@example.nl", test_support::at("2026-11-23T12:00:00Z")});
        store->insert(signal);
        transaction.commit();
        sqlite::Connection db(file, sqlite::Connection::Mode::read_write_create);
        db.exec("INSERT INTO feedback (signal_id, recipient, outcome, status, queued_at) "
                "VALUES (1, 'a@example.nl', 'rejected', 'queued', '2026-11-23T12:00:00Z')");
    }
    ~QueueDatabase() { remove(); }
    void remove() const {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ignored;
            fs::remove(file.string() + suffix, ignored);
        }
    }

    std::string column(const char* name) const {
        sqlite::Connection db(file, sqlite::Connection::Mode::read_only);
        sqlite::Statement query =
            db.prepare(fmt::format("SELECT coalesce({}, 'NULL') FROM feedback WHERE id = 1", name));
        REQUIRE(query.step());
        return query.text(0);
    }
};

} // namespace

TEST_CASE("a mail is claimed by one run, and only that run records its fate") {
    QueueDatabase database;
    const auto first = open_store(database.file, Access::write);
    const auto second = open_store(database.file, Access::write);
    const auto now = test_support::at("2026-11-23T12:00:00Z");
    FeedbackQueue& queue = first->feedback_queue();

    const auto claimed = queue.claim_feedback(1, "host/1/aa", now, "sileram.1.1.aa@example.org");
    REQUIRE(claimed.has_value());
    CHECK(*claimed == "sileram.1.1.aa@example.org");
    CHECK(database.column("status") == "sending");
    CHECK(database.column("claim") == "host/1/aa");
    // The other run finds it taken, whichever connection it has.
    CHECK_FALSE(second->feedback_queue()
                    .claim_feedback(1, "host/2/bb", now, "sileram.1.1.bb@example.org")
                    .has_value());
    CHECK(queue.queued_feedback(0, 10).empty());
    const auto sending = queue.claimed_feedback();
    REQUIRE(sending.size() == 1);
    CHECK(sending[0].claim == "host/1/aa");
    CHECK(sending[0].claimed_at == now);

    // Only the claim's holder records; a temporary failure queues it again with its Message-ID.
    CHECK_FALSE(second->feedback_queue().mark_feedback_sent(1, "host/2/bb", now, 1s));
    CHECK(queue.mark_feedback_failed(1, "host/1/aa", now, "450 busy", Failure::temporary, 1s));
    CHECK(database.column("status") == "queued");
    CHECK(database.column("claim") == "NULL");
    const auto again =
        second->feedback_queue().claim_feedback(1, "host/2/bb", now, "sileram.1.1.bb@example.org");
    REQUIRE(again.has_value());
    CHECK(*again == "sileram.1.1.aa@example.org"); // every attempt carries the same
    CHECK(second->feedback_queue().mark_feedback_sent(1, "host/2/bb", now, 1s));
    CHECK(database.column("status") == "sent");
    CHECK(database.column("attempts") == "2");
}

TEST_CASE("recording waits for the write lock as long as it is told, then leaves the claim") {
    QueueDatabase database;
    const auto store = open_store(database.file, Access::write);
    const auto now = test_support::at("2026-11-23T12:00:00Z");
    FeedbackQueue& queue = store->feedback_queue();
    REQUIRE(queue.claim_feedback(1, "host/1/aa", now, "sileram.1.1.aa@example.org"));
    {
        sqlite::Connection other(database.file, sqlite::Connection::Mode::read_write_create);
        other.exec("BEGIN IMMEDIATE");
        const std::string message =
            test_support::message_of([&] { queue.mark_feedback_sent(1, "host/1/aa", now, 1s); });
        CHECK(test_support::contains(message, "stayed busy for 1 s"));
        CHECK(test_support::contains(message, "feedback 1"));
        other.exec("ROLLBACK");
    }
    CHECK(database.column("status") == "sending");
    CHECK(database.column("claim") == "host/1/aa");
    CHECK(queue.mark_feedback_sent(1, "host/1/aa", now, 1s));
    CHECK(database.column("status") == "sent");
}

// The SQLite bulk insert of `submit --from`: the CHECK constraints of `signals` are off while its
// rows go in (the one on `state` cost a temporary table per row), so the bulk insert itself must
// refuse what they guard, and they must hold again afterwards. A large import builds the random-
// order indexes of the signals afresh: they must all be there again, and sound.
namespace {

namespace bulk_fs = std::filesystem;

// A new database file for one case, removed with its WAL files.
struct BulkDatabase {
    bulk_fs::path file;

    explicit BulkDatabase(const char* name)
        : file(bulk_fs::temp_directory_path() /
               fmt::format("sileram-bulk-{}-{}.db", name, ::getpid())) {
        remove();
    }
    ~BulkDatabase() { remove(); }
    BulkDatabase(const BulkDatabase&) = delete;
    BulkDatabase& operator=(const BulkDatabase&) = delete;

    void remove() const {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            std::error_code ignored;
            bulk_fs::remove(file.string() + suffix, ignored);
        }
    }

    std::string scalar(const std::string& sql) const {
        sileram::storage::sqlite::Connection db(
            file, sileram::storage::sqlite::Connection::Mode::read_only);
        sileram::storage::sqlite::Statement query = db.prepare(sql);
        REQUIRE(query.step());
        return query.text(0);
    }
};

sileram::domain::Signal bulk_signal(int n) {
    sileram::domain::NewSignal input;
    input.title = fmt::format("Factuur {} onduidelijk", n);
    input.submitted_by = fmt::format("klant{}@example.nl", (n * 7919) % 1000);
    input.external_id = fmt::format("EXT-{}", n);
    return sileram::domain::new_signal(
        input, {"import@example.nl", test_support::at("2026-11-23T12:00:00Z")});
}

} // namespace

TEST_CASE("a bulk insert refuses a state, step or title the relaxed CHECKs would have refused") {
    using namespace sileram;
    const BulkDatabase database("checks");
    const auto store = storage::open_store(database.file, storage::Access::write);
    const auto refused = [&](domain::Signal bad) {
        storage::WriteTransaction transaction(*store);
        const auto bulk = store->bulk_insert();
        domain::Signal good = bulk_signal(1);
        CHECK(bulk->add(good));
        CHECK_THROWS_AS(bulk->add(bad), InvalidInput);
        // The transaction is not committed: nothing of the import stays.
    };
    domain::Signal state = bulk_signal(2);
    state.state = domain::State::accepted;
    refused(state);
    domain::Signal step = bulk_signal(3);
    step.step = 11;
    refused(step);
    domain::Signal step_zero = bulk_signal(4);
    step_zero.step = 0;
    refused(step_zero);
    domain::Signal long_title = bulk_signal(5);
    long_title.title = std::string(301, 'x');
    refused(long_title);
    domain::Signal empty_title = bulk_signal(6);
    empty_title.title.clear();
    refused(empty_title);
    CHECK(database.scalar("SELECT count(*) FROM signals") == "0");

    // After an import the CHECKs hold again, in a later write as in the import's own.
    {
        storage::WriteTransaction transaction(*store);
        const auto bulk = store->bulk_insert();
        domain::Signal good = bulk_signal(7);
        CHECK(bulk->add(good));
        bulk->finish();
        transaction.commit();
    }
    storage::sqlite::Connection db(database.file,
                                   storage::sqlite::Connection::Mode::read_write_create);
    CHECK_THROWS(db.exec("UPDATE signals SET state = 'bogus'"));
    CHECK_THROWS(db.exec("UPDATE signals SET step = 11"));
    CHECK_THROWS(db.exec("UPDATE signals SET title = ''"));
    CHECK(database.scalar("SELECT state || ' ' || step FROM signals") == "submitted 1");
}

TEST_CASE("a large bulk insert builds the indexes of the signals again, sound") {
    using namespace sileram;
    const BulkDatabase database("indexes");
    const auto store = storage::open_store(database.file, storage::Access::write);
    const std::string indexes = "SELECT group_concat(name, ' ') FROM (SELECT name FROM "
                                "sqlite_schema WHERE type = 'index' AND tbl_name IN ('signals', "
                                "'submitters', 'signal_fields') ORDER BY name)";
    const std::string before = database.scalar(indexes);
    CHECK(before.find("submitters_joined_email") != std::string::npos);
    // More than the 20,000 rows below which the indexes are kept up to date row by row.
    constexpr int rows = 20500;
    {
        storage::WriteTransaction transaction(*store);
        const auto bulk = store->bulk_insert();
        for (int n = 1; n <= rows; ++n) {
            domain::Signal s = bulk_signal(n);
            REQUIRE(bulk->add(s));
        }
        domain::Signal known = bulk_signal(1);
        CHECK_FALSE(bulk->add(known));
        bulk->finish();
        transaction.commit();
    }
    CHECK(database.scalar(indexes) == before);
    CHECK(database.scalar("PRAGMA integrity_check") == "ok");
    CHECK(database.scalar("SELECT count(*) FROM submitters") == std::to_string(rows));
    CHECK(database.scalar("SELECT count(*) FROM history") == std::to_string(rows));
    CHECK(database.scalar("SELECT count(*) FROM step_stays") == std::to_string(rows));
    // The search index, built beside the rows, holds every signal.
    CHECK(database.scalar("SELECT count(*) FROM signals_fts WHERE signals_fts MATCH "
                          "'factuur onduidelijk'") == std::to_string(rows));
    // The rebuilt indexes answer.
    CHECK(database.scalar("SELECT count(*) FROM signals INDEXED BY signals_state "
                          "WHERE state = 'submitted'") == std::to_string(rows));
    CHECK(database.scalar(
              "SELECT count(*) FROM signals INDEXED BY signals_open_submitter "
              "WHERE submitted_by = 'KLANT7@example.nl' COLLATE NOCASE AND state <> 'closed'") ==
          database.scalar("SELECT count(*) FROM signals NOT INDEXED "
                          "WHERE submitted_by = 'klant7@example.nl'"));
}

TEST_CASE(
    "a first bulk insert past the ids it keeps builds their index and lets it find the rest") {
    using namespace sileram;
    const BulkDatabase database("ids");
    storage::initialise_database(database.file);
    const std::string index = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                              "AND name = 'signals_external_id'";
    {
        storage::sqlite::Connection db(database.file,
                                       storage::sqlite::Connection::Mode::read_write_create);
        db.exec("BEGIN IMMEDIATE");
        const auto bulk = storage::sqlite::start_bulk_insert(db, 3);
        const auto add = [&](int n) {
            domain::Signal s = bulk_signal(n);
            return bulk->add(s);
        };
        CHECK(add(1));
        CHECK(add(2));
        CHECK_FALSE(add(1)); // found by the ids kept
        {
            storage::sqlite::Statement built = db.prepare(index);
            REQUIRE(built.step());
            CHECK(built.integer(0) == 0); // left out while the ids are kept
        }
        CHECK(add(3));
        CHECK(add(4)); // the fourth id: the index is built now
        CHECK_FALSE(add(2));
        CHECK_FALSE(add(4));
        CHECK(add(5));
        CHECK_FALSE(add(5));
        bulk->finish();
        db.exec("COMMIT");
    }
    CHECK(database.scalar(index) == "1");
    CHECK(database.scalar("SELECT group_concat(external_id, ' ') FROM signals") ==
          "EXT-1 EXT-2 EXT-3 EXT-4 EXT-5");
    CHECK(database.scalar("PRAGMA integrity_check") == "ok");
}
