#pragma once

#include "sileram/intake/record.hpp"

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::intake {

// A streaming RFC 4180 reader: a header row, then records. Accepts a UTF-8 byte order mark,
// CRLF or LF line ends, quoted fields with doubled quotes and line breaks inside; the delimiter is
// ',' or ';', taken from the header when not given (whichever occurs more outside quotes). Blank
// lines are skipped. A value's leading apostrophe before a formula character (=, +, -, @, tab,
// carriage return), which CSV output adds for spreadsheets, is removed. Reads in blocks, so memory
// stays flat however long the input is; a field, a record or a row's number of fields over its cap
// (record.hpp) stops the reading with InvalidInput naming the row and the column.
class CsvReader final : public RecordReader {
public:
    // Reads the header at once; throws InvalidInput when the input is empty or the header
    // itself is malformed.
    explicit CsvReader(std::istream& in, std::optional<char> delimiter = std::nullopt);

    const std::vector<std::string>& columns() const override { return m_header; }
    // A record with more fields than the header, or one whose quote never closes, comes back
    // with `error` set; reading goes on after it.
    bool next(Record& record) override;
    std::uint64_t bytes_read() const override { return m_consumed; }
    char delimiter() const { return m_delimiter; }

private:
    // Skips the empty lines before a record, counting them as rows; false at the end of input.
    bool skip_blank_lines();
    // Appends a quoted field's text (its opening quote next) to `field`, the `index`th of a record
    // that holds `record_bytes` before it; false when the input ends before the closing quote.
    bool read_quoted(std::string& field, std::size_t index, std::size_t record_bytes);
    // Appends text up to the next delimiter or line end to `field`.
    void read_unquoted(std::string& field, std::size_t index, std::size_t record_bytes);
    // Reads one record's fields; false at the end of the input.
    bool read_fields(std::vector<std::string>& fields, std::string& error);
    // Throws InvalidInput when the field `index` of the record being read, or the record as a
    // whole (`record_bytes`), has outgrown its cap.
    void require_within_caps(std::size_t index, const std::string& field,
                             std::size_t record_bytes) const;
    std::string column_name(std::size_t index) const;
    bool fill();
    int peek();
    int get();

    std::istream& m_in;
    char m_delimiter = ',';
    std::vector<std::string> m_header;
    std::int64_t m_row = 0;
    std::string m_buffer;
    std::size_t m_position = 0;
    std::uint64_t m_consumed = 0;
    std::vector<std::string> m_fields;
};

// The delimiter of a header line: ';' when it holds more semicolons than commas outside
// quotes, else ','.
char detect_delimiter(std::string_view header_line);

} // namespace sileram::intake
