#include "curl_library.hpp"
#include "sileram/errors.hpp"
#include "sileram/mail/transport.hpp"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

namespace sileram::mail {

namespace {

// What the callbacks give back to the transfer: the mail they upload, the server's refusal, and
// any exception, which must not cross libcurl's C frames.
struct Transfer {
    std::string_view data;
    std::size_t offset = 0;
    std::string reply;   // the server's last reply line
    std::string refusal; // the first reply of this mail with a 4xx or 5xx code
    std::string failure; // what a callback could not do
};

// "550 5.1.1 ..." and the like: a reply that refuses (RFC 5321 4.2.1: 4yz and 5yz).
bool is_refusal(std::string_view line) {
    return line.size() >= 3 && (line[0] == '4' || line[0] == '5') &&
           std::isdigit(static_cast<unsigned char>(line[1])) != 0 &&
           std::isdigit(static_cast<unsigned char>(line[2])) != 0;
}

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) noexcept {
    auto* transfer = static_cast<Transfer*>(user);
    const std::size_t n = std::min(size * count, transfer->data.size() - transfer->offset);
    std::memcpy(buffer, transfer->data.data() + transfer->offset, n);
    transfer->offset += n;
    return n;
}

// Keeps the server's replies, so an error quotes the one that refused the mail, not the reply to
// the QUIT that followed it.
int keep_reply(CURL*, curl_infotype type, char* data, std::size_t size, void* user) noexcept {
    auto* transfer = static_cast<Transfer*>(user);
    try {
        if (type == CURLINFO_HEADER_IN) {
            std::string_view line(data, size);
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
                line.remove_suffix(1);
            }
            transfer->reply.assign(line);
            if (transfer->refusal.empty() && is_refusal(line)) {
                transfer->refusal.assign(line);
            }
        }
    } catch (...) {
        // Out of memory for a reply line: the transfer goes on; the error quotes less.
        transfer->failure = "a reply of the server could not be kept";
    }
    return 0;
}

// The libcurl option `option` set to `value`; throws SystemFailure naming `name` when libcurl
// refuses it, as a too-old libcurl does for an option it does not know: a mail is never sent
// without a setting it needs, such as required TLS.
template <typename Value>
void set_option(CURL* curl, CURLoption option, const char* name, Value value) {
    const CURLcode code = curl_library().easy_setopt(curl, option, value);
    if (code != CURLE_OK) {
        throw SystemFailure(fmt::format("libcurl refused {}: {}; nothing was sent (install "
                                        "libcurl 7.85 or newer)",
                                        name, curl_library().easy_strerror(code)));
    }
}

class SmtpTransport final : public Transport {
public:
    SmtpTransport(const config::MailSettings& settings, std::string password)
        : m_url(settings.url), m_username(settings.username), m_password(std::move(password)),
          m_starttls(settings.starttls) {}

    ~SmtpTransport() override {
        if (m_curl != nullptr) {
            curl_library().easy_cleanup(m_curl); // sends QUIT on the open connection
        }
        // The password is not left behind in freed memory.
        std::fill(m_password.begin(), m_password.end(), '\0');
    }
    SmtpTransport(const SmtpTransport&) = delete;
    SmtpTransport& operator=(const SmtpTransport&) = delete;

    SendResult send(std::string_view sender, std::string_view recipient, std::string_view message,
                    std::string_view) override {
        CURL* curl = handle();
        m_transfer = Transfer{message, 0, "", "", ""};
        // Appended, not "<" + std::string(...): GCC 12 at -O3 warns -Wrestrict falsely on that
        // (GCC bug 105329), and the Release build fails with -Werror.
        std::string from = "<";
        from.append(sender).append(">");
        std::string to = "<";
        to.append(recipient).append(">");
        curl_slist* rcpt = curl_library().slist_append(nullptr, to.c_str());
        if (rcpt == nullptr) {
            throw SystemFailure("libcurl could not make the recipient list");
        }
        CURLcode code = CURLE_OK;
        try {
            set_option(curl, CURLOPT_MAIL_FROM, "CURLOPT_MAIL_FROM", from.c_str());
            set_option(curl, CURLOPT_MAIL_RCPT, "CURLOPT_MAIL_RCPT", rcpt);
            set_option(curl, CURLOPT_INFILESIZE_LARGE, "CURLOPT_INFILESIZE_LARGE",
                       static_cast<curl_off_t>(message.size()));
            m_error[0] = '\0';
            code = curl_library().easy_perform(curl);
        } catch (...) {
            curl_library().slist_free_all(rcpt);
            throw;
        }
        curl_library().slist_free_all(rcpt);
        long reply_code = 0;
        curl_library().easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply_code);
        if (code == CURLE_OK) {
            return SendResult{Delivery::accepted, Scope::this_mail, ""};
        }
        return classify(code, reply_code);
    }

private:
    CURL* handle() {
        if (m_curl != nullptr) {
            return m_curl;
        }

        m_curl = curl_library().easy_init();
        if (m_curl == nullptr) {
            throw SystemFailure("libcurl could not make a handle");
        }
        try {
            configure(m_curl);
        } catch (...) {
            curl_library().easy_cleanup(m_curl);
            m_curl = nullptr;
            throw;
        }
        return m_curl;
    }

    void configure(CURL* curl) {
        set_option(curl, CURLOPT_URL, "CURLOPT_URL", m_url.c_str());
        set_option(curl, CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR", "smtp,smtps");
        set_option(curl, CURLOPT_UPLOAD, "CURLOPT_UPLOAD", 1L);
        set_option(curl, CURLOPT_READFUNCTION, "CURLOPT_READFUNCTION", read_upload);
        set_option(curl, CURLOPT_READDATA, "CURLOPT_READDATA", &m_transfer);
        set_option(curl, CURLOPT_ERRORBUFFER, "CURLOPT_ERRORBUFFER", m_error);
        set_option(curl, CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL", 1L);
        set_option(curl, CURLOPT_CONNECTTIMEOUT, "CURLOPT_CONNECTTIMEOUT", 20L);
        // A stalled server: less than 1 byte/s for 60 s ends the attempt (temporary).
        set_option(curl, CURLOPT_LOW_SPEED_LIMIT, "CURLOPT_LOW_SPEED_LIMIT", 1L);
        set_option(curl, CURLOPT_LOW_SPEED_TIME, "CURLOPT_LOW_SPEED_TIME", 60L);
        set_option(curl, CURLOPT_VERBOSE, "CURLOPT_VERBOSE", 1L);
        set_option(curl, CURLOPT_DEBUGFUNCTION, "CURLOPT_DEBUGFUNCTION", keep_reply);
        set_option(curl, CURLOPT_DEBUGDATA, "CURLOPT_DEBUGDATA", &m_transfer);
        if (m_starttls) {
            // ALL, not TRY: TRY would fall back to plain text without a word.
            set_option(curl, CURLOPT_USE_SSL, "CURLOPT_USE_SSL (required STARTTLS)",
                       static_cast<long>(CURLUSESSL_ALL));
        }
        if (!m_username.empty()) {
            set_option(curl, CURLOPT_USERNAME, "CURLOPT_USERNAME", m_username.c_str());
            set_option(curl, CURLOPT_PASSWORD, "CURLOPT_PASSWORD", m_password.c_str());
        }
    }

    // What happened, for a person: libcurl's own text for a connection the server dropped
    // ("response reading failed (errno: 115)") names a stale errno, not the event.
    std::string describe(CURLcode code) const {
        const bool dropped =
            code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR || code == CURLE_GOT_NOTHING;
        std::string curl_text =
            m_error[0] != '\0' ? std::string(m_error) : curl_library().easy_strerror(code);
        if (!dropped) {
            return curl_text;
        }
        const std::size_t size = m_transfer.data.size();
        std::string what;
        if (m_transfer.offset == 0) {
            what = "the mail server closed the connection before the mail was handed over";
        } else if (m_transfer.offset < size) {
            what = fmt::format("the mail server closed the connection in the middle of the mail "
                               "({} of {} bytes sent)",
                               m_transfer.offset, size);
        } else {
            what = fmt::format("the mail server closed the connection after the whole mail ({} "
                               "bytes) was sent, before it confirmed receipt; it may have "
                               "arrived, and a retry carries the same Message-ID",
                               size);
        }
        return fmt::format("{} (libcurl: {})", what, curl_library().easy_strerror(code));
    }

    SendResult classify(CURLcode code, long last_code) const {
        std::string error = describe(code);
        const std::string& refusal = m_transfer.refusal;
        // The refusal decides, not the last reply: after it libcurl may have sent QUIT.
        const long reply_code = refusal.empty() ? last_code : std::stol(refusal.substr(0, 3));
        if (!refusal.empty()) {
            error += fmt::format(" (server said: {})", refusal);
        }
        if (!m_transfer.failure.empty()) {
            error += fmt::format(" ({})", m_transfer.failure);
        }
        switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_USE_SSL_FAILED:
        case CURLE_LOGIN_DENIED:
        case CURLE_GOT_NOTHING:
            // The server, the TLS or the login: no mail can go now; the run stops.
            return SendResult{Delivery::temporary, Scope::every_mail, error};
        default:
            break;
        }
        if (reply_code >= 500 && reply_code < 600) {
            return SendResult{Delivery::permanent, Scope::this_mail, error};
        }
        if (reply_code >= 400 && reply_code < 500) {
            // 421: the service is closing the connection, for every mail.
            return SendResult{Delivery::temporary,
                              reply_code == 421 ? Scope::every_mail : Scope::this_mail, error};
        }
        // A dropped connection or another transfer error: maybe the mail did not arrive; it
        // stays queued, and the run stops rather than fail every other mail the same way.
        return SendResult{Delivery::temporary, Scope::every_mail, error};
    }

    std::string m_url;
    std::string m_username;
    std::string m_password;
    bool m_starttls = false;
    CURL* m_curl = nullptr;
    char m_error[CURL_ERROR_SIZE] = {};
    Transfer m_transfer; // of the mail being sent; the callbacks point here
};

} // namespace

std::unique_ptr<Transport> open_transport(const config::MailSettings& settings) {
    const std::string& url = settings.url;
    if (url.rfind("file://", 0) == 0) {
        return folder_transport(std::filesystem::path(url.substr(7)));
    }
    if (url.rfind("smtp://", 0) != 0 && url.rfind("smtps://", 0) != 0) {
        throw InvalidInput(
            fmt::format("mail.url '{}' must start with smtp://, smtps:// or file://", url));
    }
    std::string password;
    if (!settings.username.empty()) {
        const char* value = std::getenv(settings.password_env.c_str());
        if (value == nullptr) {
            throw InvalidInput(fmt::format("mail.username is set but the environment variable {} "
                                           "(mail.password_env) that holds the password is not",
                                           settings.password_env));
        }
        password = value;
    }
    return std::make_unique<SmtpTransport>(settings, std::move(password));
}

} // namespace sileram::mail
