#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sileram::intake {

// What a reader holds at most, so that memory stays flat however a file is broken (an unclosed
// quote would otherwise gather the rest of the file into one field). Far above any valid record:
// a title has at most 300 characters and a description 20,000, that is 80,000 bytes of UTF-8 or
// 240,000 as JSON \u escapes. A reader stops with InvalidInput naming the row (and column) at
// the first record over a cap: the file itself is broken, so no row of it is imported.
constexpr std::size_t k_max_field_bytes = std::size_t{1} << 20;  // one value, 1 MiB
constexpr std::size_t k_max_record_bytes = std::size_t{4} << 20; // a record or JSON line, 4 MiB
constexpr std::size_t k_max_columns = 1000; // CSV fields in a row, distinct JSON keys in a file

// One record of an import file, before validation.
struct Record {
    // Where it stands in the file: for CSV the record number with the header as row 1 (as a
    // spreadsheet counts), for JSON lines the line number.
    std::int64_t row = 0;
    // The values by column index (see the reader's columns()); a column the record lacks is empty.
    std::vector<std::string> values;
    // Set when the record cannot be read at all (broken JSON, a CSV row with too many fields);
    // the values are then incomplete.
    std::string error;
    // JSON lines: the line as it stood in the file, for the rejects file (CSV rebuilds its rows).
    std::string raw;
};

// The readers' common interface, so the import and a fuzzer drive either format alike.
class RecordReader {
public:
    virtual ~RecordReader() = default;
    // The column names known so far: the CSV header, or every key JSON lines have shown yet.
    virtual const std::vector<std::string>& columns() const = 0;
    // Reads the next record into `record`; false at the end of the input.
    virtual bool next(Record& record) = 0;
    // Bytes consumed from the input so far, for progress.
    virtual std::uint64_t bytes_read() const = 0;
};

} // namespace sileram::intake
