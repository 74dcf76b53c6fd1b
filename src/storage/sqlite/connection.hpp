#pragma once

#include "sql.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace sileram::storage::sqlite {

// A prepared statement; parameters are bound by position (1-based), never spliced into SQL.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::nullopt_t);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, std::nullopt);
    }

    // The highest parameter position the statement uses (?N); binding beyond it is an error.
    int parameter_count() const;

    // Binds each argument to the next position, from 1.
    template <typename... Args>
    Statement& bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // Binds text without copying it: `value` must stay alive and unchanged until the statement
    // has run (run() or reset()).
    Statement& bind_borrowed(int index, std::string_view value);
    Statement& bind_borrowed(int index, const std::string& value) {
        return bind_borrowed(index, std::string_view(value));
    }
    Statement& bind_borrowed(int index, const std::optional<std::string>& value) {
        return value ? bind_borrowed(index, std::string_view(*value)) : bind(index, std::nullopt);
    }
    template <typename T>
    Statement& bind_borrowed(int index, const T& value) {
        return bind(index, value);
    }

    // As bind_all, with text borrowed (see bind_borrowed): for a statement run once per row of a
    // bulk write, where copying every value costs a good share of the row.
    template <typename... Args>
    Statement& bind_all_borrowed(const Args&... args) {
        int index = 0;
        (bind_borrowed(++index, args), ...);
        return *this;
    }

    // Binds the value in `column` of `row`'s current row as it is stored, type and all; it stays
    // valid until `row` steps on.
    Statement& bind_column(int index, const Statement& row, int column);
    // How many columns the statement's rows have.
    int column_count() const;
    // Advances to the next row; false when there is none.
    bool step();
    // Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool is_null(int column) const;
    // True when the value in `column` is stored as a floating-point number.
    bool is_real(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;
    std::optional<std::string> optional_text(int column) const;

private:
    void check_bind(int rc, int index);

    sqlite3* m_db;
    sqlite3_stmt* m_statement = nullptr;
};

// An open SQLite database with the settings sileram relies on: WAL, synchronous=NORMAL,
// foreign keys, a busy timeout.
class Connection {
public:
    // scratch: a private database on disk that SQLite deletes when it is closed (a temporary
    // file, in SQLite's folder for those), for work too large for memory.
    enum class Mode { read_write_create, read_only, memory, scratch };

    // Opens `file` and reads its header, so that a file SQLite cannot use (not a database, a
    // folder where the write-ahead log cannot keep its files) is refused here, with the reason.
    Connection(const std::filesystem::path& file, Mode mode);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Switches to WAL with synchronous=NORMAL; only once the file is known to be sileram's.
    void use_write_ahead_log();
    // Switches to a rollback journal with synchronous=FULL, outside a transaction; false, and
    // nothing changed, while another connection has the file open. use_write_ahead_log() returns.
    bool use_rollback_journal();

    // Runs SQL without parameters (schema, pragmas, transaction control).
    void exec(std::string_view sql);
    // BEGIN IMMEDIATE, waiting up to `patience` for the write lock instead of the normal busy
    // timeout; throws TemporaryFailure naming `doing` when it stays taken that long.
    void begin_immediate(std::chrono::seconds patience, std::string_view doing);
    // A statement prepared once per connection for each SQL text and kept for reuse.
    Statement& cached(Sql sql);
    Statement prepare(std::string_view sql);

    std::int64_t last_insert_id() const;
    int changes() const;
    sqlite3* handle() const { return m_db.get(); }
    const std::filesystem::path& file() const { return m_file; }

private:
    struct Close {
        void operator()(sqlite3* db) const;
    };
    // Owns the handle from the moment sqlite3_open_v2 returns it, so a constructor that throws
    // later still closes it; declared before the cache, whose statements must go first.
    std::unique_ptr<sqlite3, Close> m_db;
    std::filesystem::path m_file;
    std::unordered_map<Sql, std::unique_ptr<Statement>, SqlHash> m_cache;
};

// Drops the indexes or triggers (`kind`) that `query` lists as rows of name and CREATE statement,
// and returns those statements: running them again restores the objects as they were.
std::vector<std::string> drop_schema_objects(Connection& db, std::string_view kind,
                                             std::string_view query);
// Runs the statements drop_schema_objects returned, and empties the list.
void restore_schema_objects(Connection& db, std::vector<std::string>& creates);

// Copies the open database into the new file `target` with SQLite's online backup API, in one
// step so the copy is one snapshot; returns the pages copied. The copy is checked with
// PRAGMA integrity_check; a failed or partial copy is removed.
std::int64_t backup(Connection& source, const std::filesystem::path& target);

// Throws the right sileram error for an SQLite result code `code`, the result of what it was
// `doing` on `db`: busy, locked and a full disk are temporary; the text is SQLite's message for
// that result (not a later one's), with the file where it helps.
[[noreturn]] void fail(sqlite3* db, int code, std::string_view doing);

} // namespace sileram::storage::sqlite
