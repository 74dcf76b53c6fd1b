#pragma once

#include "sileram/config/config.hpp"

#include <filesystem>
#include <memory>
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

// A folder of .eml files: each mail is written to a temporary file, synced, and linked into place
// under its name (never over an existing file), then the folder is synced: a reader never sees
// half a mail, and a mail reported accepted survives a power cut. A name already taken is a
// permanent failure of that mail.
std::unique_ptr<Transport> folder_transport(const std::filesystem::path& folder);

// A new claim for this `close --send` run on the mails it sends: "host/pid/random", different
// for every run on every machine that shares the database.
std::string new_claim();

// Who holds `claim`, "host/pid", for a message to a person.
std::string claim_holder(std::string_view claim);

} // namespace sileram::mail
