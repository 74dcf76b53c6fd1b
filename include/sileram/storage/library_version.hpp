#pragma once

#include <string_view>

namespace sileram::storage {

// The version of the SQLite library this process runs with (not the headers it was built with).
std::string_view sqlite_library_version();

} // namespace sileram::storage
