#pragma once

#include "sileram/domain/reports.hpp"

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

struct CustomerCsv {
    std::vector<Customer> customers;
    std::vector<std::string> ignored_columns; // header names that are no customer column
};

// Reads customers from CSV text: a header row with `name` (or `customer`) and `revenue`, and
// optionally `segment`; `,` or `;` delimited (from the header), UTF-8 with or without BOM, CRLF
// or LF, RFC 4180 quoting. Throws InvalidInput naming `origin`, the row (the header is row 1)
// and the column of the first bad value; a name twice (ignoring case) is an error too.
CustomerCsv parse_customer_csv(std::string_view text, std::string_view origin);

} // namespace sileram::domain
