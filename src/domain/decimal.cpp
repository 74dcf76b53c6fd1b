#include "sileram/domain/decimal.hpp"

#include "sileram/errors.hpp"

#include <fmt/format.h>

namespace sileram::domain {

namespace {

// 128 bits hold any product of two 62-bit values; GCC and Clang have it as an extension.
__extension__ typedef __int128 Wide;

constexpr std::int64_t k_max_hundredths = Decimal::k_max_hundredths;

std::int64_t checked(Wide value) {
    if (value > k_max_hundredths || value < -k_max_hundredths) {
        throw InvalidInput("number too large: the result does not fit in 62 bits");
    }
    return static_cast<std::int64_t>(value);
}

} // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
    if (whole.empty() || fraction.size() > 2 ||
        (dot != std::string_view::npos && fraction.empty())) {
        return std::nullopt;
    }
    Wide value = 0;
    for (char c : whole) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
        if (value > k_max_hundredths) {
            return std::nullopt;
        }
    }
    value *= 100;
    int scale = 10;
    for (char c : fraction) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value += static_cast<Wide>(c - '0') * scale;
        scale /= 10;
    }
    if (value > k_max_hundredths) {
        return std::nullopt;
    }
    const auto hundredths = static_cast<std::int64_t>(value);
    return Decimal(negative ? -hundredths : hundredths);
}

bool Decimal::is_number_text(std::string_view text) {
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        text.remove_prefix(1);
    }
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
    const auto digits = [](std::string_view part) {
        return part.find_first_not_of("0123456789") == std::string_view::npos;
    };
    return !whole.empty() && digits(whole) && digits(fraction) && fraction.size() <= 2 &&
           (dot == std::string_view::npos || !fraction.empty());
}

std::string Decimal::to_fixed() const {
    const std::int64_t magnitude = m_hundredths < 0 ? -m_hundredths : m_hundredths;
    return fmt::format("{}{}.{:02}", m_hundredths < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string Decimal::to_string() const {
    std::string text = to_fixed();
    while (text.back() == '0') {
        text.pop_back();
    }
    if (text.back() == '.') {
        text.pop_back();
    }
    return text;
}

Decimal operator+(Decimal a, Decimal b) {
    return Decimal(checked(static_cast<Wide>(a.m_hundredths) + b.m_hundredths));
}

Decimal operator-(Decimal a, Decimal b) {
    return Decimal(checked(static_cast<Wide>(a.m_hundredths) - b.m_hundredths));
}

Decimal Decimal::times(std::int64_t factor) const {
    return Decimal(checked(static_cast<Wide>(m_hundredths) * factor));
}

Decimal Decimal::percent_of(Decimal percent) const {
    // hundredths × percent-hundredths / 10,000, rounded half away from zero.
    Wide product = static_cast<Wide>(m_hundredths) * percent.m_hundredths;
    const Wide divisor = 10000;
    Wide quotient = product / divisor;
    const Wide remainder = product % divisor;
    if (remainder * 2 >= divisor) {
        ++quotient;
    } else if (remainder * 2 <= -divisor) {
        --quotient;
    }
    return Decimal(checked(quotient));
}

} // namespace sileram::domain
