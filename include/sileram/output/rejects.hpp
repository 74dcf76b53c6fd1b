#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sileram::output {

// The format of the import file, which its rejected rows keep.
enum class RejectsFormat { csv, jsonl };

// The rejected rows of an import with --skip-invalid, each with its row number and reason. Written
// to FILE.part and moved to FILE by publish() once the import has committed; a FILE that exists
// and is no regular file (a pipe, /dev/stdout) is written directly, as there is nothing to move.
// Destroyed before publish(), it removes FILE.part.
class RejectsFile {
public:
    // Opens FILE.part (or FILE); throws InvalidInput naming both when that fails.
    RejectsFile(const std::string& file, RejectsFormat format);
    ~RejectsFile();
    RejectsFile(const RejectsFile&) = delete;
    RejectsFile& operator=(const RejectsFile&) = delete;

    // A CSV row: its values under `columns` (the header, written before the first row), then
    // the row number and the reason.
    void write_csv(const std::vector<std::string>& values, const std::vector<std::string>& columns,
                   std::int64_t row, const std::string& reason);
    // A JSON line: the object as read with "row" and "reason" added; a line that is no object is
    // kept under "line".
    void write_json_line(const std::string& raw, std::int64_t row, const std::string& reason);
    // Writes out and closes the file, on disk for a regular one; throws TemporaryFailure naming
    // the file and the system's reason when that fails, so the import stops before it commits.
    void close();
    // After the commit: FILE.part becomes FILE; throws SystemFailure when it cannot.
    void publish();

    RejectsFormat format() const { return m_format; }

private:
    void flush();
    [[noreturn]] void fail() const;

    std::filesystem::path m_file;
    RejectsFormat m_format;
    bool m_direct;
    std::filesystem::path m_part;
    int m_fd = -1;
    std::string m_pending;
    bool m_header_written = false;
    bool m_done = false;
};

} // namespace sileram::output
