#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

namespace sileram::domain {

// A field the organisation configured: required at submit, and limited to `allowed` unless empty.
struct FieldRule {
    std::string name;
    std::vector<std::string> allowed;
};

// Throws InvalidInput when a configured field is missing or holds a value it does not allow,
// with a "did you mean" for a near miss. Empty values count as missing.
void require_fields(const std::map<std::string, std::string>& fields,
                    std::span<const FieldRule> rules);

// Throws InvalidInput unless `name` is a usable field name: lower-case letters, digits, '_'.
void require_field_name(const std::string& name);

} // namespace sileram::domain
