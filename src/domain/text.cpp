#include "sileram/domain/text.hpp"

#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>
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
    std::string shown;
    std::size_t used = 0;
    for (; used < text.size() && shown.size() < k_max_bytes; ++used) {
        const char c = text[used];
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') {
            shown += "\\n";
        } else if (c == '\r') {
            shown += "\\r";
        } else if (c == '\t') {
            shown += "\\t";
        } else if (u < 0x20 || u == 0x7F) {
            shown += fmt::format("\\x{:02x}", u);
        } else {
            shown += c;
        }
    }
    // Never end inside a multi-byte character.
    while (used < text.size() && (static_cast<unsigned char>(text[used]) & 0xC0) == 0x80) {
        shown += text[used++];
    }
    return used < text.size() ? fmt::format("'{}…' ({} bytes)", shown, text.size())
                              : fmt::format("'{}'", shown);
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

} // namespace sileram::domain
