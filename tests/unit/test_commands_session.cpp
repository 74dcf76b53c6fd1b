#include "sileram/commands/session.hpp"
#include "sileram/errors.hpp"
#include "support.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;
using sileram::commands::Session;
using sileram::storage::Access;

namespace {

// A session on a database file of its own in the temporary folder, removed at scope exit.
struct SessionOnTemporaryFile {
    fs::path file;
    std::ostringstream out;
    std::ostringstream err;
    Session session;

    explicit SessionOnTemporaryFile(std::string_view tag)
        : file(fs::temp_directory_path() /
               fmt::format("sileram-session-{}-{}.db", tag, ::getpid())),
          session({}, file, "tester@example.org",
                  std::make_unique<sileram::commands::FixedClock>(
                      test_support::at("2026-12-01T10:00:00Z")),
                  sileram::commands::Output{{}, {}, {}, {}, &out, &err}) {
        remove_files();
    }
    ~SessionOnTemporaryFile() { remove_files(); }
    void remove_files() const {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ignored;
            fs::remove(file.string() + suffix, ignored);
        }
    }
};

} // namespace

TEST_CASE("session: a store opened for reading is not swapped for a writer under its readers") {
    SessionOnTemporaryFile s("read-then-write");
    std::ofstream{s.file}.close(); // a file of 0 bytes reads as an empty database
    sileram::storage::Store& reader = s.session.store(Access::read);
    CHECK_THROWS_AS(s.session.store(Access::write), std::logic_error);
    // The reference handed out first still points at the session's one store, and it works.
    CHECK(&s.session.store(Access::read) == &reader);
    CHECK(reader.custom_field_names().empty());
    CHECK(fs::file_size(s.file) == 0); // a reader writes nothing
}

TEST_CASE("session: a database that does not exist is refused unless the command may create it") {
    SessionOnTemporaryFile s("missing");
    CHECK_THROWS_AS(s.session.store(Access::read), sileram::Refused);
    CHECK_THROWS_AS(s.session.store(Access::write), sileram::Refused);
    CHECK_FALSE(fs::exists(s.file));
}

TEST_CASE("session: a writer's store is opened once and serves reads too") {
    SessionOnTemporaryFile s("write-then-read");
    s.session.allow_creating_database();
    sileram::storage::Store& writer = s.session.store(Access::write);
    CHECK(&s.session.store(Access::read) == &writer);
    CHECK(&s.session.store(Access::write) == &writer);
    CHECK(fs::exists(s.file));
}

TEST_CASE("session: a missing file is refused even when its name has \"://\"; a PostgreSQL URI "
          "is no file") {
    std::ostringstream out;
    std::ostringstream err;
    const auto session_on = [&](const fs::path& database) {
        return Session({}, database, "tester@example.org",
                       std::make_unique<sileram::commands::FixedClock>(
                           test_support::at("2026-12-01T10:00:00Z")),
                       sileram::commands::Output{{}, {}, {}, {}, &out, &err});
    };
    const fs::path odd = fs::temp_directory_path() / fmt::format("nosuch-{}://x.db", ::getpid());
    Session on_file = session_on(odd);
    CHECK_THROWS_AS(on_file.store(Access::read), sileram::Refused);
    CHECK_FALSE(fs::exists(odd));
    // Nothing listens on port 1: the server is unreachable (exit 75), not a missing file (exit 1),
    // and the message names the server without the password.
    Session on_server = session_on("postgresql://someone:Geheim42xyz@127.0.0.1:1/quality");
    try {
        on_server.store(Access::read);
        FAIL("no error for an unreachable server");
    } catch (const sileram::Error& e) {
        CHECK(e.code() == sileram::ExitCode::temporary_failure);
        CHECK(test_support::contains(e.what(), "127.0.0.1:1"));
        CHECK_FALSE(test_support::contains(e.what(), "Geheim42xyz"));
        CHECK_FALSE(test_support::contains(e.what(), "no database at"));
    }
}
