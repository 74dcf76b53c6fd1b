#pragma once

#include "sileram/output/terminal.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace sileram::output {

// How a cell wider than its column is shown: cut to one line with "…", or broken at spaces
// into as many lines as it needs.
enum class Overflow { truncate, wrap };

// One column of a Table: its heading, alignment, whether it may be narrowed to fit the width,
// and how its cells overflow when it is.
struct Column {
    std::string header;
    Align align = Align::left;
    bool shrinkable = false;
    std::size_t min_width = 0;
    Overflow overflow = Overflow::truncate;
};

// Rows of text laid out in aligned columns, sized by display width, for the terminal.
class Table {
public:
    // A table with these columns and no rows.
    explicit Table(std::vector<Column> columns);

    // Appends a row; missing trailing cells are empty, and more cells than columns throws
    // std::invalid_argument.
    void add_row(std::vector<std::string> cells);

    // The header line then each row, every line ending in '\n' and without trailing spaces;
    // columns are two spaces apart and only shrinkable columns narrow to fit `max_width`; a
    // truncate cell shows its first line cut with "…", a wrap cell keeps its line breaks and is
    // broken at spaces, a row is as tall as its tallest cell, and Color::on makes the header bold.
    std::string render(std::size_t max_width, Color color) const;

    // Number of rows added so far.
    std::size_t row_count() const;

private:
    std::vector<std::size_t> natural_widths() const;
    std::vector<std::size_t> fitted_widths(std::size_t max_width) const;
    // The physical lines of one cell in a column `width` wide: one cut line for truncate, the
    // cell's own lines broken at spaces for wrap.
    static std::vector<std::string> cell_lines(const std::string& cell, std::size_t width,
                                               Overflow overflow);
    // One row as lines ending in '\n' without trailing spaces, as tall as its tallest cell;
    // header rows never wrap.
    std::string render_row(const std::vector<std::string>& cells,
                           const std::vector<std::size_t>& widths, bool is_header) const;

    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
};

// A horizontal bar of exactly `width` display columns: full blocks, then an eighth block for
// the remainder, then spaces; `share` is clamped to [0, 1].
std::string bar(double share, std::size_t width);

} // namespace sileram::output
