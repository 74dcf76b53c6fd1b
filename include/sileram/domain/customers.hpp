#pragma once

#include "sileram/domain/reports.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::domain {

// A customer name as it is stored and matched: surrounding spaces removed. Names match the
// customer field of signals ignoring ASCII case.
std::string customer_name(std::string_view name);

// Checks one customer: a name of 1-300 characters on one line, a revenue from 0, a segment on
// one line. `where` prefixes the message ("FILE: row 3").
void require_customer(const Customer& customer, std::string_view where);

// Which column of a customer file feeds what.
struct CustomerColumns {
    std::size_t name = 0;
    std::size_t revenue = 0;
    std::optional<std::size_t> segment;
    std::vector<std::string> ignored; // header names that are no customer column
};

// Finds the customer columns in a file's header: `name` (or `customer`) and `revenue`, and
// optionally `segment`, ignoring case and surrounding spaces. Throws InvalidInput prefixed with
// `where` ("FILE: row 1") when one is missing or appears twice.
CustomerColumns customer_columns(const std::vector<std::string>& header, std::string_view where);

// Builds one customer from a row's values (one per header column) and checks it as
// require_customer does; throws InvalidInput naming `where` ("FILE: row 3") and the column.
Customer customer_from_row(const std::vector<std::string>& values, const CustomerColumns& columns,
                           std::string_view where);

// The customer names of one file so far, so that a name twice (ignoring case) is refused.
class CustomerNames {
public:
    // Remembers `customer` at `row`; throws InvalidInput naming `where` and the earlier row when
    // the name was there before.
    void add(const Customer& customer, std::int64_t row, std::string_view where);

private:
    std::map<std::string, std::int64_t> m_rows; // lower-case name -> row
};

} // namespace sileram::domain
