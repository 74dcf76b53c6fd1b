#pragma once

#include "sileram/output/terminal.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace sileram::output {

// How a cell wider than its column is shown: cut to one line with "…", broken at spaces into
// as many lines as it needs, or cut off at the right without a mark (a bar after its number,
// where the number says it all); clip columns give up their room before any other.
enum class Overflow { truncate, wrap, clip };

// The least a title column of a text table keeps, whatever the terminal's width.
inline constexpr std::size_t k_min_title_width = 20;

// One column of a Table: its heading, alignment, whether it may be narrowed to fit the width,
// how its cells overflow when it is, and how readily it is left out on a narrow terminal.
struct Column {
    std::string header;
    Align align = Align::left;
    bool shrinkable = false;
    std::size_t min_width = 0;
    Overflow overflow = Overflow::truncate;
    // 0: always shown; otherwise the column may be left out when the table does not fit even
    // with its shrinkable columns at their minimum, the highest rank first.
    int drop_rank = 0;
};

// Rows of text laid out in aligned columns, sized by display width, for the terminal.
class Table {
public:
    // A table with these columns and no rows.
    explicit Table(std::vector<Column> columns);

    // Appends a row; missing trailing cells are empty, and more cells than columns throws
    // std::invalid_argument. `hues` colour the cells (on a terminal), in column order.
    void add_row(std::vector<std::string> cells, std::vector<Hue> hues = {});

    // The header line then each row, every line ending in '\n' and without trailing spaces;
    // columns are two spaces apart; to fit `max_width` clip columns narrow first, then the
    // shrinkable ones, and when that is not enough columns with a drop rank are left out (the
    // highest first) and a line under the table names them with `omission_hint`; a truncate
    // cell shows its first line cut with "…", a wrap cell keeps its line breaks and is broken at
    // spaces, a row is as tall as its tallest cell, and Color::on makes the header bold and
    // paints the cells in their hues.
    std::string render(std::size_t max_width, Color color) const;

    // What the line under a table with left-out columns says has them all.
    void set_omission_hint(std::string hint) { m_omission_hint = std::move(hint); }

    // Number of rows added so far.
    std::size_t row_count() const;

private:
    std::vector<std::size_t> natural_widths() const;
    // The width of each column to fit `max_width`; 0 for a column left out.
    std::vector<std::size_t> fitted_widths(std::size_t max_width) const;
    // Narrows clip and then shrinkable columns of `widths` (0: left out) toward their floors
    // while the total is above `max_width`; returns the total.
    std::size_t shrink(std::vector<std::size_t>& widths, std::size_t max_width) const;
    // The physical lines of one cell in a column `width` wide: one cut line for truncate, the
    // cell's own lines broken at spaces for wrap.
    static std::vector<std::string> cell_lines(const std::string& cell, std::size_t width,
                                               Overflow overflow);
    // One row as lines ending in '\n' without trailing spaces, as tall as its tallest cell;
    // header rows never wrap.
    std::string render_row(const std::vector<std::string>& cells,
                           const std::vector<std::size_t>& widths, bool is_header,
                           const std::vector<Hue>& hues, Color color) const;

    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
    std::vector<std::vector<Hue>> m_hues; // per row, per column
    std::string m_omission_hint = "--json and --csv have every column";
};

// A horizontal bar of exactly `width` display columns: full blocks, then an eighth block for
// the remainder, then spaces; `share` is clamped to [0, 1].
std::string bar(double share, std::size_t width);

} // namespace sileram::output
