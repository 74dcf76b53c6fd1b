#pragma once

#include "sileram/config/config.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sileram::mail {

// What became of one mail handed to a transport.
enum class Delivery {
    accepted,  // the server (or the folder) has it: mark it sent
    temporary, // try again later (4xx, connection trouble, a full disk)
    permanent, // the server refused it for good (5xx): mark it failed
};

// Whether a failure concerns this mail only, or every mail (the server is down, the login or
// STARTTLS failed): then the run stops and the rest stay queued untouched.
enum class Scope { this_mail, every_mail };

struct SendResult {
    Delivery delivery = Delivery::accepted;
    Scope scope = Scope::this_mail;
    std::string error; // what went wrong, with the server's reply when there was one
};

// Where mails go: an SMTP server or a folder of .eml files. One transport serves a whole run;
// the SMTP one keeps one connection open for the batch.
class Transport {
public:
    virtual ~Transport() = default;
    // Hands over one RFC 5322 message for `recipient`; `name` (letters, digits, dots) names
    // the mail, for a file transport's file name.
    virtual SendResult send(std::string_view sender, std::string_view recipient,
                            std::string_view message, std::string_view name) = 0;
};

// The transport of `settings.url`: smtp:// or smtps:// through libcurl (user `username`, the
// password from the environment variable `password_env`; STARTTLS required when `starttls`), or
// file:///folder. Throws InvalidInput for a URL of another scheme, or a user without a password
// in the environment. Nothing connects until the first send.
std::unique_ptr<Transport> open_transport(const config::MailSettings& settings);

// A folder of .eml files: each mail is written to a temporary file and renamed into place, so a
// reader never sees half a mail.
std::unique_ptr<Transport> folder_transport(const std::filesystem::path& folder);

// An exclusive advisory lock (flock) on a file, held for the object's life, so that two
// processes never work the queue at once.
class ExclusiveLock {
public:
    // The lock, or nullopt when another process holds it. Throws SystemFailure when the lock
    // file cannot be opened.
    static std::optional<ExclusiveLock> try_acquire(const std::filesystem::path& file);
    ~ExclusiveLock();
    ExclusiveLock(ExclusiveLock&& other) noexcept;
    ExclusiveLock& operator=(ExclusiveLock&&) = delete;
    ExclusiveLock(const ExclusiveLock&) = delete;
    ExclusiveLock& operator=(const ExclusiveLock&) = delete;

private:
    explicit ExclusiveLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace sileram::mail
