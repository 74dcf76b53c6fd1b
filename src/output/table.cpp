#include "sileram/output/table.hpp"

#include "sileram/domain/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace sileram::output {

namespace {

constexpr std::string_view k_column_gap = "  ";
constexpr std::size_t k_min_shrunk_width = 3;
constexpr std::string_view k_full_block = "█";
// Index n holds the block n/8 of a column wide; index 0 is never drawn.
constexpr std::array<std::string_view, 8> k_eighth_blocks = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
constexpr std::size_t k_eighths_per_column = 8;

// A line break would break the grid, and a tab jumps to a tab stop the width count cannot
// know, so cells keep their first line and tabs become single spaces.
std::string single_line(std::string text) {
    if (const std::size_t pos = text.find_first_of("\r\n"); pos != std::string::npos) {
        text.resize(pos);
        text.append(k_ellipsis);
    }
    std::replace(text.begin(), text.end(), '\t', ' ');
    return text;
}

// A wrap cell keeps its line breaks, normalised to '\n', and tabs become single spaces.
std::string multi_line(std::string text) {
    std::string result;
    result.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            result.push_back('\n');
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
        } else {
            result.push_back(text[i] == '\t' ? ' ' : text[i]);
        }
    }
    return result;
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t end = text.find('\n'); end != std::string_view::npos;
         end = text.find('\n', start)) {
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    lines.push_back(text.substr(start));
    return lines;
}

// The text cut at `width` display columns without a mark; trailing spaces go too.
std::string clip_to_width(const std::string& text, std::size_t width) {
    if (display_width(text) <= width) {
        return text;
    }
    // truncate_to_width keeps width - 1 columns and adds the one-column ellipsis.
    std::string cut = truncate_to_width(text + " ", width + 1);
    cut.resize(cut.size() - k_ellipsis.size());
    const std::size_t end = cut.find_last_not_of(' ');
    cut.resize(end == std::string::npos ? 0 : end + 1);
    return cut;
}

void trim_trailing_spaces(std::string& line) {
    const std::size_t end = line.find_last_not_of(' ');
    line.resize(end == std::string::npos ? 0 : end + 1);
}

} // namespace

Table::Table(std::vector<Column> columns) : m_columns(std::move(columns)) {
    for (Column& column : m_columns) {
        column.header = single_line(std::move(column.header));
    }
}

void Table::add_row(std::vector<std::string> cells, std::vector<Hue> hues) {
    if (cells.size() > m_columns.size()) {
        throw std::invalid_argument(
            fmt::format("table row has {} cells for {} columns", cells.size(), m_columns.size()));
    }
    cells.resize(m_columns.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        // Stored text may hold control characters (older databases, other writers).
        std::string shown = domain::printable(cells[i], domain::Lines::multi);
        cells[i] = m_columns[i].overflow == Overflow::wrap ? multi_line(std::move(shown))
                                                           : single_line(std::move(shown));
    }
    m_rows.push_back(std::move(cells));
    hues.resize(m_columns.size(), Hue::none);
    m_hues.push_back(std::move(hues));
}

std::size_t Table::row_count() const {
    return m_rows.size();
}

std::vector<std::size_t> Table::natural_widths() const {
    std::vector<std::size_t> widths;
    widths.reserve(m_columns.size());
    for (const Column& column : m_columns) {
        widths.push_back(display_width(column.header));
    }
    for (const auto& row : m_rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            for (const std::string_view line : split_lines(row[i])) {
                widths[i] = std::max(widths[i], display_width(line));
            }
        }
    }
    return widths;
}

std::size_t Table::shrink(std::vector<std::size_t>& widths, std::size_t max_width) const {
    std::size_t total = 0;
    std::size_t shown = 0;
    for (const std::size_t width : widths) {
        if (width > 0) {
            total += width;
            ++shown;
        }
    }
    total += k_column_gap.size() * (shown > 0 ? shown - 1 : 0);

    // A bar gives up its room first: its number stays, and the title keeps what is left.
    for (std::size_t i = 0; i < widths.size() && total > max_width; ++i) {
        if (widths[i] > 0 && m_columns[i].overflow == Overflow::clip) {
            const std::size_t floor = std::max(m_columns[i].min_width, std::size_t{1});
            const std::size_t give =
                std::min(widths[i] - std::min(widths[i], floor), total - max_width);
            widths[i] -= give;
            total -= give;
        }
    }

    // Headers are kept whole while that suffices; only then may they be cut as well.
    std::vector<std::size_t> floor_keeping_header(widths.size());
    std::vector<std::size_t> floor_cutting_header(widths.size());
    for (std::size_t i = 0; i < widths.size(); ++i) {
        const Column& column = m_columns[i];
        floor_cutting_header[i] = std::max(column.min_width, k_min_shrunk_width);
        floor_keeping_header[i] = std::max(floor_cutting_header[i], display_width(column.header));
    }
    for (const auto* floors : {&floor_keeping_header, &floor_cutting_header}) {
        // Taking one column from the widest each time spreads the loss evenly among columns
        // that end up equally wide, instead of wiping out whichever came first.
        while (total > max_width) {
            std::size_t widest = widths.size();
            for (std::size_t i = 0; i < widths.size(); ++i) {
                if (m_columns[i].shrinkable && m_columns[i].overflow != Overflow::clip &&
                    widths[i] > (*floors)[i] &&
                    (widest == widths.size() || widths[i] > widths[widest])) {
                    widest = i;
                }
            }
            if (widest == widths.size()) {
                break;
            }
            --widths[widest];
            --total;
        }
    }
    return total;
}

std::vector<std::size_t> Table::fitted_widths(std::size_t max_width) const {
    const std::vector<std::size_t> natural = natural_widths();
    std::vector<bool> left_out(natural.size(), false);
    while (true) {
        std::vector<std::size_t> widths = natural;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            // An empty column keeps one column of width so that 0 can mean "left out".
            widths[i] = left_out[i] ? 0 : std::max(widths[i], std::size_t{1});
        }
        if (shrink(widths, max_width) <= max_width) {
            return widths;
        }
        // Still too wide: leave out the least important column still shown, and start over
        // from the natural widths so that the title regains what the column gives back.
        std::size_t drop = widths.size();
        for (std::size_t i = 0; i < widths.size(); ++i) {
            if (!left_out[i] && m_columns[i].drop_rank > 0 &&
                (drop == widths.size() || m_columns[i].drop_rank > m_columns[drop].drop_rank)) {
                drop = i;
            }
        }
        if (drop == widths.size()) {
            return widths;
        }
        left_out[drop] = true;
    }
}

std::vector<std::string> Table::cell_lines(const std::string& cell, std::size_t width,
                                           Overflow overflow) {
    // Only shrunk columns can be narrower than their text, and those may be cut or wrapped.
    if (overflow == Overflow::truncate) {
        return {truncate_to_width(cell, width)};
    }
    if (overflow == Overflow::clip) {
        return {clip_to_width(cell, width)};
    }
    std::vector<std::string> lines;
    for (const std::string_view line : split_lines(cell)) {
        // A line that fits is kept verbatim, so wrapping never reflows its spacing.
        if (display_width(line) <= width) {
            lines.emplace_back(line);
            continue;
        }
        for (std::string& piece : wrap_to_width(line, width)) {
            lines.push_back(std::move(piece));
        }
    }
    return lines;
}

std::string Table::render_row(const std::vector<std::string>& cells,
                              const std::vector<std::size_t>& widths, bool is_header,
                              const std::vector<Hue>& hues, Color color) const {
    std::vector<std::vector<std::string>> columns;
    columns.reserve(cells.size());
    std::size_t height = 1;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        // Headers stay on one line, so that the header row is always a single line.
        columns.push_back(widths[i] == 0
                              ? std::vector<std::string>{}
                              : cell_lines(cells[i], widths[i],
                                           is_header ? Overflow::truncate : m_columns[i].overflow));
        height = std::max(height, columns.back().size());
    }

    std::string result;
    for (std::size_t row = 0; row < height; ++row) {
        std::string line;
        bool first = true;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (widths[i] == 0) {
                continue;
            }
            if (!first) {
                line.append(k_column_gap);
            }
            first = false;
            // A cell with fewer lines than the row is blank below its last one.
            const std::string_view text =
                row < columns[i].size() ? std::string_view(columns[i][row]) : std::string_view();
            // Painted after the cut, so that no escape code is cut or counted.
            line.append(
                pad_to_width(i < hues.size() ? paint(text, hues[i], color) : std::string(text),
                             widths[i], m_columns[i].align));
        }
        trim_trailing_spaces(line);
        result.append(line).push_back('\n');
    }
    return result;
}

std::string Table::render(std::size_t max_width, Color color) const {
    if (m_columns.empty()) {
        return {};
    }
    const std::vector<std::size_t> widths = fitted_widths(max_width);

    std::vector<std::string> headers;
    headers.reserve(m_columns.size());
    for (const Column& column : m_columns) {
        headers.push_back(column.header);
    }

    std::string result;
    std::string header_line = render_row(headers, widths, true, {}, Color::off);
    header_line.pop_back();
    // The style wraps the padded line so that escape codes never enter the width arithmetic.
    if (color == Color::on && !header_line.empty()) {
        result.append(k_style_bold).append(header_line).append(k_style_reset);
    } else {
        result.append(header_line);
    }
    result.push_back('\n');
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        result.append(render_row(m_rows[r], widths, false, m_hues[r], color));
    }
    std::vector<std::string_view> left_out;
    for (std::size_t i = 0; i < widths.size(); ++i) {
        if (widths[i] == 0) {
            left_out.push_back(m_columns[i].header);
        }
    }
    if (!left_out.empty()) {
        const std::string note = fmt::format("Left out at this width: {}; {}.",
                                             fmt::join(left_out, ", "), m_omission_hint);
        for (const std::string& line : wrap_to_width(note, std::max(max_width, std::size_t{20}))) {
            result.append(line).push_back('\n');
        }
    }
    return result;
}

std::string bar(double share, std::size_t width) {
    // NaN compares false both ways, so it would slip through a plain clamp.
    if (!(share > 0.0)) {
        share = 0.0;
    }
    share = std::min(share, 1.0);
    const auto eighths = static_cast<std::size_t>(
        std::llround(share * static_cast<double>(width * k_eighths_per_column)));
    const std::size_t full = eighths / k_eighths_per_column;
    const std::size_t remainder = eighths % k_eighths_per_column;

    std::string result;
    for (std::size_t i = 0; i < full; ++i) {
        result.append(k_full_block);
    }
    std::size_t used = full;
    if (remainder > 0) {
        result.append(k_eighth_blocks[remainder]);
        ++used;
    }
    result.append(width - used, ' ');
    return result;
}

} // namespace sileram::output
