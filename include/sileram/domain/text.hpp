#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sileram::domain {

// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// Number of Unicode code points in valid UTF-8 text.
std::size_t code_point_count(std::string_view text);

// Throws InvalidInput naming `what` when `text` holds a NUL, is not UTF-8, or (unless
// `multi_line`) holds a line break; the checks every stored value passes.
enum class Lines { single, multi };
void require_clean_text(std::string_view text, std::string_view what, Lines lines);

// Throws InvalidInput unless `text` is 1–300 characters of single-line text.
void require_title(std::string_view text);
// Throws InvalidInput unless `text` is at most 20,000 characters.
void require_description(std::string_view text);
// Throws InvalidInput unless `text` is a plain e-mail address: local@domain.tld, no spaces,
// no angle brackets, no control characters.
void require_email(std::string_view text, std::string_view what);

// `text` in single quotes for a message: control characters escaped (\n, \r, \t, \xNN) so a
// message stays one line, cut after 60 characters, "(not UTF-8)" for invalid bytes.
std::string quote_value(std::string_view text);

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

} // namespace sileram::domain
