#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::output {

// What marks text that was cut, and the escape codes that start bold and end any style.
inline constexpr std::string_view k_ellipsis = "…";
inline constexpr std::string_view k_style_bold = "\x1b[1m";
inline constexpr std::string_view k_style_reset = "\x1b[0m";

// Which side of a padded field the text sits on.
enum class Align { left, right };

// Whether output may carry ANSI colour and style escape codes.
enum class Color { off, on };

// The colours that carry meaning: red for what needs attention (high class, overdue, late), a
// colour per stretch of the workflow for states, grey for what has ended.
enum class Hue { none, red, green, yellow, blue, magenta, cyan, grey };

// `text` in `hue` (ending with ESC[0m), or as it is with Color::off, Hue::none or empty text.
std::string paint(std::string_view text, Hue hue, Color color);

// Display columns of UTF-8 text: wide (CJK) characters count 2, combining marks, control
// characters and ANSI escape sequences (ESC [ … final byte) 0, invalid bytes 1 each.
std::size_t display_width(std::string_view utf8);

// The text cut to at most `width` display columns, ending with "…" when anything was cut;
// never splits a code point or an escape sequence, and ends with ESC[0m if it cut text that
// held escape sequences, so that no style leaks past the cut.
std::string truncate_to_width(std::string_view utf8, std::size_t width);

// Breaks one line of text at spaces into lines of at most `width` display columns; a word
// wider than `width` is cut with an ellipsis. Always at least one line.
std::vector<std::string> wrap_to_width(std::string_view utf8, std::size_t width);

// The text padded with spaces to `width` display columns, on the right for Align::left and on
// the left for Align::right; text already that wide or wider comes back unchanged.
std::string pad_to_width(std::string_view utf8, std::size_t width, Align align);

// The width of output that goes to no terminal and has no COLUMNS: nothing is cut, so that
// `sileram list | grep WORD` sees every title whole.
inline constexpr std::size_t k_unlimited_width = std::numeric_limits<std::size_t>::max();

// What the program knows about the terminal an output stream goes to.
struct TerminalInfo {
    bool is_tty = false;
    bool color = false;
    std::size_t width = 100;
};

// Inspects `fd`: width is COLUMNS when it holds a positive number, else the tty's own width
// (100 when a tty does not tell), else k_unlimited_width; colour never with NO_COLOR set and not
// empty, else when CLICOLOR_FORCE or FORCE_COLOR is set to anything but "0" (a pipe as well), else
// only on a tty with TERM other than "dumb".
TerminalInfo detect_terminal(int fd);

// The number with its integer digits grouped by threes ("-1234567.5" → "-1,234,567.5"); an
// optional leading sign and whatever follows the integer digits are kept as they are.
std::string group_thousands(std::string_view digits_with_optional_sign_and_decimals,
                            char separator = ',');

} // namespace sileram::output
