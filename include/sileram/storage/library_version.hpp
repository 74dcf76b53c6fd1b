#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sileram::storage {

// The version of the SQLite library this process runs with (not the headers it was built with).
std::string_view sqlite_library_version();

// The version of the libpq a PostgreSQL database would load ("15.5"), or nothing when it cannot
// be loaded. Loads and unloads the library, so only --version calls it.
std::optional<std::string> libpq_library_version();

} // namespace sileram::storage
