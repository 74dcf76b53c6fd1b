#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace sileram::output {

// A progress line for a long import on a terminal: rows, rows per second and the share of the
// file read, redrawn in place at most four times a second.
class ImportProgress {
public:
    // Draws nothing unless `enabled`; `total_bytes` 0 when the input's size is unknown.
    ImportProgress(bool enabled, std::ostream& err, std::uint64_t total_bytes);

    // After each row: redraws the line when it is due.
    void update(std::int64_t rows, std::uint64_t bytes_read);
    // Erases the line, if one was drawn, before anything else is printed.
    void clear();

private:
    using Clock = std::chrono::steady_clock;

    bool m_enabled;
    std::ostream& m_err;
    std::uint64_t m_total;
    Clock::time_point m_start;
    Clock::time_point m_last;
    bool m_shown = false;
};

// The text of a progress line, without the escape codes that redraw it: "12,288 rows,
// 40,960 rows/s, 3%" (the share only when `total_bytes` is known).
std::string progress_text(std::int64_t rows, double seconds, std::uint64_t bytes_read,
                          std::uint64_t total_bytes);

// One phase of an import and its seconds.
struct ImportPhase {
    std::string name;
    double seconds = 0;
    bool beside = false; // on a thread of its own: not part of the total
};

// The phases of an import as `--timings` prints them: one line each, "phase: N.NN s", then the
// total of those that ran one after the other, then those that ran beside them, marked so.
std::string phase_lines(const std::vector<ImportPhase>& phases);

} // namespace sileram::output
