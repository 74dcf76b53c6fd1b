#include "sileram/output/terminal.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <sys/ioctl.h>
#include <unistd.h>
#include <utf8proc.h>

namespace sileram::output {

namespace {

// A terminal that does not tell its width is taken to be this wide.
constexpr std::size_t k_fallback_width = 100;
constexpr std::size_t k_ellipsis_width = 1;
constexpr char k_escape = '\x1b';

// One indivisible piece of text: a code point, an escape sequence or a stray byte.
struct Unit {
    std::size_t size;
    std::size_t width;
    bool is_escape;
};

// Length of the CSI sequence at the start of `text`, or 0 when there is none; a sequence with
// no final byte is not one, so that a lone ESC cannot swallow the text after it.
std::size_t escape_sequence_size(std::string_view text) {
    if (text.size() < 2 || text[0] != k_escape || text[1] != '[') {
        return 0;
    }
    for (std::size_t i = 2; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x40 && byte <= 0x7E) {
            return i + 1;
        }
        if (byte < 0x20 || byte > 0x3F) {
            return 0;
        }
    }
    return 0;
}

Unit next_unit(std::string_view text) {
    if (const std::size_t size = escape_sequence_size(text); size > 0) {
        return {size, 0, true};
    }
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t size =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                         static_cast<utf8proc_ssize_t>(text.size()), &code_point);
    if (size <= 0) {
        // Invalid bytes are shown by terminals as one replacement glyph each.
        return {1, 1, false};
    }
    const int width = utf8proc_charwidth(code_point);
    return {static_cast<std::size_t>(size), width > 0 ? static_cast<std::size_t>(width) : 0, false};
}

bool is_set(const char* value) {
    return value != nullptr && *value != '\0';
}

// Accepts only a whole positive decimal number, so "80x" or "-1" fall back to other sources.
std::size_t parse_columns(const char* value) {
    if (!is_set(value)) {
        return 0;
    }
    const std::string_view text(value);
    std::size_t columns = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), columns);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return 0;
    }
    return columns;
}

std::size_t tty_columns(int fd) {
    winsize size{};
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) {
        return 0;
    }
    return size.ws_col;
}

} // namespace

std::string paint(std::string_view text, Hue hue, Color color) {
    // Indexed by Hue; bright red stands out on dark and light backgrounds alike.
    constexpr std::string_view k_codes[] = {"",         "\x1b[91m", "\x1b[32m", "\x1b[33m",
                                            "\x1b[34m", "\x1b[35m", "\x1b[36m", "\x1b[90m"};
    if (color == Color::off || hue == Hue::none || text.empty()) {
        return std::string(text);
    }
    std::string out(k_codes[static_cast<std::size_t>(hue)]);
    out.append(text).append(k_style_reset);
    return out;
}

std::size_t display_width(std::string_view utf8) {
    std::size_t width = 0;
    while (!utf8.empty()) {
        const Unit unit = next_unit(utf8);
        width += unit.width;
        utf8.remove_prefix(unit.size);
    }
    return width;
}

std::string truncate_to_width(std::string_view utf8, std::size_t width) {
    if (display_width(utf8) <= width) {
        return std::string(utf8);
    }
    if (width < k_ellipsis_width) {
        return {};
    }
    const std::size_t budget = width - k_ellipsis_width;
    std::string result;
    std::size_t used = 0;
    bool has_escape = false;
    while (!utf8.empty()) {
        const Unit unit = next_unit(utf8);
        // Stopping at the first unit that does not fit also drops the combining marks that
        // belong to it, rather than attaching them to the preceding character.
        if (used + unit.width > budget) {
            break;
        }
        used += unit.width;
        has_escape = has_escape || unit.is_escape;
        result.append(utf8.substr(0, unit.size));
        utf8.remove_prefix(unit.size);
    }
    result.append(k_ellipsis);
    if (has_escape) {
        result.append(k_style_reset);
    }
    return result;
}

std::string pad_to_width(std::string_view utf8, std::size_t width, Align align) {
    const std::size_t current = display_width(utf8);
    if (current >= width) {
        return std::string(utf8);
    }
    const std::string padding(width - current, ' ');
    return align == Align::left ? std::string(utf8) + padding : padding + std::string(utf8);
}

TerminalInfo detect_terminal(int fd) {
    TerminalInfo info;
    info.is_tty = isatty(fd) == 1;

    const char* term = std::getenv("TERM");
    const bool dumb = term != nullptr && std::string_view(term) == "dumb";
    const auto forces = [](const char* value) {
        return is_set(value) && std::string_view(value) != "0";
    };
    const bool forced = forces(std::getenv("CLICOLOR_FORCE")) || forces(std::getenv("FORCE_COLOR"));
    info.color = !is_set(std::getenv("NO_COLOR")) && (forced || (info.is_tty && !dumb));

    // COLUMNS wins over the tty so that users and tests can force a layout.
    std::size_t width = parse_columns(std::getenv("COLUMNS"));
    if (width == 0 && info.is_tty) {
        width = tty_columns(fd);
        if (width == 0) {
            width = k_fallback_width;
        }
    }
    info.width = width > 0 ? width : k_unlimited_width;
    return info;
}

std::string group_thousands(std::string_view digits_with_optional_sign_and_decimals,
                            char separator) {
    const std::string_view text = digits_with_optional_sign_and_decimals;
    const std::size_t start = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
    std::size_t end = start;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
        ++end;
    }

    std::string result(text.substr(0, start));
    const std::size_t digit_count = end - start;
    for (std::size_t i = 0; i < digit_count; ++i) {
        if (i > 0 && (digit_count - i) % 3 == 0) {
            result.push_back(separator);
        }
        result.push_back(text[start + i]);
    }
    result.append(text.substr(end));
    return result;
}

std::vector<std::string> wrap_to_width(std::string_view utf8, std::size_t width) {
    std::vector<std::string> lines(1);
    std::size_t used = 0;
    std::size_t start = 0;
    while (start < utf8.size()) {
        const std::size_t end = std::min(utf8.find(' ', start), utf8.size());
        std::string word(utf8.substr(start, end - start));
        start = end + 1;
        if (word.empty()) {
            continue;
        }
        std::size_t word_width = display_width(word);
        if (word_width > width) {
            word = truncate_to_width(word, width);
            word_width = display_width(word);
        }
        if (used > 0 && used + 1 + word_width > width) {
            lines.emplace_back();
            used = 0;
        }
        if (used > 0) {
            lines.back() += ' ';
            ++used;
        }
        lines.back() += word;
        used += word_width;
    }
    return lines;
}

} // namespace sileram::output
