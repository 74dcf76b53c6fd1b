#include "sileram/domain/customers.hpp"
#include "sileram/errors.hpp"

#include <doctest/doctest.h>
#include <functional>
#include <string>

using namespace sileram::domain;

namespace {

std::string customer_check_error(const std::function<void()>& check) {
    try {
        check();
    } catch (const sileram::InvalidInput& e) {
        return e.what();
    }
    return "";
}

const std::vector<std::string> k_customer_header = {"Name ", "owner", "SEGMENT", "revenue"};

} // namespace

TEST_CASE("customer columns: names ignore case and spaces; others are listed as ignored") {
    const CustomerColumns columns = customer_columns(k_customer_header, "f.csv: row 1");
    CHECK(columns.name == 0);
    CHECK(columns.revenue == 3);
    CHECK(columns.segment == 2);
    CHECK(columns.ignored == std::vector<std::string>{"owner"});
    CHECK(customer_columns({"customer", "revenue"}, "f").name == 0);
    CHECK_FALSE(customer_columns({"customer", "revenue"}, "f").segment.has_value());
}

TEST_CASE("customer columns: a missing or doubled column names the header row") {
    CHECK(customer_check_error([] {
              customer_columns({"name", "segment"}, "f.csv: row 1");
          }).starts_with("f.csv: row 1: the header needs the columns name and revenue"));
    CHECK(customer_check_error([] {
              customer_columns({"name", "revenue", "Customer"}, "f.csv: row 1");
          }) == "f.csv: row 1, column 3: the column 'customer' appears twice");
}

TEST_CASE("customer row: values are trimmed and checked, errors name the column") {
    const CustomerColumns columns = customer_columns(k_customer_header, "f");
    const Customer c = customer_from_row({"  Café Ïda ", "x", " smb", "2500000.50"}, columns, "w");
    CHECK(c.name == "Café Ïda");
    CHECK(c.segment == "smb");
    CHECK(c.revenue == *Decimal::parse("2500000.5"));
    CHECK(customer_check_error([&] {
              customer_from_row({"Acme", "", "", "12.345"}, columns, "f: row 2");
          }).starts_with("f: row 2, column revenue: '12.345' is not an amount"));
    CHECK(customer_check_error([&] {
              customer_from_row({"Acme", "", "", "-1"}, columns, "f: row 2");
          }).starts_with("f: row 2, column revenue:"));
    CHECK(customer_check_error([&] {
              customer_from_row({" ", "", "", "1"}, columns, "f: row 2");
          }) == "f: row 2, column name: the customer name is empty");
    CHECK(customer_check_error([&] {
              customer_from_row({"A\nB", "", "", "1"}, columns, "f: row 4");
          }).starts_with("f: row 4, column name: the customer name"));
    CHECK(customer_check_error([&] {
              customer_from_row({"A", "", "x\ny", "1"}, columns, "f: row 5");
          }) ==
          "f: row 5, column segment: the segment 'x\\ny' holds a line break; it must be one line");
}

TEST_CASE("customer names: a name twice in one file, ignoring case, names the first row") {
    CustomerNames names;
    names.add(Customer{"Acme", {}, {}}, 2, "f: row 2");
    names.add(Customer{"Beta", {}, {}}, 3, "f: row 3");
    CHECK(customer_check_error([&] {
              names.add(Customer{"ACME", {}, {}}, 5, "f: row 5");
          }) == "f: row 5, column name: 'ACME' is already on row 2");
}

TEST_CASE("customer set: one customer is checked without a file") {
    CHECK(customer_check_error([] {
              require_customer(Customer{"", {}, {}}, "");
          }) == "the customer name is empty");
    CHECK(customer_check_error([] {
              require_customer(Customer{"A", *Decimal::parse("-5"), {}}, "");
          }).find("negative") != std::string::npos);
    CHECK(customer_check_error([] { require_customer(Customer{"A", {}, {}}, ""); }).empty());
}

TEST_CASE("customer names are trimmed") {
    CHECK(customer_name("  Acme BV ") == "Acme BV");
}
