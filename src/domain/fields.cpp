#include "sileram/domain/fields.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::domain {

void require_fields(const std::map<std::string, std::string>& fields,
                    std::span<const FieldRule> rules) {
    for (const FieldRule& rule : rules) {
        const auto it = fields.find(rule.name);
        const bool missing = it == fields.end() || it->second.empty();
        const std::string allowed = fmt::format("{}", fmt::join(rule.allowed, ", "));
        if (missing) {
            throw InvalidInput(
                fmt::format("field {} is required by the configuration{}", rule.name,
                            rule.allowed.empty() ? "" : " (one of " + allowed + ")"));
        }
        if (rule.allowed.empty() ||
            std::find(rule.allowed.begin(), rule.allowed.end(), it->second) != rule.allowed.end()) {
            continue;
        }
        const std::string suggestion = closest_name(it->second, rule.allowed);
        throw InvalidInput(
            fmt::format("{} {} is not allowed{}; allowed: {}", rule.name, quote_value(it->second),
                        suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?", allowed));
    }
}

void require_field_name(const std::string& name) {
    const bool usable = !name.empty() && name.size() <= 64 && name.front() >= 'a' &&
                        name.front() <= 'z' && std::all_of(name.begin(), name.end(), [](char c) {
                            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                        });
    if (!usable) {
        throw InvalidInput(fmt::format("{} is not a field name; use lower-case letters, digits "
                                       "and '_', starting with a letter",
                                       quote_value(name)));
    }
}

} // namespace sileram::domain
