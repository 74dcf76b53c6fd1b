#pragma once

#include "sileram/domain/signal.hpp"

#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sileram::mail {

// Renders Mustache `text` with `values` (a JSON object: strings, numbers, booleans, lists and
// objects), as plain text: no HTML escaping. Throws InvalidInput naming `name` for a template
// that does not parse. Needs nothing else, so a fuzz target can drive it.
std::string render_template(std::string_view text, const nlohmann::json& values,
                            std::string_view name = "template");

// A rendered mail: the subject (one line) and the body.
struct RenderedMail {
    std::string subject;
    std::string body;
};

// A mail template is its first line "Subject: …", then the body (one blank line between them is
// dropped). Renders both with `values`; line breaks a value brings into the subject become
// spaces. Throws InvalidInput naming `name` when the first line is not a subject.
RenderedMail render_mail(std::string_view text, const nlohmann::json& values,
                         std::string_view name);

// The templates of the seven kinds of feedback mail: closed, rejected, dropped, duplicate,
// progress, acknowledged and needs-info, each the built-in English one unless the folder
// overrides it.
class Templates {
public:
    // The built-in English templates.
    Templates();
    // The built-in templates, with every `<kind>.mustache` in `folder` in place of its own.
    // Throws InvalidInput when the folder does not exist or a file there is not a valid
    // template (not UTF-8, no subject line, a Mustache syntax error).
    static Templates from_folder(const std::filesystem::path& folder);

    const std::string& text(domain::Outcome outcome) const;
    // Where the template of `outcome` came from: a file, or "built-in closed template".
    const std::string& origin(domain::Outcome outcome) const;

private:
    static constexpr std::size_t k_kind_count = 7;
    std::array<std::string, k_kind_count> m_texts;
    std::array<std::string, k_kind_count> m_origins;
};

// The built-in English template for `outcome`.
std::string_view builtin_template(domain::Outcome outcome);

} // namespace sileram::mail
