#include "binary_copy.hpp"

#include <array>

namespace sileram::storage::postgres {

namespace {

// "PGCOPY\n\377\r\n\0", then the flags and the length of the header extension (both 0).
constexpr std::array<char, 19> k_header{'P',  'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n',
                                        '\0', 0,   0,   0,   0,   0,   0,    0,      0};

// `value` in network byte order.
template <typename Unsigned>
void big_endian(std::string& out, Unsigned value) {
    for (int shift = (sizeof(Unsigned) - 1) * 8; shift >= 0; shift -= 8) {
        out += static_cast<char>((value >> shift) & 0xff);
    }
}

} // namespace

void BinaryCopy::row(std::int16_t fields) {
    big_endian(m_data, static_cast<std::uint16_t>(fields));
}

void BinaryCopy::length(std::int32_t n) {
    big_endian(m_data, static_cast<std::uint32_t>(n));
}

void BinaryCopy::text(std::string_view value) {
    raw(value);
}

void BinaryCopy::optional_text(const std::optional<std::string>& value) {
    if (value) {
        raw(*value);
    } else {
        length(-1);
    }
}

void BinaryCopy::integer(std::int64_t value) {
    length(8);
    big_endian(m_data, static_cast<std::uint64_t>(value));
}

void BinaryCopy::integer4(std::int32_t value) {
    length(4);
    big_endian(m_data, static_cast<std::uint32_t>(value));
}

void BinaryCopy::raw(std::string_view value) {
    length(static_cast<std::int32_t>(value.size()));
    m_data += value;
}

std::string BinaryCopy::take() {
    std::string out = std::move(m_data);
    m_data.clear();
    return out;
}

std::string BinaryCopy::finish() {
    std::string out(k_header.data(), k_header.size());
    out.reserve(k_header.size() + m_data.size() + 2);
    out += m_data;
    big_endian(out, static_cast<std::uint16_t>(0xffff)); // the trailer: a field count of -1
    m_data.clear();
    return out;
}

} // namespace sileram::storage::postgres
