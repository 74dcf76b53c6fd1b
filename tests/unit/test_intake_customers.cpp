#include "sileram/errors.hpp"
#include "sileram/intake/customers.hpp"

#include <doctest/doctest.h>
#include <sstream>
#include <string>

using sileram::intake::read_customers;

namespace {

sileram::intake::CustomerFile read_customer_text(const std::string& text) {
    std::istringstream in(text);
    return read_customers(in, "customers.csv");
}

std::string customer_file_error(const std::string& text) {
    try {
        read_customer_text(text);
    } catch (const sileram::InvalidInput& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("customer file: BOM, CRLF, semicolons, quotes, extra columns") {
    const auto r = read_customer_text("\xEF\xBB\xBFName;Revenue;Segment;owner\r\n"
                                      "\"Acme; BV\";2500000.50;enterprise;x\r\n"
                                      "  Café Ïda  ;10;;y\r\n");
    REQUIRE(r.customers.size() == 2);
    CHECK(r.customers[0].name == "Acme; BV");
    CHECK(r.customers[0].revenue == *sileram::domain::Decimal::parse("2500000.5"));
    CHECK(r.customers[0].segment == "enterprise");
    CHECK(r.customers[1].name == "Café Ïda");
    CHECK(r.ignored_columns == std::vector<std::string>{"owner"});
}

TEST_CASE("customer file: quoted commas and line breaks stay in their field; blank lines count") {
    const auto r =
        read_customer_text("customer,revenue,segment\n\"A, B\",1,\"x,\"\"y\"\"\"\n\nC,2,\n");
    REQUIRE(r.customers.size() == 2);
    CHECK(r.customers[0].name == "A, B");
    CHECK(r.customers[0].segment == "x,\"y\"");
    // A quoted line break keeps its record; a blank line counts as a row, as in a spreadsheet.
    CHECK(customer_file_error("name,revenue,note\nA,1,\"x\ny\"\n\nC,x,\n") ==
          "customers.csv: row 4, column revenue: 'x' is not an amount from 0 with at most two "
          "decimals (use a point: 1250000.50)");
    CHECK(customer_file_error("name,revenue\n\"A\nB\",1\n")
              .starts_with("customers.csv: row 2, column name"));
}

TEST_CASE("customer file: errors name file, row and column") {
    CHECK(customer_file_error("name,revenue\nAcme,12.345\n")
              .starts_with("customers.csv: row 2, column revenue: '12.345'"));
    CHECK(customer_file_error("name,revenue\n,5\n") ==
          "customers.csv: row 2, column name: the customer name is empty");
    CHECK(customer_file_error("name,revenue\nAcme,1\nACME,2\n") ==
          "customers.csv: row 3, column name: 'ACME' is already on row 2");
    CHECK(customer_file_error("name,segment\nAcme,x\n")
              .starts_with("customers.csv: row 1: the header needs"));
    CHECK(customer_file_error("").starts_with("customers.csv: the CSV input is empty"));
    CHECK(customer_file_error("name,revenue\n\"open,1\n")
              .starts_with("customers.csv: row 2: a quoted field"));
    CHECK(customer_file_error("name,revenue\nA,1,2\n") ==
          "customers.csv: row 2: the row has 3 fields; the header has 2 columns");
}

TEST_CASE("customer file: control characters are refused naming row and column") {
    CHECK(customer_file_error("name,revenue\nAcme\x1b[2J,1\n")
              .find("row 2, column name: the customer name 'Acme\\x1b[2J' holds the control "
                    "character \\x1b") != std::string::npos);
    CHECK(customer_file_error("name,revenue,segment\nAcme,1,b2b\x07\n")
              .find("row 2, column segment") != std::string::npos);
}

TEST_CASE("customer file: the apostrophe CSV output puts before a formula is taken off") {
    const auto r = read_customer_text("name,revenue,segment\n'=cmd|' /C calc'!A0,1,'@x\n");
    REQUIRE(r.customers.size() == 1);
    CHECK(r.customers[0].name == "=cmd|' /C calc'!A0");
    CHECK(r.customers[0].segment == "@x");
}
