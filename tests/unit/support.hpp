#pragma once

// Helpers that several unit test files share. The tests are compiled in batches (unity build),
// so a helper lives here once rather than in each file's anonymous namespace.

#include "sileram/domain/decimal.hpp"
#include "sileram/domain/time.hpp"

#include <cstdlib>
#include <ctime>
#include <doctest/doctest.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

// Sets $TZ for the life of the object and puts back what was there; local time follows it.
class TimeZone {
public:
    explicit TimeZone(const char* zone) {
        if (const char* old = std::getenv("TZ")) {
            m_old = old;
        }
        ::setenv("TZ", zone, 1);
        ::tzset();
    }
    ~TimeZone() {
        if (m_old) {
            ::setenv("TZ", m_old->c_str(), 1);
        } else {
            ::unsetenv("TZ");
        }
        ::tzset();
    }
    TimeZone(const TimeZone&) = delete;
    TimeZone& operator=(const TimeZone&) = delete;

private:
    std::optional<std::string> m_old;
};

inline bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// A decimal the test writes as text; the test fails when it does not parse.
inline sileram::domain::Decimal dec(std::string_view text) {
    const auto parsed = sileram::domain::Decimal::parse(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

inline sileram::domain::Timestamp at(std::string_view text) {
    const auto parsed = sileram::domain::parse_timestamp(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

inline sileram::domain::Date date(std::string_view text) {
    const auto parsed = sileram::domain::parse_date(text);
    REQUIRE(parsed.has_value());
    return *parsed;
}

// The message of the exception `f` throws, or "(no exception)".
template <typename F>
std::string message_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no exception)";
}

// The lines of `text`, each of which must end with "\n".
inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        REQUIRE(end != std::string::npos);
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

} // namespace test_support
