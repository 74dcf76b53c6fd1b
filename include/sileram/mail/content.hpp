#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/mail/message.hpp"
#include "sileram/mail/templates.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sileram::mail {

// The values a template can use in the mail `feedback` about `signal`, as docs/templates.md
// lists them: the signal, the reason, the actions, the measured result, the stage reached.
nlohmann::json template_values(const domain::Signal& signal, const domain::Feedback& feedback,
                               const domain::ImpactSettings& settings, std::string_view sender);

// The Message-ID of a feedback mail, "sileram.S.F.HASH@DOMAIN" for signal S and mail F: the same
// on every attempt, so a mail sent twice after a crash can be recognised as one.
std::string message_id_for(domain::SignalId signal, const domain::Feedback& feedback,
                           std::string_view sender_address);

// The whole mail `feedback` about `signal`, from its template, dated `now`. Throws InvalidInput
// when a value cannot go into the mail (a recipient with a line break, a broken template).
Message compose(const domain::Signal& signal, const domain::Feedback& feedback,
                const Templates& templates, const Mailbox& from,
                const domain::ImpactSettings& settings, domain::Timestamp now);

} // namespace sileram::mail
