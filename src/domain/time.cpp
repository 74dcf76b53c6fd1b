#include "sileram/domain/time.hpp"

#include <fmt/format.h>

namespace sileram::domain {

namespace {

using namespace std::chrono;

// Reads exactly `width` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
    if (pos + width > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += width;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

std::optional<sys_days> read_day(std::string_view text, std::size_t& pos) {
    const auto y = digits(text, pos, 4);
    if (!y || !expect(text, pos, '-')) {
        return std::nullopt;
    }
    const auto m = digits(text, pos, 2);
    if (!m || !expect(text, pos, '-')) {
        return std::nullopt;
    }
    const auto d = digits(text, pos, 2);
    if (!d) {
        return std::nullopt;
    }
    const year_month_day day{year{*y}, month{static_cast<unsigned>(*m)},
                             std::chrono::day{static_cast<unsigned>(*d)}};
    if (!day.ok()) {
        return std::nullopt;
    }
    return sys_days{day};
}

} // namespace

std::optional<int> parse_days_ago(std::string_view text) {
    if (text == "today") {
        return 0;
    }
    if (text == "yesterday") {
        return 1;
    }
    if (text.size() < 2 || (text.back() != 'd' && text.back() != 'w')) {
        return std::nullopt;
    }
    const int per = text.back() == 'w' ? 7 : 1;
    const std::string_view number = text.substr(0, text.size() - 1);
    long long value = 0;
    for (const char c : number) {
        if (c < '0' || c > '9' || value > k_most_days_ago) {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    if (value * per > k_most_days_ago) {
        return std::nullopt;
    }
    return static_cast<int>(value * per);
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
    std::size_t pos = 0;
    const auto day = read_day(text, pos);
    if (!day) {
        return std::nullopt;
    }
    Timestamp at{*day};
    if (pos == text.size()) {
        return at;
    }
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') {
        return std::nullopt;
    }
    ++pos;
    const auto h = digits(text, pos, 2);
    if (!h || !expect(text, pos, ':')) {
        return std::nullopt;
    }
    const auto mi = digits(text, pos, 2);
    if (!mi) {
        return std::nullopt;
    }
    int s = 0;
    if (expect(text, pos, ':')) {
        const auto sec = digits(text, pos, 2);
        if (!sec) {
            return std::nullopt;
        }
        s = *sec;
        if (expect(text, pos, '.') || expect(text, pos, ',')) {
            const std::size_t start = pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                ++pos;
            }
            if (pos == start) {
                return std::nullopt;
            }
        }
    }
    if (*h > 23 || *mi > 59 || s > 59) {
        return std::nullopt;
    }
    at += hours{*h} + minutes{*mi} + seconds{s};
    if (pos == text.size() || expect(text, pos, 'Z') || expect(text, pos, 'z')) {
        return pos == text.size() ? std::optional<Timestamp>{at} : std::nullopt;
    }
    const char sign = text[pos];
    if (sign != '+' && sign != '-') {
        return std::nullopt;
    }
    ++pos;
    const auto oh = digits(text, pos, 2);
    if (!oh) {
        return std::nullopt;
    }
    expect(text, pos, ':');
    const auto om = digits(text, pos, 2);
    if (!om || pos != text.size() || *oh > 23 || *om > 59) {
        return std::nullopt;
    }
    const auto offset = hours{*oh} + minutes{*om};
    return sign == '+' ? at - offset : at + offset;
}

bool within_input_years(Timestamp at) {
    using namespace std::chrono;
    const int y = static_cast<int>(year_month_day{floor<days>(at)}.year());
    return y >= k_first_year && y <= k_last_year;
}

std::optional<Date> parse_date(std::string_view text) {
    const auto at = parse_timestamp(text);
    if (!at) {
        return std::nullopt;
    }
    return floor<days>(*at);
}

std::string format_timestamp(Timestamp at) {
    const auto day = floor<days>(at);
    const year_month_day ymd{day};
    const hh_mm_ss time{at - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                       time.hours().count(), time.minutes().count(), time.seconds().count());
}

std::string format_date(Date day) {
    const year_month_day ymd{day};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

long days_between(Timestamp from, Timestamp to) {
    return static_cast<long>(floor<days>(to - from).count());
}

} // namespace sileram::domain
