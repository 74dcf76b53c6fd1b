#include "sileram/domain/text.hpp"

#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <optional>
#include <utf8proc.h>
#include <vector>

namespace sileram::domain {

namespace {

constexpr std::size_t k_max_title_characters = 300;
constexpr std::size_t k_max_description_characters = 20000;

char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace

bool is_valid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto remaining = static_cast<utf8proc_ssize_t>(text.size());
    while (remaining > 0) {
        // ASCII needs no decoding; most text is mostly ASCII.
        if (*bytes < 0x80) {
            ++bytes;
            --remaining;
            continue;
        }
        utf8proc_int32_t code_point = 0;
        const utf8proc_ssize_t length = utf8proc_iterate(bytes, remaining, &code_point);
        if (length <= 0) {
            return false;
        }
        bytes += length;
        remaining -= length;
    }
    return true;
}

std::size_t code_point_count(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return text;
    }
    std::size_t end = max_bytes;
    // Back off over continuation bytes to the start of the character the cut would split.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return text.substr(0, end);
}

namespace {

// The first control character in `text` that `lines` does not allow: C0 (but line breaks and
// tabs in multi-line text), DEL and C1, which a terminal takes as the start of a command.
struct ControlCharacter {
    char32_t code_point;
    std::size_t position; // in characters, from 1
};

std::optional<ControlCharacter> first_control(std::string_view text, Lines lines) {
    std::size_t position = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if ((byte & 0xC0) != 0x80) {
            ++position;
        }
        const bool allowed_break =
            lines == Lines::multi && (byte == '\n' || byte == '\r' || byte == '\t');
        if ((byte < 0x20 && !allowed_break) || byte == 0x7F) {
            return ControlCharacter{byte, position};
        }
        // U+0080–U+009F are 0xC2 0x80–0x9F in UTF-8.
        if (byte == 0xC2 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9F) {
                return ControlCharacter{next, position};
            }
        }
    }
    return std::nullopt;
}

std::string control_name(char32_t code_point) {
    return code_point < 0x80 ? fmt::format("\\x{:02x}", static_cast<unsigned>(code_point))
                             : fmt::format("\\u{:04x}", static_cast<unsigned>(code_point));
}

} // namespace

void require_clean_text(std::string_view text, std::string_view what, Lines lines) {
    if (text.find('\0') != std::string_view::npos) {
        throw InvalidInput(fmt::format("{} holds a NUL character", what));
    }
    if (!is_valid_utf8(text)) {
        throw InvalidInput(fmt::format("{} is not valid UTF-8", what));
    }
    if (lines == Lines::single && text.find_first_of("\r\n") != std::string_view::npos) {
        throw InvalidInput(
            fmt::format("{} {} holds a line break; it must be one line", what, quote_value(text)));
    }
    if (const auto control = first_control(text, lines)) {
        throw InvalidInput(fmt::format(
            "{} {} holds the control character {} at character {}; {}", what, quote_value(text),
            control_name(control->code_point), control->position,
            lines == Lines::multi ? "besides line breaks and tabs it must be printable text"
                                  : "it must be printable text on one line, without tabs"));
    }
}

std::string printable(std::string_view text, Lines lines) {
    const bool plain = std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte >= 0x7F;
    });
    if (plain) {
        return std::string(text);
    }
    std::string shown;
    shown.reserve(text.size() + 8);
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x80) {
            utf8proc_int32_t code_point = 0;
            const utf8proc_ssize_t length = utf8proc_iterate(
                bytes + i, static_cast<utf8proc_ssize_t>(text.size() - i), &code_point);
            if (length <= 0) {
                shown += "\uFFFD";
                ++i;
            } else if (code_point <= 0x9F) {
                shown += control_name(static_cast<char32_t>(code_point));
                i += static_cast<std::size_t>(length);
            } else {
                shown.append(text.substr(i, static_cast<std::size_t>(length)));
                i += static_cast<std::size_t>(length);
            }
            continue;
        }
        ++i;
        const bool printable = byte >= 0x20 && byte != 0x7F;
        if (printable || (lines == Lines::multi && (c == '\n' || c == '\t'))) {
            shown += c;
        } else if (lines == Lines::multi && c == '\r') {
            // CR LF and a lone CR are one line break; a lone CR would overwrite the line.
            shown += '\n';
            if (i < text.size() && text[i] == '\n') {
                ++i;
            }
        } else if (c == '\n') {
            shown += "\\n";
        } else if (c == '\r') {
            shown += "\\r";
        } else if (c == '\t') {
            shown += "\\t";
        } else {
            shown += control_name(byte);
        }
    }
    return shown;
}

void require_title(std::string_view text) {
    require_clean_text(text, "the title", Lines::single);
    const std::size_t characters = code_point_count(text);
    if (characters == 0 || text.find_first_not_of(" \t") == std::string_view::npos) {
        throw InvalidInput("the title is empty; give the signal a title of 1–300 characters");
    }
    if (characters > k_max_title_characters) {
        throw InvalidInput(fmt::format(
            "the title is {} characters long; at most {} are allowed (put the rest in -d)",
            characters, k_max_title_characters));
    }
}

void require_description(std::string_view text) {
    require_clean_text(text, "the description", Lines::multi);
    const std::size_t characters = code_point_count(text);
    if (characters > k_max_description_characters) {
        throw InvalidInput(
            fmt::format("the description is {} characters long; at most {} are allowed", characters,
                        k_max_description_characters));
    }
}

void require_email(std::string_view text, std::string_view what) {
    require_clean_text(text, what, Lines::single);
    const auto at = text.find('@');
    const bool one_at =
        at != std::string_view::npos && text.find('@', at + 1) == std::string_view::npos;
    const std::string_view local = one_at ? text.substr(0, at) : std::string_view{};
    const std::string_view domain = one_at ? text.substr(at + 1) : std::string_view{};
    const auto dot = domain.find('.');
    const bool has_forbidden = std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
               c == '(' || c == ')' || c == '[' || c == ']' || c == '\\';
    });
    if (!one_at || local.empty() || dot == std::string_view::npos || domain.front() == '.' ||
        domain.back() == '.' || domain.find("..") != std::string_view::npos || has_forbidden ||
        text.size() > 254) {
        throw InvalidInput(
            fmt::format("{} {} is not an e-mail address; give one like name@example.org", what,
                        quote_value(text)));
    }
}

std::string quote_value(std::string_view text) {
    if (!is_valid_utf8(text)) {
        return "(a value that is not UTF-8)";
    }
    constexpr std::size_t k_max_bytes = 60;
    const std::string shown = printable(text, Lines::single);
    const std::string_view start = utf8_prefix(shown, k_max_bytes);
    return start.size() < shown.size() ? fmt::format("'{}…' ({} bytes)", start, text.size())
                                       : fmt::format("'{}'", shown);
}

namespace {

// Formula characters after any leading apostrophes: the texts a writer guards. Counting every
// apostrophe makes guarding one-to-one, so a reader that takes one off gets the text back.
bool starts_like_formula(std::string_view text) {
    const std::size_t start = text.find_first_not_of(k_formula_guard);
    return start != std::string_view::npos &&
           std::string_view("=+-@\t\r").find(text[start]) != std::string_view::npos;
}

} // namespace

bool needs_formula_guard(std::string_view text) {
    return starts_like_formula(text);
}

std::string_view without_formula_guard(std::string_view cell) {
    return !cell.empty() && cell.front() == k_formula_guard && starts_like_formula(cell)
               ? cell.substr(1)
               : cell;
}

bool same_address(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: a swap of two neighbours ("lsit" for "list") is one edit, the
    // commonest typing slip, where plain Levenshtein counts two and suggests "init".
    const std::size_t width = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * width);
    const auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * width + j]; };
    for (std::size_t i = 0; i <= a.size(); ++i) {
        at(i, 0) = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        at(0, j) = j;
    }
    const auto same = [](char x, char y) { return ascii_lower(x) == ascii_lower(y); };
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1,
                                 at(i - 1, j - 1) + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
            }
        }
    }
    return at(a.size(), b.size());
}

std::string grouped(std::int64_t value) {
    const std::string digits = std::to_string(value);
    const std::size_t start = value < 0 ? 1 : 0;
    std::string out = digits.substr(0, start);
    for (std::size_t i = start; i < digits.size(); ++i) {
        if (i > start && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

} // namespace sileram::domain
