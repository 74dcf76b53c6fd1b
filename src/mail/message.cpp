#include "sileram/mail/message.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <fmt/format.h>
#include <vector>

namespace sileram::mail {

namespace {

constexpr std::size_t k_line_limit = 78; // RFC 5322 2.1.1: SHOULD be no more than 78
constexpr std::size_t k_qp_limit = 76;   // RFC 2045 6.7: at most 76 characters per line
// Bytes of UTF-8 per encoded-word: "=?UTF-8?B?" + base64 of 39 bytes (52) + "?=" is 64
// characters, which fits after "Subject: " and on a continuation line.
constexpr std::size_t k_word_bytes = 39;

void require_one_line(std::string_view value, std::string_view what) {
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
        throw InvalidInput(fmt::format("{} {} holds a line break or NUL; it cannot go into a mail "
                                       "header",
                                       what, domain::quote_value(value)));
    }
}

std::string base64(std::string_view bytes) {
    static constexpr char k_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
        out += k_alphabet[(n >> 18) & 63];
        out += k_alphabet[(n >> 12) & 63];
        out += k_alphabet[(n >> 6) & 63];
        out += k_alphabet[n & 63];
    }
    if (i + 1 == bytes.size()) {
        const auto n = static_cast<unsigned char>(bytes[i]) << 16;
        out += k_alphabet[(n >> 18) & 63];
        out += k_alphabet[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += k_alphabet[(n >> 18) & 63];
        out += k_alphabet[(n >> 12) & 63];
        out += k_alphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

// RFC 2047 encoded-words, each whole UTF-8 characters (6.3: a character is never split).
std::vector<std::string> encoded_words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.size(), start + k_word_bytes);
        while (end < text.size() && end > start + 1 &&
               (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
            --end;
        }
        words.push_back("=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=");
        start = end;
    }
    return words;
}

// Plain ASCII words that may stand in a header as they are: printable, not too long, and not
// looking like an encoded-word. Anything else is encoded.
bool plain_words(std::string_view text, std::size_t longest) {
    if (text.empty() || text.front() == ' ' || text.back() == ' ' ||
        text.find("  ") != std::string_view::npos || text.find("=?") != std::string_view::npos) {
        return text.empty();
    }
    std::size_t run = 0;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7F) {
            return false;
        }
        run = c == ' ' ? 0 : run + 1;
        if (run > longest) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t space = text.find(' ', start);
        const std::size_t end = space == std::string_view::npos ? text.size() : space;
        words.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

// "Name: " and the tokens, one space apart, folded (CRLF SP) before a token that would pass
// the line limit.
std::string fold(std::string_view name, const std::vector<std::string>& tokens) {
    std::string out = std::string(name) + ":";
    std::size_t line = out.size();
    for (const std::string& token : tokens) {
        if (line + 1 + token.size() > k_line_limit && line > name.size() + 1) {
            out += "\r\n";
            line = 0;
        }
        out += ' ';
        out += token;
        line += 1 + token.size();
    }
    return out;
}

// The tokens of an unstructured text (a subject): words as they are, or encoded-words.
std::vector<std::string> text_tokens(std::string_view text) {
    if (plain_words(text, k_line_limit - 12)) {
        return split_words(text);
    }
    return encoded_words(text);
}

bool is_atext(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// The tokens of a display name (an RFC 5322 phrase): atoms, a quoted string, or encoded-words.
std::vector<std::string> phrase_tokens(std::string_view name) {
    if (!plain_words(name, 60)) {
        return encoded_words(name);
    }
    const bool atoms =
        std::all_of(name.begin(), name.end(), [](char c) { return c == ' ' || is_atext(c); });
    if (atoms) {
        return split_words(name);
    }
    std::string quoted = "\"";
    for (const char c : name) {
        if (c == '"' || c == '\\') {
            quoted += '\\';
        }
        quoted += c;
    }
    quoted += '"';
    if (quoted.size() > k_line_limit - 10) {
        return encoded_words(name);
    }
    return {quoted};
}

std::string mailbox_field(std::string_view header, const Mailbox& box, std::string_view what) {
    require_one_line(box.name, what);
    require_address(box.address, what);
    if (box.name.empty()) {
        return fold(header, {box.address});
    }
    std::vector<std::string> tokens = phrase_tokens(box.name);
    tokens.push_back("<" + box.address + ">");
    return fold(header, tokens);
}

} // namespace

void require_address(std::string_view address, std::string_view what) {
    require_one_line(address, what);
    const auto at = address.rfind('@');
    const bool shaped =
        at != std::string_view::npos && at > 0 && at + 1 < address.size() && address.size() <= 254;
    const bool clean = std::all_of(address.begin(), address.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7F &&
               std::string_view("<>\"(),;:\\[]").find(c) == std::string_view::npos;
    });
    if (!shaped || !clean) {
        throw InvalidInput(fmt::format("{} {} is not a plain e-mail address (local@domain, ASCII, "
                                       "no spaces, brackets or quotes)",
                                       what, domain::quote_value(address)));
    }
}

Mailbox parse_mailbox(std::string_view text, std::string_view what) {
    require_one_line(text, what);
    const auto open = text.rfind('<');
    if (open == std::string_view::npos) {
        Mailbox box{"", std::string(text)};
        require_address(box.address, what);
        return box;
    }
    const auto close = text.find('>', open);
    if (close == std::string_view::npos || close + 1 != text.find_last_not_of(' ') + 1) {
        throw InvalidInput(fmt::format("{} {} must be 'Name <address>' or an address", what,
                                       domain::quote_value(text)));
    }
    std::string_view name = text.substr(0, open);
    while (!name.empty() && name.back() == ' ') {
        name.remove_suffix(1);
    }
    while (!name.empty() && name.front() == ' ') {
        name.remove_prefix(1);
    }
    std::string unquoted;
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        for (std::size_t i = 1; i + 1 < name.size(); ++i) {
            if (name[i] == '\\' && i + 2 < name.size()) {
                ++i;
            }
            unquoted += name[i];
        }
    } else {
        unquoted = std::string(name);
    }
    Mailbox box{unquoted, std::string(text.substr(open + 1, close - open - 1))};
    require_address(box.address, what);
    if (!domain::is_valid_utf8(box.name)) {
        throw InvalidInput(fmt::format("{}: the name is not UTF-8", what));
    }
    return box;
}

std::string header_field(std::string_view name, std::string_view text) {
    require_one_line(text, name);
    return fold(name, text_tokens(text));
}

std::string quoted_printable(std::string_view text) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() + text.size() / 8 + 16);
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        const bool last = end == std::string_view::npos;
        if (last) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (last && line.empty() && start > 0) {
            break; // the text ended with a line break
        }
        std::size_t width = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const auto u = static_cast<unsigned char>(line[i]);
            const bool at_end = i + 1 == line.size();
            // "From " at a line start is changed by mbox writers; a leading "." by some MTAs.
            const bool guard = i == 0 && (line.substr(0, 5) == "From " || line[0] == '.');
            const bool literal = !guard && ((u >= 33 && u <= 126 && u != '=') ||
                                            ((u == ' ' || u == '\t') && !at_end));
            std::string piece;
            if (literal) {
                piece = static_cast<char>(u);
            } else {
                piece = {'=', k_hex[u >> 4], k_hex[u & 15]};
            }
            // Leave room for the soft break "=" unless this is the line's last piece.
            const std::size_t room = at_end ? k_qp_limit : k_qp_limit - 1;
            if (width + piece.size() > room) {
                out += "=\r\n";
                width = 0;
            }
            out += piece;
            width += piece.size();
        }
        out += "\r\n";
        if (last) {
            break;
        }
        start = end + 1;
    }
    return out;
}

std::string rfc5322_date(domain::Timestamp at) {
    // Computed from the time point itself: fmt's chrono formatting of a system_clock time
    // converts through localtime, which would put the local hour beside "+0000".
    using namespace std::chrono;
    static constexpr std::array<std::string_view, 7> k_weekdays = {"Sun", "Mon", "Tue", "Wed",
                                                                   "Thu", "Fri", "Sat"};
    static constexpr std::array<std::string_view, 12> k_months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const sys_days day = floor<days>(at);
    const year_month_day ymd{day};
    const hh_mm_ss time{floor<seconds>(at - day)};
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
                       k_weekdays[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                       k_months[static_cast<unsigned>(ymd.month()) - 1],
                       static_cast<int>(ymd.year()), time.hours().count(), time.minutes().count(),
                       time.seconds().count());
}

std::string render_message(const Message& m) {
    require_one_line(m.message_id, "the Message-ID");
    if (m.message_id.find_first_of("<> ") != std::string::npos ||
        m.message_id.find('@') == std::string::npos) {
        throw InvalidInput(
            fmt::format("Message-ID {} is not local@domain", domain::quote_value(m.message_id)));
    }
    if (!domain::is_valid_utf8(m.subject) || !domain::is_valid_utf8(m.body)) {
        throw InvalidInput("the subject or body of the mail is not UTF-8");
    }
    std::string out;
    out.reserve(m.body.size() * 2 + 512);
    out += mailbox_field("From", m.from, "the sender (mail.from)");
    out += "\r\n";
    out += mailbox_field("To", m.to, "the recipient");
    out += "\r\n";
    out += header_field("Subject", m.subject);
    out += "\r\n";
    out += "Date: " + rfc5322_date(m.date) + "\r\n";
    out += "Message-ID: <" + m.message_id + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n";
    // RFC 3834: an automatic message; vacation responders should not answer it.
    out += "Auto-Submitted: auto-generated\r\n";
    out += "\r\n";
    out += quoted_printable(m.body);
    return out;
}

} // namespace sileram::mail
