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
        // Written, flushed to disk, then renamed: a crash leaves a whole mail or none.
        const bool written = write_all(fd, message) && ::fsync(fd) == 0;
        const std::string error = written ? "" : system_error("cannot write", temporary);
        ::close(fd);
        if (!written || ::rename(temporary.c_str(), target.c_str()) != 0) {
            const std::string why = written ? system_error("cannot rename", temporary) : error;
            ::unlink(temporary.c_str());
            return SendResult{Delivery::temporary, Scope::every_mail, why};
        }
        return SendResult{Delivery::accepted, Scope::this_mail, ""};
    }

private:
    fs::path m_folder;
};

} // namespace

std::unique_ptr<Transport> folder_transport(const fs::path& folder) {
    return std::make_unique<FolderTransport>(folder);
}

} // namespace sileram::mail
