#pragma once

#include <string>
#include <vector>

namespace sileram::output {

// What a CSV cell holds: a number is written as it is, text is kept from being read as a
// spreadsheet formula.
enum class CsvKind { text, number };

// One cell of a CSV record.
struct CsvCell {
    std::string value;
    CsvKind kind = CsvKind::text;
};

// A number cell: `value` is written unchanged when it is a plain decimal number ("-5", "12.50"),
// as text otherwise.
CsvCell csv_number(std::string value);

// One RFC 4180 record ending in CRLF: fields with the delimiter, a quote or a line break are
// quoted, quotes doubled. A text cell that a spreadsheet would take for a formula (it starts with
// =, +, -, @, a tab or a carriage return) or that starts with an apostrophe before one of those
// gets a leading apostrophe, as OWASP advises against CSV injection; JSON output stays exact.
std::string csv_record(const std::vector<CsvCell>& cells, char delimiter = ',');

// A record whose every cell is text (a header, a row without numbers).
std::string csv_record(const std::vector<std::string>& texts, char delimiter = ',');

} // namespace sileram::output
