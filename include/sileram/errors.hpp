#pragma once

#include <stdexcept>
#include <string>

namespace sileram {

// The exit codes of SPEC.md; every failure a user can meet maps to one of them.
enum class ExitCode : int {
    ok = 0,
    refused = 1,
    invalid_input = 2,
    temporary_failure = 75,
};

// Base of every error that reaches the user; carries the exit code it maps to.
class Error : public std::runtime_error {
public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    ExitCode code() const { return m_code; }

private:
    ExitCode m_code;
};

// Bad usage or invalid input: a value, a file or an option the user must correct (exit 2).
class InvalidInput : public Error {
public:
    explicit InvalidInput(const std::string& message) : Error(ExitCode::invalid_input, message) {}
};

// A well-formed request that cannot be done now: not found, wrong step, already known (exit 1).
class Refused : public Error {
public:
    explicit Refused(const std::string& message) : Error(ExitCode::refused, message) {}
};

// A failure that may pass by itself: a busy database, an unreachable mail server (exit 75).
class TemporaryFailure : public Error {
public:
    explicit TemporaryFailure(const std::string& message)
        : Error(ExitCode::temporary_failure, message) {}
};

// A storage or system failure that is not the user's doing: a broken file, an I/O error (exit 1).
class SystemFailure : public Error {
public:
    explicit SystemFailure(const std::string& message) : Error(ExitCode::refused, message) {}
};

} // namespace sileram
