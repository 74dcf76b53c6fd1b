// The feedback queue of the SQLite store: a mail is claimed by one run at a time, its fate is
// recorded only under that claim, and a record waits for the write lock as long as it is told.
#include "connection.hpp"
#include "sileram/domain/steps.hpp"
#include "sileram/errors.hpp"
#include "sileram/storage/store.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/format.h>
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
