#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sileram::domain {

// A signed fixed-point number with exactly two decimals, stored as an integer count of
// hundredths. Money, satisfaction scores and percentages use it so that sums never drift.
class Decimal {
public:
    // The largest magnitude in hundredths: a product of two such values fits 128 bits.
    static constexpr std::int64_t k_max_hundredths = (std::int64_t{1} << 62) - 1;

    constexpr Decimal() = default;

    static constexpr Decimal from_hundredths(std::int64_t hundredths) {
        return Decimal(hundredths);
    }
    static constexpr Decimal from_whole(std::int64_t whole) { return Decimal(whole * 100); }

    // Parses "12", "-3.5" or "1234.56"; nullopt for anything else, for a third decimal,
    // or for a value whose hundredths do not fit in 62 bits.
    static std::optional<Decimal> parse(std::string_view text);
    // Whether `text` is written as `parse` reads it, whatever its size: tells a value too large
    // to hold from one that is not a number at all.
    static bool is_number_text(std::string_view text);
    // The largest value `parse` accepts.
    static constexpr Decimal largest() { return Decimal(k_max_hundredths); }

    constexpr std::int64_t hundredths() const { return m_hundredths; }
    double to_double() const { return static_cast<double>(m_hundredths) / 100.0; }

    // "1234.5" style: as few decimals as the value needs, no thousands separators.
    std::string to_string() const;
    // Always two decimals: "1234.50".
    std::string to_fixed() const;

    friend constexpr bool operator==(Decimal, Decimal) = default;
    // clang-tidy 14 reads the 0 inside a defaulted <=> as a null pointer.
    // NOLINTNEXTLINE(modernize-use-nullptr)
    friend constexpr auto operator<=>(Decimal, Decimal) = default;

    // Checked arithmetic: throws InvalidInput when the result does not fit.
    friend Decimal operator+(Decimal a, Decimal b);
    friend Decimal operator-(Decimal a, Decimal b);
    Decimal times(std::int64_t factor) const;
    // this × percent / 100, rounded half away from zero to the cent.
    Decimal percent_of(Decimal percent) const;

private:
    explicit constexpr Decimal(std::int64_t hundredths) : m_hundredths(hundredths) {}
    std::int64_t m_hundredths = 0;
};

} // namespace sileram::domain
