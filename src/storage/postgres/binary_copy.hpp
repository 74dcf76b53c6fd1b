#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sileram::storage::postgres {

// Rows in the binary format of COPY … FROM STDIN WITH (FORMAT binary): the server reads each
// value by its type's receive function instead of parsing text. For a search vector that is the
// difference that counts: the binary form of a tsvector (as a query with binary results returns
// it) goes in as it came, where its text form had to be parsed lexeme by lexeme.
class BinaryCopy {
public:
    // Starts a row of `fields` values; the values follow in the table's column order.
    void row(std::int16_t fields);
    void text(std::string_view value);
    void optional_text(const std::optional<std::string>& value); // NULL for none
    void integer(std::int64_t value);                            // bigint
    void integer4(std::int32_t value);
    // A value already in its type's binary form.
    void raw(std::string_view value);
    // Values that another BinaryCopy wrote (its take()).
    void append(std::string_view part) { m_data += part; }

    // What was written, without header and trailer, for append(); empties this.
    std::string take();
    // The rows with the header and the trailer, as COPY reads them; empties this.
    std::string finish();

private:
    void length(std::int32_t n);
    std::string m_data;
};

} // namespace sileram::storage::postgres
