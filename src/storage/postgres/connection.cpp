#include "connection.hpp"

#include "sileram/errors.hpp"

#include <charconv>
#include <cstdlib>
#include <fmt/format.h>

namespace sileram::storage::postgres {

namespace {

// How long a connection attempt waits for an unreachable server when neither the URI nor
// PGCONNECT_TIMEOUT says otherwise: libpq's default is to wait for the operating system.
constexpr const char* k_connect_timeout_seconds = "10";
// How long a statement waits for a row or table another sileram has locked; the SQLite
// store's busy timeout is of the same order. No JIT compilation: sileram's statements run for
// milliseconds, and at a million signals the planner's estimates pass the JIT thresholds, so
// compiling them would cost more than the run (measured in docs/performance.md).
constexpr const char* k_session_settings =
    "SELECT pg_catalog.set_config('search_path', 'sileram', false), "
    "pg_catalog.set_config('lock_timeout', '30s', false), "
    "pg_catalog.set_config('jit', 'off', false), "
    "pg_catalog.set_config('TimeZone', 'UTC', false)";

// The first line that holds anything: the statements' texts begin with a line break.
std::string first_line(std::string_view text) {
    const auto start = text.find_first_not_of(" \r\n");
    text.remove_prefix(start == std::string_view::npos ? text.size() : start);
    const auto end = text.find('\n');
    std::string line(text.substr(0, end));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.pop_back();
    }
    return line;
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

} // namespace

bool is_uri(std::string_view text) {
    return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

std::string redact(std::string_view uri) {
    // postgresql://user:password@host…: the password sits between the first ':' after the
    // scheme and the '@' that ends the user part.
    const auto scheme_end = uri.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::string(uri);
    }
    const auto start = scheme_end + 3;
    const auto at = uri.find('@', start);
    const auto slash = uri.find('/', start);
    if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
        return std::string(uri);
    }
    const auto colon = uri.find(':', start);
    if (colon == std::string_view::npos || colon > at) {
        return std::string(uri);
    }
    return fmt::format("{}:***{}", uri.substr(0, colon), uri.substr(at));
}

std::string Result::text(int row, int column) const {
    return std::string(libpq().PQgetvalue(m_result.get(), row, column),
                       static_cast<std::size_t>(libpq().PQgetlength(m_result.get(), row, column)));
}

std::string_view Result::bytes(int row, int column) const {
    return std::string_view(
        libpq().PQgetvalue(m_result.get(), row, column),
        static_cast<std::size_t>(libpq().PQgetlength(m_result.get(), row, column)));
}

std::optional<std::string> Result::optional_text(int row, int column) const {
    return is_null(row, column) ? std::nullopt : std::optional<std::string>(text(row, column));
}

std::int64_t Result::integer(int row, int column) const {
    const char* value = libpq().PQgetvalue(m_result.get(), row, column);
    const char* end = value + libpq().PQgetlength(m_result.get(), row, column);
    std::int64_t number = 0;
    const auto [rest, error] = std::from_chars(value, end, number);
    if (error != std::errc() || rest != end) {
        throw SystemFailure(fmt::format("the database holds an unknown number '{}'", value));
    }
    return number;
}

std::optional<std::int64_t> Result::optional_integer(int row, int column) const {
    return is_null(row, column) ? std::nullopt : std::optional<std::int64_t>(integer(row, column));
}

double Result::real(int row, int column) const {
    return std::strtod(libpq().PQgetvalue(m_result.get(), row, column), nullptr);
}

std::int64_t Result::changes() const {
    const char* count = libpq().PQcmdTuples(m_result.get());
    return count[0] == '\0' ? 0 : std::strtoll(count, nullptr, 10);
}

void Params::add(double value) {
    m_values.emplace_back(fmt::format("{}", value));
}

Connection::Connection(const std::string& uri) {
    // The URI comes last of the settings it may hold, so what it says wins; a password comes
    // only the way libpq finds it (PGPASSWORD, ~/.pgpass, a service file) or inside the URI.
    std::vector<const char*> keys;
    std::vector<const char*> values;
    if (std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
        keys.push_back("connect_timeout");
        values.push_back(k_connect_timeout_seconds);
    }
    keys.push_back("dbname");
    values.push_back(uri.c_str());
    keys.push_back("fallback_application_name");
    values.push_back("sileram");
    keys.push_back("client_encoding");
    values.push_back("UTF8");
    keys.push_back(nullptr);
    values.push_back(nullptr);
    m_connection.reset(libpq().PQconnectdbParams(keys.data(), values.data(), 1));
    if (!m_connection) {
        throw SystemFailure("cannot start a PostgreSQL connection: out of memory");
    }
    PGconn* c = m_connection.get();
    if (libpq().PQstatus(c) != CONNECTION_OK) {
        const std::string detail = libpq().PQerrorMessage(c);
        const char* user = libpq().PQuser(c);
        const std::string who = user != nullptr ? user : "";
        if (libpq().PQconnectionNeedsPassword(c) != 0 ||
            contains(detail, "authentication failed") || contains(detail, "no password supplied") ||
            (contains(detail, "role \"") && contains(detail, "does not exist"))) {
            throw InvalidInput(fmt::format(
                "PostgreSQL at {} refused the login of user '{}': check the user and its password "
                "(PGPASSWORD, ~/.pgpass or a service file)",
                where(), who));
        }
        if (contains(detail, "database \"") && contains(detail, "does not exist")) {
            throw InvalidInput(fmt::format("PostgreSQL at {}: the database '{}' does not exist",
                                           where(),
                                           libpq().PQdb(c) != nullptr ? libpq().PQdb(c) : ""));
        }
        if (contains(detail, "invalid") || contains(detail, "missing")) {
            throw InvalidInput(fmt::format("{}: {}", redact(uri), first_line(detail)));
        }
        throw TemporaryFailure(fmt::format("cannot reach the PostgreSQL server at {}: {}", where(),
                                           first_line(detail)));
    }
    exec(k_session_settings);
}

std::string Connection::where() const {
    PGconn* c = m_connection.get();
    const char* host = libpq().PQhost(c);
    const char* port = libpq().PQport(c);
    return fmt::format("{}:{}", host != nullptr && host[0] != '\0' ? host : "localhost",
                       port != nullptr && port[0] != '\0' ? port : "5432");
}

bool Connection::in_transaction() const {
    return libpq().PQtransactionStatus(m_connection.get()) != PQTRANS_IDLE;
}

void Connection::fail(const PGresult* result, std::string_view doing) const {
    const char* state =
        result != nullptr ? libpq().PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state != nullptr ? state : "";
    const std::string detail =
        first_line(result != nullptr ? libpq().PQresultErrorMessage(result)
                                     : libpq().PQerrorMessage(m_connection.get()));
    if (libpq().PQstatus(m_connection.get()) != CONNECTION_OK || code.starts_with("08") ||
        code.starts_with("57P")) {
        throw TemporaryFailure(
            fmt::format("lost the connection to the PostgreSQL server at {}: {}", where(), detail));
    }
    // Serialization failure, deadlock, lock timeout: another sileram held what this one needs.
    if (code == "40001" || code == "40P01" || code == "55P03") {
        throw TemporaryFailure(fmt::format(
            "the database is busy: another sileram held it while {}; try again", doing));
    }
    if (code.starts_with("23")) {
        throw InvalidInput(fmt::format("{} was refused by the database: {}", doing, detail));
    }
    if (code == "53100") {
        throw TemporaryFailure(
            fmt::format("the database server's disk is full while {}: {}", doing, detail));
    }
    throw SystemFailure(fmt::format("database error while {}: {}", doing, detail));
}

namespace {

std::vector<const char*> value_pointers(const Params& params) {
    std::vector<const char*> values;
    values.reserve(params.values().size());
    for (const auto& value : params.values()) {
        values.push_back(value ? value->c_str() : nullptr);
    }
    return values;
}

} // namespace

Result Connection::exec(const char* sql, const Params& params) {
    const std::vector<const char*> values = value_pointers(params);
    PGresult* raw = libpq().PQexecParams(m_connection.get(), sql, static_cast<int>(values.size()),
                                         nullptr, values.data(), nullptr, nullptr, 0);
    Result result(raw);
    const ExecStatusType status = raw != nullptr ? libpq().PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail(raw, first_line(sql));
    }
    return result;
}

void Connection::send(const char* sql, const Params& params, Cells cells) {
    const std::vector<const char*> values = value_pointers(params);
    if (libpq().PQsendQueryParams(m_connection.get(), sql, static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr,
                                  cells == Cells::binary ? 1 : 0) != 1) {
        fail(nullptr, first_line(sql));
    }
    m_sent = first_line(sql);
}

Result Connection::receive() {
    PGconn* c = m_connection.get();
    Result result(libpq().PQgetResult(c));
    while (PGresult* rest = libpq().PQgetResult(c)) {
        libpq().PQclear(rest);
    }
    const PGresult* raw = result.get();
    const ExecStatusType status = raw != nullptr ? libpq().PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail(raw, m_sent);
    }
    return result;
}

std::vector<Result> Connection::exec_all(const std::vector<Statement>& statements) {
    PGconn* c = m_connection.get();
    if (libpq().PQenterPipelineMode(c) != 1) {
        fail(nullptr, "sending statements");
    }
    bool sent = true;
    for (const Statement& s : statements) {
        const std::vector<const char*> values = value_pointers(s.params);
        if (libpq().PQsendQueryParams(c, s.sql, static_cast<int>(values.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0) != 1) {
            sent = false;
            break;
        }
    }
    if (!sent || libpq().PQpipelineSync(c) != 1) {
        // Only a lost connection stops the sending; fail names it.
        fail(nullptr, "sending statements");
    }
    // Each statement's result and the null that ends it, then the pipeline's end. After an
    // error the server skips the rest (PGRES_PIPELINE_ABORTED) up to the end.
    std::vector<Result> results;
    results.reserve(statements.size());
    std::optional<Result> failure;
    const char* failed_sql = nullptr;
    for (const Statement& s : statements) {
        PGresult* raw = libpq().PQgetResult(c);
        if (raw == nullptr) {
            break; // the connection is gone
        }
        Result result(raw);
        const ExecStatusType status = libpq().PQresultStatus(raw);
        while (PGresult* rest = libpq().PQgetResult(c)) {
            libpq().PQclear(rest);
        }
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            results.push_back(std::move(result));
        } else if (!failure && status != PGRES_PIPELINE_ABORTED) {
            failure = std::move(result);
            failed_sql = s.sql;
        }
    }
    for (PGresult* raw = libpq().PQgetResult(c); raw != nullptr; raw = libpq().PQgetResult(c)) {
        const bool end = libpq().PQresultStatus(raw) == PGRES_PIPELINE_SYNC;
        libpq().PQclear(raw);
        if (end) {
            break;
        }
    }
    if (libpq().PQexitPipelineMode(c) != 1 && !failure) {
        fail(nullptr, "reading the results of statements");
    }
    if (failure) {
        fail(failure->get(), first_line(failed_sql));
    }
    if (results.size() != statements.size()) {
        fail(nullptr, "reading the results of statements");
    }
    return results;
}

void Connection::script(const char* sql) {
    PGresult* raw = libpq().PQexec(m_connection.get(), sql);
    Result result(raw);
    if (raw == nullptr || libpq().PQresultStatus(raw) != PGRES_COMMAND_OK) {
        fail(raw, "changing the schema");
    }
}

void Connection::copy_in(const char* copy_sql, const std::string& data) {
    PGconn* c = m_connection.get();
    {
        PGresult* raw = libpq().PQexec(c, copy_sql);
        Result start(raw);
        if (raw == nullptr || libpq().PQresultStatus(raw) != PGRES_COPY_IN) {
            fail(raw, "starting a bulk copy");
        }
    }
    const bool sent = libpq().PQputCopyData(c, data.data(), static_cast<int>(data.size())) == 1;
    if (libpq().PQputCopyEnd(c, sent ? nullptr : "sileram could not send the rows") != 1) {
        fail(nullptr, "ending a bulk copy");
    }
    // The copy's outcome, then the end of the results.
    for (PGresult* raw = libpq().PQgetResult(c); raw != nullptr; raw = libpq().PQgetResult(c)) {
        Result result(raw);
        if (libpq().PQresultStatus(raw) != PGRES_COMMAND_OK) {
            fail(raw, "copying rows in bulk");
        }
    }
}

std::string copy_field(const std::optional<std::string>& value) {
    if (!value) {
        return "\\N";
    }
    std::string out;
    out.reserve(value->size());
    for (const char c : *value) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace sileram::storage::postgres
