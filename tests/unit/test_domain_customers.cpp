#include "sileram/domain/customers.hpp"
#include "sileram/errors.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace sileram::domain;

namespace {

std::string customers_error_of(std::string_view text) {
    try {
        parse_customer_csv(text, "customers.csv");
    } catch (const sileram::InvalidInput& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("customer CSV: header names, BOM, CRLF, semicolons, quotes") {
    const auto r = parse_customer_csv("\xEF\xBB\xBFName;Revenue;Segment;owner\r\n"
                                      "\"Acme; BV\";2500000.50;enterprise;x\r\n"
                                      "  Café Ïda  ;10;;y\r\n",
                                      "customers.csv");
    REQUIRE(r.customers.size() == 2);
    CHECK(r.customers[0].name == "Acme; BV");
    CHECK(r.customers[0].revenue == *Decimal::parse("2500000.5"));
    CHECK(r.customers[0].segment == "enterprise");
    CHECK(r.customers[1].name == "Café Ïda");
    CHECK(r.ignored_columns == std::vector<std::string>{"owner"});
}

TEST_CASE("customer CSV: a quoted line break stays in its record; blank lines are skipped") {
    const auto r =
        parse_customer_csv("customer,revenue,segment\nA,1,\"x,\"\"y\"\"\"\n\nC,2\n", "f");
    REQUIRE(r.customers.size() == 2);
    CHECK(r.customers[0].segment == "x,\"y\"");
    CHECK(customers_error_of("name,revenue\n\"A\nB\",1\nC,2\n").find("row 2") != std::string::npos);
}

TEST_CASE("customer CSV: errors name file, row and column") {
    CHECK(customers_error_of("name,revenue\nAcme,12.345\n")
              .find("customers.csv: row 2, column revenue") != std::string::npos);
    CHECK(customers_error_of("name,revenue\nAcme,-1\n").find("row 2, column revenue") !=
          std::string::npos);
    CHECK(customers_error_of("name,revenue\n,5\n").find("row 2, column name") != std::string::npos);
    CHECK(customers_error_of("name,revenue\nAcme,1\nACME,2\n")
              .find("row 3, column name: 'ACME' is already "
                    "on row 2") != std::string::npos);
    CHECK(customers_error_of("name,segment\nAcme,x\n").find("row 1: the header needs") !=
          std::string::npos);
    CHECK(customers_error_of("").find("empty") != std::string::npos);
    CHECK(customers_error_of("name,revenue\n\"open,1\n").find("not closed") != std::string::npos);
}

TEST_CASE("customer names are trimmed") {
    CHECK(customer_name("  Acme BV ") == "Acme BV");
}

TEST_CASE("customer CSV: control characters are refused naming row and column") {
    CHECK(customers_error_of("name,revenue\nAcme\x1b[2J,1\n")
              .find("row 2, column name: the customer name 'Acme\\x1b[2J' holds the control "
                    "character \\x1b") != std::string::npos);
    CHECK(customers_error_of("name,revenue,segment\nAcme,1,b2b\x07\n")
              .find("row 2, column segment") != std::string::npos);
}

TEST_CASE("customer CSV: the apostrophe CSV output puts before a formula is taken off") {
    const auto r = parse_customer_csv("name,revenue,segment\n'=cmd|' /C calc'!A0,1,'@x\n", "f");
    REQUIRE(r.customers.size() == 1);
    CHECK(r.customers[0].name == "=cmd|' /C calc'!A0");
    CHECK(r.customers[0].segment == "@x");
}
