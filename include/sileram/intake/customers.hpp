#pragma once

#include "sileram/domain/reports.hpp"

#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::intake {

// The customers of one file, checked, in file order.
struct CustomerFile {
    std::vector<domain::Customer> customers;
    std::vector<std::string> ignored_columns; // header names that are no customer column
};

// Reads customers from CSV with the import's CsvReader (so the same BOM, CRLF, `;` and quoting
// rules): a header row with `name` (or `customer`) and `revenue`, optionally `segment`. All or
// nothing: the first unreadable or invalid row throws InvalidInput naming `origin`, the row (the
// header is row 1) and the column; a name twice (ignoring case) is an error too.
CustomerFile read_customers(std::istream& in, std::string_view origin);

} // namespace sileram::intake
