#include "connection.hpp"

#include "sileram/errors.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <utility>

namespace sileram::storage::sqlite {

namespace {

// Long enough for an import or a mail run in another process to finish its transaction.
constexpr int k_busy_timeout_ms = 5000;

} // namespace

void fail(sqlite3* db, int code, std::string_view doing) {
    const int primary = code & 0xFF;
    const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        throw TemporaryFailure(fmt::format(
            "the database is busy: another sileram held it longer than {} s while {}; try again",
            k_busy_timeout_ms / 1000, doing));
    }
    if (primary == SQLITE_CONSTRAINT) {
        throw InvalidInput(fmt::format("{} was refused by the database: {}", doing, detail));
    }
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
        throw SystemFailure(
            fmt::format("{} is not a usable sileram database ({})",
                        db != nullptr ? sqlite3_db_filename(db, "main") : "the file", detail));
    }
    if (primary == SQLITE_FULL) {
        throw TemporaryFailure(fmt::format("the disk is full while {}: {}", doing, detail));
    }
    throw SystemFailure(fmt::format("database error while {}: {}", doing, detail));
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
    const int rc =
        sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_statement, nullptr);
    if (rc != SQLITE_OK) {
        fail(db, rc, "preparing a query");
    }
}

Statement::~Statement() {
    sqlite3_finalize(m_statement);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_statement(std::exchange(other.m_statement, nullptr)) {}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(m_statement, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    sqlite3_bind_text64(m_statement, index, value.data(), value.size(), SQLITE_TRANSIENT,
                        SQLITE_UTF8);
    return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
    sqlite3_bind_null(m_statement, index);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    sqlite3_reset(m_statement);
    fail(m_db, rc, "running a query");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(m_statement, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(m_statement, column);
}

std::string Statement::text(int column) const {
    const auto* bytes = sqlite3_column_text(m_statement, column);
    const int size = sqlite3_column_bytes(m_statement, column);
    return bytes == nullptr ? std::string()
                            : std::string(reinterpret_cast<const char*>(bytes), size);
}

std::optional<std::int64_t> Statement::optional_integer(int column) const {
    return is_null(column) ? std::nullopt : std::optional<std::int64_t>(integer(column));
}

std::optional<std::string> Statement::optional_text(int column) const {
    return is_null(column) ? std::nullopt : std::optional<std::string>(text(column));
}

Connection::Connection(const std::filesystem::path& file, Mode mode) : m_file(file) {
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    std::string name = file.string();
    switch (mode) {
    case Mode::read_write_create:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::read_only:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::memory:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY;
        name = ":memory:";
        break;
    }
    const int rc = sqlite3_open_v2(name.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string detail = m_db != nullptr ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw SystemFailure(fmt::format("{}: cannot open the database: {}", name, detail));
    }
    sqlite3_busy_timeout(m_db, k_busy_timeout_ms);
    sqlite3_extended_result_codes(m_db, 1);
    exec("PRAGMA foreign_keys = ON");
}

void Connection::use_write_ahead_log() {
    // WAL lets reports read while a writer works; NORMAL is crash-safe under WAL.
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = NORMAL");
}

bool Connection::use_rollback_journal() {
    Statement mode = prepare("PRAGMA journal_mode = DELETE");
    try {
        mode.step();
    } catch (const TemporaryFailure&) {
        return false; // leaving WAL needs the file to itself; SQLite says so at once
    }
    if (mode.text(0) != "delete") {
        return false;
    }
    // A rollback journal is safe against power loss only with FULL.
    exec("PRAGMA synchronous = FULL");
    return true;
}

Connection::~Connection() {
    m_cache.clear();
    sqlite3_close(m_db);
}

void Connection::exec(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        sqlite3_free(message);
        fail(m_db, rc, "updating the database");
    }
}

void Connection::begin_immediate(std::chrono::seconds patience, std::string_view doing) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(patience);
    sqlite3_busy_timeout(m_db, static_cast<int>(wait.count()));
    const int rc = sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(m_db, k_busy_timeout_ms);
    if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) {
        throw TemporaryFailure(fmt::format("the database stayed busy for {} s while {}: another "
                                           "process held the write lock all that time",
                                           patience.count(), doing));
    }
    if (rc != SQLITE_OK) {
        fail(m_db, rc, doing);
    }
}

Statement& Connection::cached(const char* sql) {
    auto& slot = m_cache[sql];
    if (!slot) {
        slot = std::make_unique<Statement>(m_db, sql);
    } else {
        slot->reset();
    }
    return *slot;
}

Statement Connection::prepare(std::string_view sql) {
    return Statement(m_db, sql);
}

std::int64_t Connection::last_insert_id() const {
    return sqlite3_last_insert_rowid(m_db);
}

int Connection::changes() const {
    return sqlite3_changes(m_db);
}

std::vector<std::string> drop_schema_objects(Connection& db, std::string_view kind,
                                             std::string_view query) {
    Statement objects = db.prepare(query);
    std::vector<std::string> names;
    std::vector<std::string> creates;
    while (objects.step()) {
        names.push_back(objects.text(0));
        creates.push_back(objects.text(1));
    }
    for (const std::string& name : names) {
        db.exec(fmt::format("DROP {} \"{}\"", kind, name));
    }
    return creates;
}

void restore_schema_objects(Connection& db, std::vector<std::string>& creates) {
    for (const std::string& create : creates) {
        db.exec(create);
    }
    creates.clear();
}

std::int64_t backup(Connection& source, const std::filesystem::path& target) {
    if (std::filesystem::exists(target)) {
        throw Refused(
            fmt::format("{} exists already; give a new file for the backup", target.string()));
    }
    std::int64_t pages = 0;
    try {
        Connection copy(target, Connection::Mode::read_write_create);
        sqlite3_backup* job = sqlite3_backup_init(copy.handle(), "main", source.handle(), "main");
        if (job == nullptr) {
            fail(copy.handle(), sqlite3_errcode(copy.handle()), "starting the backup");
        }
        // All pages in one step: the source is read in one transaction, so the copy is one
        // consistent snapshot however much others write meanwhile.
        const int rc = sqlite3_backup_step(job, -1);
        pages = sqlite3_backup_pagecount(job);
        sqlite3_backup_finish(job);
        if (rc != SQLITE_DONE) {
            fail(copy.handle(), rc, "copying the database");
        }
        Statement check = copy.prepare("PRAGMA integrity_check");
        if (!check.step() || check.text(0) != "ok") {
            throw SystemFailure(
                fmt::format("the backup in {} did not pass its integrity check", target.string()));
        }
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(target, ignored);
        throw;
    }
    return pages;
}

} // namespace sileram::storage::sqlite
