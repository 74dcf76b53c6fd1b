#include "sileram/output/import.hpp"

#include "sileram/output/format.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::output {

namespace {

// Redraws of the progress line: the clock is read only every 1024 rows, the line drawn at
// most every 250 ms, so the meter costs the import nothing measurable.
constexpr std::int64_t k_rows_between_looks = 1024;
constexpr std::chrono::milliseconds k_redraw_interval{250};
// Back to the start of the line; erase to its end.
constexpr std::string_view k_line_start = "\r";
constexpr std::string_view k_erase_rest = "\x1b[K";

} // namespace

ImportProgress::ImportProgress(bool enabled, std::ostream& err, std::uint64_t total_bytes)
    : m_enabled(enabled), m_err(err), m_total(total_bytes), m_start(Clock::now()), m_last(m_start) {
}

void ImportProgress::update(std::int64_t rows, std::uint64_t bytes_read) {
    if (!m_enabled || rows % k_rows_between_looks != 0) {
        return;
    }
    const auto now = Clock::now();
    if (now - m_last < k_redraw_interval) {
        return;
    }
    m_last = now;
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    m_err << k_line_start << progress_text(rows, seconds, bytes_read, m_total) << k_erase_rest
          << std::flush;
    m_shown = true;
}

void ImportProgress::clear() {
    if (m_shown) {
        m_err << k_line_start << k_erase_rest << std::flush;
        m_shown = false;
    }
}

std::string progress_text(std::int64_t rows, double seconds, std::uint64_t bytes_read,
                          std::uint64_t total_bytes) {
    const auto per_second =
        seconds > 0 ? static_cast<std::int64_t>(static_cast<double>(rows) / seconds) : 0;
    std::string text = fmt::format("{} rows, {} rows/s", group_thousands(std::to_string(rows)),
                                   group_thousands(std::to_string(per_second)));
    if (total_bytes > 0) {
        text += fmt::format(", {:.0f}%", 100.0 * static_cast<double>(bytes_read) /
                                             static_cast<double>(total_bytes));
    }
    return text;
}

std::string phase_lines(const std::vector<ImportPhase>& phases) {
    std::size_t width = std::string_view("total").size();
    double total = 0;
    for (const ImportPhase& p : phases) {
        width = std::max(width, p.name.size());
        total += p.beside ? 0 : p.seconds;
    }
    std::string text;
    std::string beside;
    for (const ImportPhase& p : phases) {
        (p.beside ? beside : text) +=
            fmt::format("{:<{}}  {:8.2f} s{}\n", p.name + ":", width + 1, p.seconds,
                        p.beside ? "  (beside the others)" : "");
    }
    text += fmt::format("{:<{}}  {:8.2f} s\n", "total:", width + 1, total);
    return text + beside;
}

} // namespace sileram::output
