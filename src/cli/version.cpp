#include "sileram/cli/version.hpp"

#include "sileram/mail/curl_version.hpp"
#include "sileram/revision.hpp"
#include "sileram/storage/library_version.hpp"
#include "sileram/version.hpp"

#include <fmt/format.h>

namespace sileram::cli {

std::string version_text() {
    const std::optional<std::string> curl = mail::curl_library_version();
    const std::optional<std::string> libpq = storage::libpq_library_version();
    return fmt::format("sileram {}{}\nSQLite {}\nlibcurl {}\nlibpq {}", k_version,
                       k_revision.empty() ? std::string() : fmt::format(" (git {})", k_revision),
                       storage::sqlite_library_version(),
                       curl ? *curl : "not found (needed by close --send only)",
                       libpq ? *libpq : "not found (needed by a PostgreSQL database only)");
}

} // namespace sileram::cli
