#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/mail/message.hpp"
#include "sileram/mail/templates.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace sileram::mail {

// The signal a submitter raised before it was merged, as a duplicate, into the one a mail is
// about: the mail tells them their own story.
struct OwnSignal {
    domain::SignalId id = 0;
    std::string title;
    domain::Timestamp submitted_at;
};

// The values a template can use in the mail `feedback` about `signal`, as docs/templates.md
// lists them: the signal, the reason, the actions, the measured result, the stage reached, the
// question asked, the day an acknowledged submitter will hear by, the recipient's own signal.
nlohmann::json template_values(const domain::Signal& signal, const domain::Feedback& feedback,
                               const domain::ImpactSettings& settings, std::string_view sender,
                               const std::optional<OwnSignal>& own = std::nullopt);

// A new Message-ID for feedback mail F about signal S, "sileram.S.F.RANDOM@DOMAIN": 64 random
// bits, so no two databases give the same. The queue keeps it from the first attempt on, so
// every attempt of one mail carries the same.
std::string new_message_id(domain::SignalId signal, domain::RowId feedback,
                           std::string_view sender_address);

// The whole mail `feedback` about `signal`, from its template, dated `now`, with the feedback's
// Message-ID, or a new one when it has none yet. Throws InvalidInput when a value cannot go into
// the mail (a recipient with a line break, a broken template).
Message compose(const domain::Signal& signal, const domain::Feedback& feedback,
                const Templates& templates, const Mailbox& from,
                const domain::ImpactSettings& settings, domain::Timestamp now,
                const std::optional<OwnSignal>& own = std::nullopt);

} // namespace sileram::mail
