#pragma once

#include "sileram/commands/session.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::commands {

// Reads `--FIELD VALUE` and `--FIELD=VALUE` pairs left over by the option parser: the standard
// fields, the configured ones and those in use. Anything else is invalid input naming it, with
// a "did you mean" when a known field is close.
std::map<std::string, std::string> parse_field_filters(const std::vector<std::string>& extras,
                                                       Session& session, std::string_view command);

} // namespace sileram::commands
