#include "curl_library.hpp"
#include "sileram/errors.hpp"
#include "sileram/mail/transport.hpp"

#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

namespace sileram::mail {

namespace {

struct Upload {
    std::string_view data;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
    std::memcpy(buffer, upload->data.data() + upload->offset, n);
    upload->offset += n;
    return n;
}

// Keeps the server's last reply line, so an error can quote what the server said.
int keep_reply(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
    if (type == CURLINFO_HEADER_IN) {
        auto* reply = static_cast<std::string*>(user);
        reply->assign(data, size);
        while (!reply->empty() && (reply->back() == '\n' || reply->back() == '\r')) {
            reply->pop_back();
        }
    }
    return 0;
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
        Upload upload{message, 0};
        const std::string from = "<" + std::string(sender) + ">";
        const std::string to = "<" + std::string(recipient) + ">";
        curl_slist* rcpt = curl_library().slist_append(nullptr, to.c_str());
        curl_library().easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
        curl_library().easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
        curl_library().easy_setopt(curl, CURLOPT_READDATA, &upload);
        curl_library().easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                                   static_cast<curl_off_t>(message.size()));
        m_error[0] = '\0';
        m_reply.clear();
        const CURLcode code = curl_library().easy_perform(curl);
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
        curl_library().easy_setopt(m_curl, CURLOPT_URL, m_url.c_str());
        curl_library().easy_setopt(m_curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        curl_library().easy_setopt(m_curl, CURLOPT_UPLOAD, 1L);
        curl_library().easy_setopt(m_curl, CURLOPT_READFUNCTION, read_upload);
        curl_library().easy_setopt(m_curl, CURLOPT_ERRORBUFFER, m_error);
        curl_library().easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
        curl_library().easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT, 20L);
        // A stalled server: less than 1 byte/s for 60 s ends the attempt (temporary).
        curl_library().easy_setopt(m_curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_library().easy_setopt(m_curl, CURLOPT_LOW_SPEED_TIME, 60L);
        curl_library().easy_setopt(m_curl, CURLOPT_VERBOSE, 1L);
        curl_library().easy_setopt(m_curl, CURLOPT_DEBUGFUNCTION, keep_reply);
        curl_library().easy_setopt(m_curl, CURLOPT_DEBUGDATA, &m_reply);
        if (m_starttls) {
            // ALL, not TRY: TRY would fall back to plain text without a word.
            curl_library().easy_setopt(m_curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        }
        if (!m_username.empty()) {
            curl_library().easy_setopt(m_curl, CURLOPT_USERNAME, m_username.c_str());
            curl_library().easy_setopt(m_curl, CURLOPT_PASSWORD, m_password.c_str());
        }
        return m_curl;
    }

    SendResult classify(CURLcode code, long reply_code) const {
        std::string error =
            m_error[0] != '\0' ? std::string(m_error) : curl_library().easy_strerror(code);
        if (!m_reply.empty() && m_reply.size() >= 3 && reply_code >= 400) {
            error += fmt::format(" (server said: {})", m_reply);
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
    std::string m_reply;
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
