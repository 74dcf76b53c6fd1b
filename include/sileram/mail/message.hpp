#pragma once

#include "sileram/domain/time.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace sileram::mail {

// A display name and an address: "Klantsignalen <signalen@example.org>".
struct Mailbox {
    std::string name; // may be empty; any UTF-8
    std::string address;
};

// Parses "Name <local@domain>", "\"Name\" <local@domain>" or "local@domain". Throws InvalidInput
// naming `what` for a CR, LF or NUL anywhere, or an address that is not plain ASCII
// local@domain without spaces, angle brackets or quotes.
Mailbox parse_mailbox(std::string_view text, std::string_view what);

// Throws InvalidInput naming `what` unless `address` is a plain ASCII address as above.
void require_address(std::string_view address, std::string_view what);

// One feedback mail, before encoding.
struct Message {
    Mailbox from;
    Mailbox to;
    std::string subject; // UTF-8, one line
    std::string body;    // UTF-8, lines separated by LF or CRLF
    domain::Timestamp date;
    std::string message_id; // without the angle brackets: "local@domain"
};

// The message as RFC 5322 text with CRLF line ends: From, To, Subject, Date, Message-ID,
// MIME-Version, a text/plain UTF-8 body in quoted-printable. Non-ASCII subjects and display
// names become RFC 2047 encoded-words; header lines are folded to at most 78 characters.
// Throws InvalidInput when any header value holds a CR, LF or NUL, or an address is unusable:
// such a value never reaches a header.
std::string render_message(const Message& message);

// "Subject: " + text as a folded header field (no final CRLF); encoded-words where needed.
std::string header_field(std::string_view name, std::string_view text);

// The body as quoted-printable (RFC 2045): lines of at most 76 characters, CRLF line ends,
// trailing spaces encoded, soft line breaks where a line is longer.
std::string quoted_printable(std::string_view text);

// "Tue, 01 Dec 2026 10:00:00 +0000" (RFC 5322 date-time, UTC).
std::string rfc5322_date(domain::Timestamp at);

} // namespace sileram::mail
