#include "sileram/commands/filters.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::commands {

std::map<std::string, std::string> parse_field_filters(const std::vector<std::string>& extras,
                                                       Session& session, std::string_view command) {
    std::map<std::string, std::string> fields;
    if (extras.empty()) {
        return fields;
    }
    std::vector<std::string> known(std::begin(domain::k_standard_fields),
                                   std::end(domain::k_standard_fields));
    for (const auto& rule : session.config().fields) {
        known.push_back(rule.name);
    }
    for (const auto& name : session.store(storage::Access::read).custom_field_names()) {
        known.push_back(name);
    }
    for (std::size_t i = 0; i < extras.size(); ++i) {
        std::string name = extras[i];
        std::optional<std::string> value;
        if (name.rfind("--", 0) != 0) {
            throw InvalidInput(fmt::format("{} takes no argument {}; filters are --FIELD VALUE",
                                           command, domain::quote_value(name)));
        }
        name.erase(0, 2);
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.erase(eq);
        } else if (i + 1 < extras.size()) {
            value = extras[++i];
        }
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            const std::string guess = domain::closest_name(name, known);
            throw InvalidInput(fmt::format("--{} is not an option or a known field of {}{}", name,
                                           command,
                                           guess.empty() ? "" : "; did you mean --" + guess + "?"));
        }
        if (!value) {
            throw InvalidInput(fmt::format("--{} needs a VALUE", name));
        }
        fields[name] = *value;
    }
    return fields;
}

} // namespace sileram::commands
