#include "sileram/domain/decimal.hpp"
#include "sileram/errors.hpp"
#include "support.hpp"

#include <cstdint>
#include <doctest/doctest.h>
#include <string>

using namespace sileram::domain;
using sileram::InvalidInput;

using namespace test_support;

namespace {

// The largest magnitude a Decimal holds: 2^62 − 1 hundredths.
constexpr std::int64_t k_max = (std::int64_t{1} << 62) - 1;

Decimal cents(std::int64_t hundredths) {
    return Decimal::from_hundredths(hundredths);
}

} // namespace

TEST_CASE("parse accepts whole numbers, one or two decimals and a sign") {
    const struct {
        std::string_view text;
        std::int64_t hundredths;
    } cases[] = {
        {"0", 0},
        {"12", 1200},
        {"-3.5", -350},
        {"1234.56", 123456},
        {"1.05", 105},
        {"0.01", 1},
        {"-0.01", -1},
        {"+7", 700},
        {"-0", 0},
        {"007.50", 750},
        {"10.0", 1000},
        {"99.99", 9999},
        {"6.9", 690},
        {"7.2", 720},
        {"100", 10000},
        {"-46116860184273879.03", -k_max},
        {"46116860184273879.03", k_max},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const auto parsed = Decimal::parse(c.text);
        REQUIRE(parsed.has_value());
        CHECK(parsed->hundredths() == c.hundredths);
    }
}

TEST_CASE("parse refuses anything else") {
    const std::string_view invalid[] = {
        "",
        "-",
        "+",
        "1.",
        ".5",
        "-.5",
        "1.234",
        "1e3",
        "abc",
        "1,5",
        " 1",
        "1 ",
        "--1",
        "+-1",
        "1.2.3",
        "0x10",
        "1.5a",
        "١",
        "1_000",
        "1'000",
        "∞",
        "nan",
        "1.-5",
        "12-",
        "46116860184273879.04",
        "-46116860184273879.04",
        "99999999999999999999",
        "100000000000000000000000000000000000000000",
    };
    for (std::string_view text : invalid) {
        CAPTURE(text);
        CHECK_FALSE(Decimal::parse(text).has_value());
    }
}

TEST_CASE("to_string uses as few decimals as needed, to_fixed always two") {
    const struct {
        std::int64_t hundredths;
        std::string_view shortest;
        std::string_view fixed;
    } cases[] = {
        {0, "0", "0.00"},
        {1, "0.01", "0.01"},
        {10, "0.1", "0.10"},
        {100, "1", "1.00"},
        {1000, "10", "10.00"},
        {100000, "1000", "1000.00"},
        {123450, "1234.5", "1234.50"},
        {123456, "1234.56", "1234.56"},
        {-1, "-0.01", "-0.01"},
        {-50, "-0.5", "-0.50"},
        {-350, "-3.5", "-3.50"},
        {-100000, "-1000", "-1000.00"},
        {57600000, "576000", "576000.00"},
        {k_max, "46116860184273879.03", "46116860184273879.03"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.hundredths);
        CHECK(cents(c.hundredths).to_string() == c.shortest);
        CHECK(cents(c.hundredths).to_fixed() == c.fixed);
    }
}

TEST_CASE("to_string and parse round-trip") {
    for (std::int64_t h : {std::int64_t{0}, std::int64_t{5}, std::int64_t{-5}, std::int64_t{90},
                           std::int64_t{123456789}, std::int64_t{-987654321}, k_max, -k_max}) {
        CAPTURE(h);
        CHECK(dec(cents(h).to_string()) == cents(h));
        CHECK(dec(cents(h).to_fixed()) == cents(h));
    }
}

TEST_CASE("construction, comparison and to_double") {
    CHECK(Decimal{}.hundredths() == 0);
    CHECK(Decimal::from_whole(12).hundredths() == 1200);
    CHECK(Decimal::from_whole(-3).hundredths() == -300);
    CHECK(dec("1.5") == cents(150));
    CHECK(dec("1.5") != dec("1.05"));
    CHECK(dec("1.05") < dec("1.5"));
    CHECK(dec("-2") < dec("-1.99"));
    CHECK(dec("10") >= Decimal::from_whole(10));
    CHECK(dec("6.9").to_double() == doctest::Approx(6.9));
    CHECK(dec("-0.25").to_double() == doctest::Approx(-0.25));
}

TEST_CASE("addition and subtraction are exact") {
    CHECK(dec("0.1") + dec("0.2") == dec("0.3"));
    CHECK((dec("0.1") + dec("0.2")).to_fixed() == "0.30");
    CHECK(dec("7.2") - dec("6.9") == cents(30));
    CHECK(dec("6.9") - dec("7.2") == cents(-30));
    CHECK(dec("-1.5") + dec("1.5") == Decimal{});
    CHECK(dec("-1.5") - dec("1.5") == dec("-3"));
    CHECK(cents(k_max) - cents(k_max) == Decimal{});
    CHECK(cents(k_max - 1) + cents(1) == cents(k_max));
}

TEST_CASE("a sum of many cents does not drift") {
    Decimal total;
    const Decimal dime = dec("0.10");
    for (int i = 0; i < 1000000; ++i) {
        total = total + dime;
    }
    CHECK(total == dec("100000.00"));
    CHECK(total.to_fixed() == "100000.00");

    Decimal down = total;
    const Decimal tenth = dec("0.1");
    for (int i = 0; i < 1000000; ++i) {
        down = down - tenth;
    }
    CHECK(down == Decimal{});
}

TEST_CASE("times multiplies exactly") {
    CHECK(dec("10").times(12000) == Decimal::from_whole(120000));
    CHECK(dec("0.33").times(3) == dec("0.99"));
    CHECK(dec("2.50").times(-4) == dec("-10"));
    CHECK(dec("-0.01").times(-1) == dec("0.01"));
    CHECK(dec("123.45").times(0) == Decimal{});
    CHECK(dec("0.01").times(k_max) == cents(k_max));
}

TEST_CASE("percent_of rounds half away from zero to the cent") {
    CHECK(Decimal::from_whole(1440000).percent_of(Decimal::from_whole(40)) ==
          Decimal::from_whole(576000));
    CHECK(dec("10").percent_of(dec("33.33")) == dec("3.33"));
    CHECK(dec("0.01").percent_of(Decimal::from_whole(50)) == dec("0.01"));
    CHECK(dec("0.01").percent_of(dec("49.99")) == Decimal{});
    CHECK(dec("-0.01").percent_of(Decimal::from_whole(50)) == dec("-0.01"));
    CHECK(dec("-0.01").percent_of(dec("49.99")) == Decimal{});
    CHECK(dec("0.01").percent_of(Decimal::from_whole(-50)) == dec("-0.01"));
    CHECK(dec("-0.01").percent_of(Decimal::from_whole(-50)) == dec("0.01"));
    CHECK(dec("0.03").percent_of(Decimal::from_whole(50)) == dec("0.02"));   // 0.015 → 0.02
    CHECK(dec("-0.03").percent_of(Decimal::from_whole(50)) == dec("-0.02")); // −0.015 → −0.02
    CHECK(dec("0.05").percent_of(Decimal::from_whole(10)) == dec("0.01"));   // 0.005 → 0.01
    CHECK(dec("0.04").percent_of(Decimal::from_whole(10)) == Decimal{});     // 0.004 → 0.00
    CHECK(dec("0.07").percent_of(Decimal::from_whole(10)) == dec("0.01"));   // 0.007 → 0.01
    CHECK(dec("-0.07").percent_of(Decimal::from_whole(10)) == dec("-0.01"));
    CHECK(dec("123.45").percent_of(Decimal::from_whole(100)) == dec("123.45"));
    CHECK(dec("123.45").percent_of(Decimal{}) == Decimal{});
    CHECK(dec("200").percent_of(dec("12.5")) == dec("25"));
}

TEST_CASE("overflow throws InvalidInput") {
    const Decimal max = cents(k_max);
    const Decimal min = cents(-k_max);
    CHECK_THROWS_AS(max + cents(1), InvalidInput);
    CHECK_THROWS_AS(min - cents(1), InvalidInput);
    CHECK_THROWS_AS(max - min, InvalidInput);
    CHECK_THROWS_AS(max.times(2), InvalidInput);
    CHECK_THROWS_AS(min.times(2), InvalidInput);
    CHECK_THROWS_AS(Decimal::from_whole(10).times(INT64_MAX), InvalidInput);
    CHECK_THROWS_AS(max.percent_of(Decimal::from_whole(101)), InvalidInput);
    CHECK_NOTHROW(max.percent_of(Decimal::from_whole(100)));
    try {
        (void)(max + cents(1));
        FAIL("expected InvalidInput");
    } catch (const InvalidInput& e) {
        CHECK(std::string(e.what()).find("too large") != std::string::npos);
        CHECK(e.code() == sileram::ExitCode::invalid_input);
    }
}

TEST_CASE("is_number_text tells a number too large to hold from no number") {
    CHECK(Decimal::is_number_text("99999999999999999999"));
    CHECK(Decimal::is_number_text("-12.5"));
    CHECK_FALSE(Decimal::parse("99999999999999999999").has_value());
    CHECK(Decimal::parse(Decimal::largest().to_string()) == Decimal::largest());
    CHECK_FALSE(Decimal::is_number_text("12.345"));
    CHECK_FALSE(Decimal::is_number_text("1e5"));
    CHECK_FALSE(Decimal::is_number_text("12."));
    CHECK_FALSE(Decimal::is_number_text(""));
}
