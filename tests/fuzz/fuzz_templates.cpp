// Mail templates and the message built from them, on arbitrary bytes. The first byte picks what
// the rest is: a template (rendered with realistic values), or a value (a signal's title, which
// ends up in the subject, rendered through the built-in closed template), or a mailbox. Anything
// may be refused with InvalidInput; nothing may crash, and no rendered header may carry a line
// break that is not a fold.
#include "sileram/errors.hpp"
#include "sileram/mail/message.hpp"
#include "sileram/mail/templates.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace {

using sileram::mail::Mailbox;
using sileram::mail::Message;

nlohmann::json values_with_title(std::string_view title) {
    const std::string text(title);
    return {
        {"signal", {{"id", 42}, {"title", text}, {"submitted_at", "2026-01-05"}}},
        {"sender", "Klantsignalen"},
        {"has_summary", true},
        {"summary", text},
        {"has_actions", true},
        {"actions", nlohmann::json::array({{{"title", "New layout"},
                                            {"status", "done"},
                                            {"has_owner", true},
                                            {"owner", "billing"}},
                                           {{"title", text}, {"status", "cancelled"}}})},
        {"has_result", true},
        {"result",
         {{"contacts_saved", "5,000"},
          {"period", "month"},
          {"contacts_before", "12,000"},
          {"contacts_after", "7,000"},
          {"saved_per_period", "EUR 50,000.00"},
          {"saved_per_year", "EUR 600,000.00"},
          {"has_satisfaction", true},
          {"satisfaction_before", "6.9"},
          {"satisfaction_after", "7.2"},
          {"satisfaction_change", "+0.3"}}},
        {"reason", text},
    };
}

// The header part of a rendered message: every CR must start a CRLF, and every line after the
// first must be a fold (start with a space or tab) or a new "Name:" field.
void check_headers(const std::string& text) {
    const std::size_t end = text.find("\r\n\r\n");
    if (end == std::string::npos) {
        std::abort();
    }
    const std::string_view headers(text.data(), end);
    for (std::size_t at = 0; at < headers.size(); ++at) {
        if (headers[at] == '\n' && (at == 0 || headers[at - 1] != '\r')) {
            std::abort();
        }
        if (headers[at] == '\r' && (at + 1 >= headers.size() || headers[at + 1] != '\n')) {
            std::abort();
        }
    }
}

void render_as_mail(std::string_view title) {
    const auto mail = sileram::mail::render_mail(
        sileram::mail::builtin_template(sileram::domain::Outcome::closed), values_with_title(title),
        "closed");
    Message message;
    message.from = {"Klantsignalen", "signalen@example.org"};
    message.to = {"", "agent@example.org"};
    message.subject = mail.subject;
    message.body = mail.body;
    message.message_id = "fuzz.42@example.org";
    check_headers(sileram::mail::render_message(message));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 3) {
        case 0:
            (void)sileram::mail::render_mail(rest, values_with_title("Factuur onduidelijk"),
                                             "fuzz");
            break;
        case 1:
            render_as_mail(rest);
            break;
        default: {
            const Mailbox box = sileram::mail::parse_mailbox(rest, "fuzz");
            Message message;
            message.from = box;
            message.to = box;
            message.subject = "Re: " + box.name;
            message.message_id = "fuzz@example.org";
            check_headers(sileram::mail::render_message(message));
            break;
        }
        }
    } catch (const sileram::InvalidInput&) {
        // Refused with a message: what hostile input should get.
    }
    return 0;
}
