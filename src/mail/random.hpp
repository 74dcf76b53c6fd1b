#pragma once

#include "sileram/errors.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <string>
#include <sys/random.h>

namespace sileram::mail {

// `Bytes` random bytes from the kernel as lower-case hex, for names that must differ between
// runs, processes and databases. Throws SystemFailure when the kernel gives none.
template <std::size_t Bytes>
std::string random_hex() {
    std::array<unsigned char, Bytes> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw SystemFailure(
                fmt::format("the kernel gave no random bytes: {}", std::strerror(errno)));
        }
        filled += static_cast<std::size_t>(n);
    }
    std::string hex;
    for (const unsigned char b : bytes) {
        hex += fmt::format("{:02x}", b);
    }
    return hex;
}

} // namespace sileram::mail
