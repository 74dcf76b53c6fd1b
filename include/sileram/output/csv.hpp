#pragma once

#include <string>
#include <vector>

namespace sileram::output {

// One RFC 4180 record ending in CRLF: fields with the delimiter, a quote or a line break are
// quoted, quotes doubled.
std::string csv_record(const std::vector<std::string>& fields, char delimiter = ',');

} // namespace sileram::output
