#pragma once

#include <optional>
#include <string>

namespace sileram::mail {

// The version of the libcurl that `close --send` would load, or nothing when it cannot be
// loaded. Loads and unloads the library, so only --version calls it, never a command's start.
std::optional<std::string> curl_library_version();

} // namespace sileram::mail
