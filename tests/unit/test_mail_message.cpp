#include "sileram/errors.hpp"
#include "sileram/mail/message.hpp"
#include "support.hpp"

#include <cstdlib>
#include <ctime>
#include <doctest/doctest.h>
#include <optional>
#include <string>
#include <vector>

using namespace sileram::mail;
using sileram::InvalidInput;

namespace {

std::vector<std::string> crlf_lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find("\r\n", start);
        REQUIRE(end != std::string::npos); // every line ends with CRLF
        lines.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return lines;
}

Message sample_message() {
    Message m;
    m.from = Mailbox{"Klantsignalen", "signalen@example.org"};
    m.to = Mailbox{"", "agent1@example.nl"};
    m.subject = "Your signal 1 is closed";
    m.body = "Hello,\n\nThank you.\n";
    m.date = sileram::domain::parse_timestamp("2026-12-01T10:00:00Z").value();
    m.message_id = "sileram.1.1.abc@example.org";
    return m;
}

std::string header_of(const std::string& message, std::string_view name) {
    const auto lines = crlf_lines_of(message);
    std::string value;
    bool in = false;
    for (const std::string& line : lines) {
        if (line.empty()) {
            break;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            if (in) {
                value += line;
            }
            continue;
        }
        in = line.rfind(std::string(name) + ":", 0) == 0;
        if (in) {
            value = line;
        }
    }
    return value;
}

} // namespace

TEST_CASE("the Date header is UTC whatever the local time zone") {
    const auto at = sileram::domain::parse_timestamp("2026-12-03T12:57:56Z").value();
    const auto summer = sileram::domain::parse_timestamp("2026-07-04T23:30:00Z").value();
    for (const char* zone : {"UTC", "Europe/Amsterdam", "America/New_York"}) {
        CAPTURE(zone);
        const test_support::TimeZone local(zone);
        CHECK(rfc5322_date(at) == "Thu, 03 Dec 2026 12:57:56 +0000");
        // Past midnight in Amsterdam, the day before in New York: still the UTC day.
        CHECK(rfc5322_date(summer) == "Sat, 04 Jul 2026 23:30:00 +0000");
    }
}

TEST_CASE("a message has every header, CRLF lines and a quoted-printable UTF-8 body") {
    const std::string text = render_message(sample_message());
    CHECK(header_of(text, "From") == "From: Klantsignalen <signalen@example.org>");
    CHECK(header_of(text, "To") == "To: agent1@example.nl");
    CHECK(header_of(text, "Subject") == "Subject: Your signal 1 is closed");
    CHECK(header_of(text, "Date") == "Date: Tue, 01 Dec 2026 10:00:00 +0000");
    CHECK(header_of(text, "Message-ID") == "Message-ID: <sileram.1.1.abc@example.org>");
    CHECK(header_of(text, "MIME-Version") == "MIME-Version: 1.0");
    CHECK(header_of(text, "Content-Type") == "Content-Type: text/plain; charset=UTF-8");
    CHECK(header_of(text, "Content-Transfer-Encoding") ==
          "Content-Transfer-Encoding: quoted-printable");
    CHECK(text.find("\r\n\r\nHello,\r\n\r\nThank you.\r\n") != std::string::npos);
    CHECK(text.size() >= 2);
    CHECK(text.substr(text.size() - 2) == "\r\n");
}

TEST_CASE("non-ASCII subjects and display names become RFC 2047 encoded-words") {
    Message m = sample_message();
    m.subject = "Factuur onduidelijk é";
    m.from.name = "Klantsignalen Café";
    const std::string text = render_message(m);
    CHECK(header_of(text, "Subject") == "Subject: =?UTF-8?B?RmFjdHV1ciBvbmR1aWRlbGlqayDDqQ==?=");
    CHECK(header_of(text, "From") ==
          "From: =?UTF-8?B?S2xhbnRzaWduYWxlbiBDYWbDqQ==?= <signalen@example.org>");
    for (const char c : text) {
        CHECK(static_cast<unsigned char>(c) < 0x80);
    }
}

TEST_CASE("a display name with specials is quoted") {
    Message m = sample_message();
    m.from.name = "Signals, Team \"A\"";
    CHECK(header_of(render_message(m), "From") ==
          "From: \"Signals, Team \\\"A\\\"\" <signalen@example.org>");
}

TEST_CASE("long headers are folded to at most 78 characters and never split a character") {
    Message m = sample_message();
    std::string ascii;
    for (int i = 0; i < 40; ++i) {
        ascii += "word" + std::to_string(i) + " ";
    }
    ascii += "end";
    m.subject = ascii;
    std::string text = render_message(m);
    for (const std::string& line : crlf_lines_of(text)) {
        CHECK(line.size() <= 78);
    }
    std::string unfolded = header_of(text, "Subject");
    CHECK(unfolded == "Subject: " + ascii); // folding at spaces keeps every word and space

    std::string accents;
    for (int i = 0; i < 60; ++i) {
        accents += "éü€";
    }
    m.subject = accents;
    text = render_message(m);
    for (const std::string& line : crlf_lines_of(text)) {
        CHECK(line.size() <= 78);
    }
    // Each encoded-word holds whole characters: 39 bytes is 13 × "éü€" (2+2+3 bytes)… or less.
    CHECK(header_of(text, "Subject").find("=?UTF-8?B?") != std::string::npos);
}

TEST_CASE("a CR, LF or NUL in any header value is refused") {
    const std::string bad[] = {"a\r\nBcc: evil@example.org", "a\nb", "a\rb",
                               std::string("a\0b", 3)};
    for (const std::string& value : bad) {
        Message m = sample_message();
        m.subject = value;
        CHECK_THROWS_AS(render_message(m), InvalidInput);
        m = sample_message();
        m.to.address = "agent1@example.nl" + value;
        CHECK_THROWS_AS(render_message(m), InvalidInput);
        m = sample_message();
        m.from.name = value;
        CHECK_THROWS_AS(render_message(m), InvalidInput);
        m = sample_message();
        m.message_id = "x@y" + value;
        CHECK_THROWS_AS(render_message(m), InvalidInput);
    }
}

TEST_CASE("addresses must be plain ASCII local@domain") {
    CHECK_NOTHROW(require_address("a.b+c@example.org", "to"));
    for (const char* bad : {"", "nobody", "@example.org", "a@", "a b@example.org",
                            "<a@example.org>", "é@example.org", "a@example.org>"}) {
        CHECK_THROWS_AS(require_address(bad, "to"), InvalidInput);
    }
}

TEST_CASE("parse_mailbox reads name and address") {
    Mailbox box = parse_mailbox("Klantsignalen <signalen@example.org>", "from");
    CHECK(box.name == "Klantsignalen");
    CHECK(box.address == "signalen@example.org");
    box = parse_mailbox("\"Team, \\\"A\\\"\" <a@example.org>", "from");
    CHECK(box.name == "Team, \"A\"");
    box = parse_mailbox("signalen@example.org", "from");
    CHECK(box.name.empty());
    CHECK_THROWS_AS(parse_mailbox("Name <a@example.org", "from"), InvalidInput);
    CHECK_THROWS_AS(parse_mailbox("Name <a@example.org>\r\nBcc: x@y.z", "from"), InvalidInput);
}

TEST_CASE("quoted-printable keeps lines within 76 characters and encodes what it must") {
    CHECK(quoted_printable("plain text\n") == "plain text\r\n");
    CHECK(quoted_printable("café = 5\n") == "caf=C3=A9 =3D 5\r\n");
    CHECK(quoted_printable("trailing space \nx") == "trailing space=20\r\nx\r\n");
    CHECK(quoted_printable("From here\n.dot\n") == "=46rom here\r\n=2Edot\r\n");
    CHECK(quoted_printable("a\r\nb\r\n") == "a\r\nb\r\n");
    const std::string long_line(200, 'x');
    const std::string encoded = quoted_printable(long_line + "é");
    std::string decoded;
    for (const std::string& line : crlf_lines_of(encoded)) {
        CHECK(line.size() <= 76);
        decoded += line.back() == '=' ? line.substr(0, line.size() - 1) : line;
    }
    CHECK(decoded == long_line + "=C3=A9");
    // An escape sequence is never split by a soft break.
    const std::string accents = quoted_printable(std::string(100, '\xE9'));
    for (const std::string& line : crlf_lines_of(accents)) {
        CHECK(line.size() <= 76);
        CHECK((line.size() - (line.back() == '=' ? 1 : 0)) % 3 == 0);
    }
}
