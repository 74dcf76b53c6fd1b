#include "connection.hpp"

#include "sileram/errors.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <optional>
#include <sqlite3.h>
#include <unistd.h>
#include <utility>

namespace sileram::storage::sqlite {

namespace {

// Long enough for an import or a mail run in another process to finish its transaction.
constexpr int k_busy_timeout_ms = 5000;

// SQLite's message for `code`. sqlite3_errmsg tells of the last call that set an error on the
// connection, which is not always the failing one: sqlite3_db_cacheflush and sqlite3_backup_step
// return a code without setting it, and a reset or rollback in between may replace it.
std::string message_for(sqlite3* db, int code) {
    if (db != nullptr && sqlite3_extended_errcode(db) == code) {
        return sqlite3_errmsg(db);
    }
    return sqlite3_errstr(code);
}

std::string file_of(sqlite3* db) {
    const char* name = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
    if (name == nullptr) {
        return "the database";
    }
    // A scratch database (Connection::Mode::scratch) has no name: it lives in SQLite's folder for
    // temporary files, which is what a full disk there concerns.
    return *name != '\0' ? name
                         : "a temporary file (in the folder SQLITE_TMPDIR or TMPDIR names, else "
                           "/var/tmp)";
}

// The system error behind an I/O error: the connection's record of it, else the errno the failing
// call left. The record is missing where the call recorded nothing on the connection
// (sqlite3_db_cacheflush) and where a failed commit rolled back before it was taken.
int system_error(sqlite3* db, int code, int errno_left) {
    const int recorded =
        db != nullptr && sqlite3_extended_errcode(db) == code ? sqlite3_system_errno(db) : 0;
    return recorded != 0 ? recorded : errno_left;
}

// Whether the disk (or the process's file size limit) left no room to write: SQLite says
// SQLITE_FULL when a write found the disk full, and an I/O error for the same cause met elsewhere
// (a sync, a truncate, the file size limit).
bool out_of_room(int code, int error) {
    if ((code & 0xFF) == SQLITE_FULL) {
        return true;
    }
    return (code & 0xFF) == SQLITE_IOERR && (error == ENOSPC || error == EFBIG || error == EDQUOT);
}

// A file SQLite may read but not open as it needs: the write-ahead log keeps two files beside
// the database (-wal and -shm) that even a reader must be able to create.
std::optional<std::string> access_problem(const std::filesystem::path& file, int code) {
    const int primary = code & 0xFF;
    if (primary != SQLITE_READONLY && primary != SQLITE_CANTOPEN) {
        return std::nullopt;
    }
    const std::filesystem::path folder =
        file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    if (code == SQLITE_READONLY_DIRECTORY || ::access(folder.c_str(), W_OK | X_OK) != 0) {
        return fmt::format(
            "{}: the folder {} is not writable for this user, and SQLite must create {}-wal and "
            "{}-shm there to read or write a database in write-ahead-log mode. Make the folder "
            "writable for this user, or copy the database into a folder that is",
            file.string(), folder.string(), file.filename().string(), file.filename().string());
    }
    if (primary == SQLITE_READONLY && ::access(file.c_str(), W_OK) != 0) {
        return fmt::format("{}: the file is read-only for this user; make it writable to change "
                           "the database",
                           file.string());
    }
    return std::nullopt;
}

} // namespace

void fail(sqlite3* db, int code, std::string_view doing) {
    const int error = system_error(db, code, errno); // first, before anything can change errno
    const int primary = code & 0xFF;
    const std::string detail = message_for(db, code);
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
            fmt::format("{} is not a usable sileram database ({})", file_of(db), detail));
    }
    if (out_of_room(code, error)) {
        // The system's own words where SQLite reported the cause as an I/O error.
        const std::string cause =
            primary == SQLITE_FULL ? std::string() : fmt::format(" ({})", std::strerror(error));
        const char* next = primary != SQLITE_FULL && error == EFBIG
                               ? "raise the file size limit (ulimit -f)"
                               : "free space on its disk";
        throw TemporaryFailure(fmt::format("{}: database or disk is full{} while {}; {} and try "
                                           "again",
                                           file_of(db), cause, doing, next));
    }
    if (const auto problem = access_problem(file_of(db), code)) {
        throw SystemFailure(*problem);
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
    // The result repeats that of the last step, which was reported when it happened.
    sqlite3_finalize(m_statement);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_statement(std::exchange(other.m_statement, nullptr)) {}

void Statement::check_bind(int rc, int index) {
    if (rc != SQLITE_OK) {
        fail(m_db, rc, fmt::format("binding parameter {} of a query", index));
    }
}

int Statement::parameter_count() const {
    return sqlite3_bind_parameter_count(m_statement);
}

Statement& Statement::bind(int index, std::int64_t value) {
    check_bind(sqlite3_bind_int64(m_statement, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check_bind(sqlite3_bind_double(m_statement, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    check_bind(sqlite3_bind_text64(m_statement, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8),
               index);
    return *this;
}

Statement& Statement::bind_column(int index, const Statement& row, int column) {
    check_bind(
        sqlite3_bind_value(m_statement, index, sqlite3_column_value(row.m_statement, column)),
        index);
    return *this;
}

int Statement::column_count() const {
    return sqlite3_column_count(m_statement);
}

Statement& Statement::bind_borrowed(int index, std::string_view value) {
    check_bind(sqlite3_bind_text64(m_statement, index, value.data(), value.size(), SQLITE_STATIC,
                                   SQLITE_UTF8),
               index);
    return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
    check_bind(sqlite3_bind_null(m_statement, index), index);
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
    try {
        fail(m_db, rc, "running a query");
    } catch (...) {
        // Reset after the error is taken, so a statement kept for reuse lets go of its read
        // snapshot; its result repeats the error.
        sqlite3_reset(m_statement);
        throw;
    }
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    // Both return what the last step returned, which step() has reported already.
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

bool Statement::is_real(int column) const {
    return sqlite3_column_type(m_statement, column) == SQLITE_FLOAT;
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
    case Mode::scratch:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        name.clear();
        break;
    }
    sqlite3* opened = nullptr;
    const int rc = sqlite3_open_v2(name.c_str(), &opened, flags, nullptr);
    m_db.reset(opened); // a failed open returns a handle too, to be closed like any other
    if (rc != SQLITE_OK) {
        if (const auto problem = access_problem(file, rc)) {
            throw SystemFailure(*problem);
        }
        throw SystemFailure(fmt::format("{}: cannot open the database: {}",
                                        name.empty() ? "a temporary database" : name,
                                        message_for(opened, rc)));
    }
    if (const int set = sqlite3_busy_timeout(opened, k_busy_timeout_ms); set != SQLITE_OK) {
        fail(opened, set, "opening the database");
    }
    exec("PRAGMA foreign_keys = ON");
    // SQLite opens lazily; reading the header here reports a file that cannot be read (not a
    // database, a folder the write-ahead log cannot use) while the file's name is at hand.
    prepare("PRAGMA schema_version").run();
}

void Connection::Close::operator()(sqlite3* db) const {
    // The _v2 form waits for statements still open elsewhere instead of failing with BUSY.
    sqlite3_close_v2(db);
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

Connection::~Connection() = default;

void Connection::exec(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        sqlite3_free(message);
        fail(handle(), rc, "updating the database");
    }
}

void Connection::begin_immediate(std::chrono::seconds patience, std::string_view doing) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(patience);
    sqlite3_busy_timeout(handle(), static_cast<int>(wait.count()));
    const int rc = sqlite3_exec(handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(handle(), k_busy_timeout_ms);
    if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) {
        throw TemporaryFailure(fmt::format("the database stayed busy for {} s while {}: another "
                                           "process held the write lock all that time",
                                           patience.count(), doing));
    }
    if (rc != SQLITE_OK) {
        fail(handle(), rc, doing);
    }
}

Statement& Connection::cached(Sql sql) {
    auto& slot = m_cache[sql];
    if (!slot) {
        slot = std::make_unique<Statement>(handle(), sql.text());
    } else {
        slot->reset();
    }
    return *slot;
}

Statement Connection::prepare(std::string_view sql) {
    return Statement(handle(), sql);
}

std::int64_t Connection::last_insert_id() const {
    return sqlite3_last_insert_rowid(handle());
}

int Connection::changes() const {
    return sqlite3_changes(handle());
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
        // Finishing sets the copy's error message for a failed step, and fails itself when the
        // copy could not be completed.
        const int finished = sqlite3_backup_finish(job);
        if (rc != SQLITE_DONE) {
            fail(copy.handle(), rc, "copying the database");
        }
        if (finished != SQLITE_OK) {
            fail(copy.handle(), finished, "copying the database");
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
