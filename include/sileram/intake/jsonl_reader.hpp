#pragma once

#include "sileram/intake/record.hpp"

#include <istream>
#include <map>
#include <string>
#include <vector>

namespace sileram::intake {

// Reads JSON lines: one object per line, keys as columns. Strings are taken as they are,
// numbers and booleans as their JSON text, null as empty. A line that is not a JSON object, or
// holds a nested object or array, or text that is not UTF-8, comes back with `error` set and
// reading goes on. Blank lines are skipped; a UTF-8 byte order mark and CRLF are accepted. A
// line, a value or the number of distinct keys over its cap (record.hpp) stops the reading with
// InvalidInput naming the line (and key).
class JsonLinesReader final : public RecordReader {
public:
    explicit JsonLinesReader(std::istream& in);

    const std::vector<std::string>& columns() const override { return m_columns; }
    bool next(Record& record) override;
    std::uint64_t bytes_read() const override { return m_consumed; }

private:
    std::size_t column_index(const std::string& key);
    // Reads one line without its '\n' into m_text; false at the end of the input.
    bool read_line();

    std::istream& m_in;
    std::vector<std::string> m_columns;
    std::map<std::string, std::size_t> m_index;
    std::int64_t m_line = 0;
    std::uint64_t m_consumed = 0;
    std::string m_text;
};

} // namespace sileram::intake
