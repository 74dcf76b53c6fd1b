#include "sileram/cli/version.hpp"

#include "sileram/mail/curl_version.hpp"
#include "sileram/revision.hpp"
#include "sileram/storage/library_version.hpp"
#include "sileram/version.hpp"

#include <fmt/format.h>

namespace sileram::cli {

std::string version_text() {
    const std::optional<std::string> curl = mail::curl_library_version();
    return fmt::format("sileram {}{}\nSQLite {}\nlibcurl {}", k_version,
                       k_revision.empty() ? std::string() : fmt::format(" (git {})", k_revision),
                       storage::sqlite_library_version(),
                       curl ? *curl : "not found (needed by close --send only)");
}

} // namespace sileram::cli
