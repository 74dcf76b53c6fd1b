#pragma once

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <string_view>

namespace sileram::mail {

// "cannot write /var/mail/outbox/x.eml: Permission denied": what failed, on which file, and why,
// from errno as the failing system call left it.
inline std::string system_error(std::string_view doing, const std::filesystem::path& file) {
    return fmt::format("{} {}: {}", doing, file.string(), std::strerror(errno));
}

} // namespace sileram::mail
