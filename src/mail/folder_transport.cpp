#include "sileram/errors.hpp"
#include "sileram/mail/transport.hpp"
#include "system_error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace sileram::mail {

namespace {

namespace fs = std::filesystem;

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

class FolderTransport final : public Transport {
public:
    explicit FolderTransport(fs::path folder) : m_folder(std::move(folder)) {}

    SendResult send(std::string_view, std::string_view, std::string_view message,
                    std::string_view name) override {
        std::error_code ec;
        if (!fs::is_directory(m_folder, ec)) {
            return SendResult{
                Delivery::temporary, Scope::every_mail,
                fmt::format("the outbox folder {} does not exist", m_folder.string())};
        }
        const fs::path target = m_folder / fmt::format("{}.eml", name);
        const fs::path temporary = m_folder / fmt::format(".{}.eml.tmp", name);
        const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            return SendResult{Delivery::temporary, Scope::every_mail,
                              system_error("cannot create", temporary)};
        }
        // Written and flushed to disk before it gets its name: a crash leaves a whole mail or none.
        const bool written = write_all(fd, message) && ::fsync(fd) == 0;
        const std::string write_error = written ? "" : system_error("cannot write", temporary);
        ::close(fd);
        if (!written) {
            ::unlink(temporary.c_str());
            return SendResult{Delivery::temporary, Scope::every_mail, write_error};
        }
        // link, not rename: rename would replace a mail already there under this name.
        if (::link(temporary.c_str(), target.c_str()) != 0) {
            const int link_errno = errno;
            const std::string why = system_error("cannot link it as", target);
            ::unlink(temporary.c_str());
            if (link_errno == EEXIST) {
                return SendResult{Delivery::permanent, Scope::this_mail,
                                  fmt::format("{} already exists; another mail of that name is "
                                              "not overwritten",
                                              target.string())};
            }
            return SendResult{Delivery::temporary, Scope::every_mail, why};
        }
        ::unlink(temporary.c_str());
        // The new name is on disk only once the folder is synced; until then a power cut could
        // take back a mail the database already calls sent.
        if (const std::string error = sync_folder(); !error.empty()) {
            ::unlink(target.c_str());
            return SendResult{Delivery::temporary, Scope::every_mail, error};
        }
        return SendResult{Delivery::accepted, Scope::this_mail, ""};
    }

private:
    // "" when the folder's entries are on disk, else what failed.
    std::string sync_folder() const {
        const int fd = ::open(m_folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            return system_error("cannot open the folder", m_folder);
        }
        const bool synced = ::fsync(fd) == 0;
        std::string error = synced ? "" : system_error("cannot sync the folder", m_folder);
        ::close(fd);
        return error;
    }

    fs::path m_folder;
};

} // namespace

std::unique_ptr<Transport> folder_transport(const fs::path& folder) {
    return std::make_unique<FolderTransport>(folder);
}

} // namespace sileram::mail
