#include "sileram/errors.hpp"
#include "sileram/mail/transport.hpp"
#include "system_error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

namespace sileram::mail {

std::optional<ExclusiveLock> ExclusiveLock::try_acquire(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw SystemFailure(system_error("cannot open the lock file", file));
    }
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) {
            continue;
        }
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK) {
            return std::nullopt;
        }
        errno = error;
        throw SystemFailure(system_error("cannot lock", file));
    }
    return ExclusiveLock(fd);
}

ExclusiveLock::~ExclusiveLock() {
    if (m_fd >= 0) {
        ::close(m_fd); // releases the lock
    }
}

ExclusiveLock::ExclusiveLock(ExclusiveLock&& other) noexcept : m_fd(other.m_fd) {
    other.m_fd = -1;
}

} // namespace sileram::mail
