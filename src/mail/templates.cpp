#include "sileram/mail/templates.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <fmt/format.h>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

namespace sileram::mail {

namespace {

namespace fs = std::filesystem;
namespace mustache = kainjow::mustache;
using domain::Outcome;

// clang-format off
constexpr std::string_view k_closed = R"(Subject: Your signal {{signal.id}} is closed: {{signal.title}}

Hello,

{{#own_signal}}
On {{own_signal.submitted_at}} you raised signal {{own_signal.id}}: "{{own_signal.title}}".
It was merged into signal {{signal.id}}: "{{signal.title}}", which was raised before.
{{/own_signal}}
{{^own_signal}}
On {{signal.submitted_at}} you raised signal {{signal.id}}: "{{signal.title}}".
{{/own_signal}}
This is what became of it.
{{#has_summary}}

{{summary}}
{{/has_summary}}
{{#has_actions}}

What we did:
{{#actions}}
- {{title}}{{#has_owner}} ({{owner}}){{/has_owner}}: {{status}}
{{/actions}}
{{/has_actions}}
{{#has_result}}

The result, measured after the change:
- {{result.contacts_saved}} fewer customer contacts per {{result.period}} ({{result.contacts_before}} before, {{result.contacts_after}} after)
- {{result.saved_per_period}} saved per {{result.period}}, {{result.saved_per_year}} a year
{{#result.has_satisfaction}}
- customer satisfaction {{result.satisfaction_before}} before, {{result.satisfaction_after}} after ({{result.satisfaction_change}})
{{/result.has_satisfaction}}
{{/has_result}}

Thank you for raising it. Keep your signals coming: this is how we get better.

{{sender}}
)";

constexpr std::string_view k_rejected = R"(Subject: Your signal {{signal.id}}: {{signal.title}}

Hello,

{{#own_signal}}
On {{own_signal.submitted_at}} you raised signal {{own_signal.id}}: "{{own_signal.title}}".
It was merged into signal {{signal.id}}: "{{signal.title}}", which was raised before.
{{/own_signal}}
{{^own_signal}}
On {{signal.submitted_at}} you raised signal {{signal.id}}: "{{signal.title}}".
{{/own_signal}}
We looked at it and will not take it further, for this reason:

{{reason}}

Thank you for raising it all the same. Keep your signals coming: every one is read.

{{sender}}
)";

constexpr std::string_view k_dropped = R"(Subject: Your signal {{signal.id}}: {{signal.title}}

Hello,

{{#own_signal}}
On {{own_signal.submitted_at}} you raised signal {{own_signal.id}}: "{{own_signal.title}}".
It was merged into signal {{signal.id}}: "{{signal.title}}", which was raised before.
{{/own_signal}}
{{^own_signal}}
On {{signal.submitted_at}} you raised signal {{signal.id}}: "{{signal.title}}".
{{/own_signal}}
We weighed it against everything else and decided not to go on with it, for this reason:

{{reason}}
{{#has_summary}}

{{summary}}
{{/has_summary}}

Thank you for raising it. Keep your signals coming: every one is weighed.

{{sender}}
)";

constexpr std::string_view k_duplicate = R"(Subject: Your signal {{signal.id}} joined signal {{duplicate_of}}: {{signal.title}}

Hello,

On {{signal.submitted_at}} you raised signal {{signal.id}}: "{{signal.title}}".
Someone had raised the same thing before, so your signal joined signal {{duplicate_of}}.
You are now one of its submitters and will hear what becomes of it.

Thank you for raising it. Keep your signals coming.

{{sender}}
)";

constexpr std::string_view k_progress = R"(Subject: Your signal {{signal.id}} is {{stage.name}}: {{signal.title}}

Hello,

{{#own_signal}}
On {{own_signal.submitted_at}} you raised signal {{own_signal.id}}: "{{own_signal.title}}".
It was merged into signal {{signal.id}}: "{{signal.title}}", which was raised before.
{{/own_signal}}
{{^own_signal}}
On {{signal.submitted_at}} you raised signal {{signal.id}}: "{{signal.title}}".
{{/own_signal}}
It has reached step {{stage.step}} of 10: {{stage.description}}.

We will let you know when there is more news.

{{sender}}
)";

constexpr std::string_view k_acknowledged = R"(Subject: Your signal {{signal.id}} has arrived: {{signal.title}}

Hello,

Thank you for raising signal {{signal.id}}: "{{signal.title}}".
It has arrived and is on our list. Next we check that it is clear and decide whether we take it
on; if anything is unclear, we will ask you.
{{#has_respond_by}}
You will hear from us by {{respond_by}}.
{{/has_respond_by}}
{{^has_respond_by}}
You will hear from us as soon as we have looked at it.
{{/has_respond_by}}

{{sender}}
)";

constexpr std::string_view k_needs_info = R"(Subject: A question about your signal {{signal.id}}: {{signal.title}}

Hello,

{{#own_signal}}
On {{own_signal.submitted_at}} you raised signal {{own_signal.id}}: "{{own_signal.title}}".
It was merged into signal {{signal.id}}: "{{signal.title}}", which was raised before.
{{/own_signal}}
{{^own_signal}}
On {{signal.submitted_at}} you raised signal {{signal.id}}: "{{signal.title}}".
{{/own_signal}}
Before we can take it further, we need to know more:

{{question}}

Please reply to this mail with your answer; the signal waits for it.

{{sender}}
)";
// clang-format on

std::size_t slot(Outcome outcome) {
    return static_cast<std::size_t>(outcome);
}

constexpr Outcome k_kinds[] = {Outcome::closed,    Outcome::rejected, Outcome::dropped,
                               Outcome::duplicate, Outcome::progress, Outcome::acknowledged,
                               Outcome::needs_info};

mustache::data to_data(const nlohmann::json& value) {
    switch (value.type()) {
    case nlohmann::json::value_t::object: {
        mustache::data object{mustache::data::type::object};
        for (const auto& [key, item] : value.items()) {
            object.set(key, to_data(item));
        }
        return object;
    }
    case nlohmann::json::value_t::array: {
        mustache::data list{mustache::data::type::list};
        for (const auto& item : value) {
            list.push_back(to_data(item));
        }
        return list;
    }
    case nlohmann::json::value_t::string:
        return mustache::data{value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
        return mustache::data{value.get<bool>()};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
        return mustache::data{false};
    default:
        return mustache::data{value.dump()};
    }
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw InvalidInput(fmt::format("{}: cannot read the mail template", file.string()));
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

std::string render_template(std::string_view text, const nlohmann::json& values,
                            std::string_view name) {
    mustache::mustache tmpl{std::string(text)};
    if (!tmpl.is_valid()) {
        throw InvalidInput(fmt::format("{}: {}", name, tmpl.error_message()));
    }
    // Mail is plain text: values go in as they are, not HTML-escaped.
    tmpl.set_custom_escape([](const std::string& s) { return s; });
    std::string out = tmpl.render(to_data(values));
    if (!tmpl.is_valid()) {
        throw InvalidInput(fmt::format("{}: {}", name, tmpl.error_message()));
    }
    return out;
}

RenderedMail render_mail(std::string_view text, const nlohmann::json& values,
                         std::string_view name) {
    constexpr std::string_view k_prefix = "Subject:";
    const std::size_t line_end = text.find('\n');
    std::string_view first = text.substr(0, line_end);
    if (!first.empty() && first.back() == '\r') {
        first.remove_suffix(1);
    }
    if (first.substr(0, k_prefix.size()) != k_prefix) {
        throw InvalidInput(fmt::format("{}: the first line must be 'Subject: …'", name));
    }
    std::string_view body =
        line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
    if (body.substr(0, 2) == "\r\n") {
        body.remove_prefix(2);
    } else if (body.substr(0, 1) == "\n") {
        body.remove_prefix(1);
    }
    RenderedMail mail;
    mail.subject = render_template(first.substr(k_prefix.size()), values, name);
    // A value with line breaks (a multi-line summary) can never break the subject's header.
    for (char& c : mail.subject) {
        if (c == '\r' || c == '\n' || c == '\0' || c == '\t') {
            c = ' ';
        }
    }
    const auto first_char = mail.subject.find_first_not_of(' ');
    const auto last_char = mail.subject.find_last_not_of(' ');
    mail.subject = first_char == std::string::npos
                       ? std::string()
                       : mail.subject.substr(first_char, last_char - first_char + 1);
    mail.body = render_template(body, values, name);
    return mail;
}

std::string_view builtin_template(Outcome outcome) {
    switch (outcome) {
    case Outcome::closed:
        return k_closed;
    case Outcome::rejected:
        return k_rejected;
    case Outcome::dropped:
        return k_dropped;
    case Outcome::duplicate:
        return k_duplicate;
    case Outcome::progress:
        return k_progress;
    case Outcome::acknowledged:
        return k_acknowledged;
    case Outcome::needs_info:
        return k_needs_info;
    }
    return k_closed;
}

Templates::Templates() {
    for (const Outcome kind : k_kinds) {
        m_texts[slot(kind)] = std::string(builtin_template(kind));
        m_origins[slot(kind)] = fmt::format("built-in {} template", domain::to_string(kind));
    }
}

Templates Templates::from_folder(const fs::path& folder) {
    Templates templates;
    if (!fs::is_directory(folder)) {
        throw InvalidInput(fmt::format("{}: the mail template folder (mail.templates) does not "
                                       "exist",
                                       folder.string()));
    }
    for (const Outcome kind : k_kinds) {
        const fs::path file = folder / fmt::format("{}.mustache", domain::to_string(kind));
        if (!fs::exists(file)) {
            continue;
        }
        std::string text = read_file(file);
        if (!domain::is_valid_utf8(text)) {
            throw InvalidInput(fmt::format("{}: the mail template is not UTF-8", file.string()));
        }
        // Parse now, so a broken template stops the run before any mail goes out.
        (void)render_mail(text, nlohmann::json::object(), file.string());
        templates.m_texts[slot(kind)] = std::move(text);
        templates.m_origins[slot(kind)] = file.string();
    }
    return templates;
}

const std::string& Templates::text(Outcome outcome) const {
    return m_texts[slot(outcome)];
}

const std::string& Templates::origin(Outcome outcome) const {
    return m_origins[slot(outcome)];
}

} // namespace sileram::mail
