#pragma once

#include "libpq_library.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::storage::postgres {

// True for a text that names a PostgreSQL database (`postgresql://` or `postgres://`).
bool is_uri(std::string_view text);

// The URI as it may be shown to a user: a password written into it is replaced by `***`.
std::string redact(std::string_view uri);

struct ResultDeleter {
    void operator()(PGresult* result) const { libpq().PQclear(result); }
};

// The rows of one statement; cells are read as text (the text protocol) and converted here.
class Result {
public:
    explicit Result(PGresult* result) : m_result(result) {}

    int rows() const { return libpq().PQntuples(m_result.get()); }
    bool is_null(int row, int column) const {
        return libpq().PQgetisnull(m_result.get(), row, column) != 0;
    }
    std::string text(int row, int column) const;
    // A cell as it came, for a result in binary format (see Connection::send).
    std::string_view bytes(int row, int column) const;
    std::optional<std::string> optional_text(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    std::optional<std::int64_t> optional_integer(int row, int column) const;
    double real(int row, int column) const;
    // Rows an INSERT, UPDATE or DELETE changed.
    std::int64_t changes() const;
    const PGresult* get() const { return m_result.get(); }

private:
    std::unique_ptr<PGresult, ResultDeleter> m_result;
};

// Parameters of a statement, always bound ($1, $2, …), never written into the SQL text.
class Params {
public:
    Params() = default;
    template <typename... Values>
    explicit Params(const Values&... values) {
        (add(values), ...);
    }

    void add(std::int64_t value) { m_values.emplace_back(std::to_string(value)); }
    void add(int value) { m_values.emplace_back(std::to_string(value)); }
    void add(double value);
    void add(const std::string& value) { m_values.emplace_back(value); }
    void add(std::string_view value) { m_values.emplace_back(std::string(value)); }
    void add(const char* value) { m_values.emplace_back(std::string(value)); }
    template <typename T>
    void add(const std::optional<T>& value) {
        if (value) {
            add(*value);
        } else {
            m_values.emplace_back(std::nullopt);
        }
    }

    const std::vector<std::optional<std::string>>& values() const { return m_values; }

private:
    std::vector<std::optional<std::string>> m_values;
};

// One statement of a pipeline (Connection::exec_all).
struct Statement {
    const char* sql = nullptr;
    Params params;
};

struct ConnectionDeleter {
    void operator()(PGconn* connection) const { libpq().PQfinish(connection); }
};

// One libpq connection with the project's error mapping: a server that cannot be reached or a
// connection lost is TemporaryFailure (exit 75, naming host and port), a refused login
// InvalidInput (exit 2, naming the user, never the password), a lock conflict or serialization
// failure TemporaryFailure, a violated constraint InvalidInput, anything else SystemFailure.
class Connection {
public:
    explicit Connection(const std::string& uri);

    // Runs one statement with bound parameters; throws on failure.
    Result exec(const char* sql, const Params& params = Params());
    // Runs the statements in order as exec does, but sends them all at once and reads their
    // results after (libpq's pipeline mode): one round trip to the server instead of one each.
    // Throws for the first that fails; the ones after it do not run.
    std::vector<Result> exec_all(const std::vector<Statement>& statements);
    // Sends one statement and returns at once, while the server runs it; receive() waits for its
    // result and throws as exec does. One statement at a time: send, receive, send, …
    // Cells::binary asks for the result in each type's binary form (Result::bytes).
    enum class Cells { text, binary };
    void send(const char* sql, const Params& params, Cells cells = Cells::text);
    Result receive();
    // Runs a script of statements without parameters (schema migrations).
    void script(const char* sql);
    // Sends COPY … FROM STDIN, the rows as COPY text lines, and ends it; all or nothing within
    // the surrounding transaction.
    void copy_in(const char* copy_sql, const std::string& data);

    // "host:port" of the server, for messages.
    std::string where() const;
    bool in_transaction() const;

private:
    [[noreturn]] void fail(const PGresult* result, std::string_view doing) const;

    std::unique_ptr<PGconn, ConnectionDeleter> m_connection;
    std::string m_sent; // the first line of what send() sent, for receive()'s messages
};

// A value as a COPY text field: backslash, tab, newline and carriage return escaped; \N for none.
std::string copy_field(const std::optional<std::string>& value);

} // namespace sileram::storage::postgres
