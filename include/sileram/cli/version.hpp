#pragma once

#include <string>

namespace sileram::cli {

// The text of `sileram --version`: the version and git revision, and the SQLite and libcurl
// libraries in use ("not found" when libcurl cannot be loaded). Loads libcurl to ask it.
std::string version_text();

} // namespace sileram::cli
