#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sileram::domain {

// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// Number of Unicode code points in valid UTF-8 text.
std::size_t code_point_count(std::string_view text);

// The longest start of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
// character (a cut there would leave a byte that is no character).
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// `text` without the spaces and tabs around it, as names (customers, projects) are kept.
std::string trimmed(std::string_view text);

// Throws InvalidInput naming `what` when `text` holds a NUL, is not UTF-8, or holds a control
// character (C0, DEL, C1) other than line breaks and tabs in Lines::multi text, so that no
// stored value can drive a terminal; the checks every stored value passes.
enum class Lines { single, multi };
void require_clean_text(std::string_view text, std::string_view what, Lines lines);

// `text` safe to print on a terminal, for every text renderer: each control character shown
// as an escape (ESC as \x1b, DEL as \x7f, C1 such as CSI as \u009b), bytes that are not UTF-8
// as U+FFFD. Lines::multi keeps line feeds and tabs and makes CR LF and a lone CR a line feed;
// Lines::single shows them as \n, \r and \t. Text without any of these comes back unchanged.
std::string printable(std::string_view text, Lines lines);

// Throws InvalidInput unless `text` is 1–300 characters of single-line text.
void require_title(std::string_view text);
// Throws InvalidInput unless `text` is at most 20,000 characters.
void require_description(std::string_view text);
// Throws InvalidInput unless `text` is a plain e-mail address: local@domain.tld, no spaces,
// no angle brackets, no control characters.
void require_email(std::string_view text, std::string_view what);

// `text` in single quotes for a message: printable(text, Lines::single), so a message stays one
// line, cut after 60 bytes, "(a value that is not UTF-8)" for invalid bytes.
std::string quote_value(std::string_view text);

// What a CSV writer puts before text a spreadsheet would take for a formula.
inline constexpr char k_formula_guard = '\'';

// True when a spreadsheet would read a CSV cell holding `text` as a formula (it starts with =, +,
// -, @, a tab or a carriage return), also after leading apostrophes, so that guarding is
// one-to-one and the guard a reader removes (without_formula_guard) is always one a writer added.
bool needs_formula_guard(std::string_view text);

// A CSV cell as an import takes it: without the one k_formula_guard that needs_formula_guard
// makes a writer put before it (a cell of apostrophes, then a formula character); any other cell
// is unchanged.
std::string_view without_formula_guard(std::string_view cell);

// E-mail addresses compare without regard to ASCII case.
bool same_address(std::string_view a, std::string_view b);

// The names in `candidates` closest to `word` by edit distance, for "did you mean" hints;
// empty when nothing is close.
template <typename Range>
std::string closest_name(std::string_view word, const Range& candidates);

// Edits (insert, delete, replace, swap two neighbours) from a to b, ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

template <typename Range>
std::string closest_name(std::string_view word, const Range& candidates) {
    std::string best;
    std::size_t best_distance = word.size() / 2 + 2;
    for (const auto& candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = std::string(candidate);
        }
    }
    return best;
}

// "3,500": a whole number with thousands separators, as every screen and history line shows
// counts.
std::string grouped(std::int64_t value);

} // namespace sileram::domain
