#pragma once

#include <curl/curl.h>
#include <string_view>

namespace sileram::mail {

// The libcurl functions sileram uses, loaded with dlopen the first time mail goes out. Linking
// libcurl would make every command load its ~30 shared libraries (TLS, Kerberos, LDAP, ...) at
// start, which cost about 12 ms per command; only `close --send` needs them.
struct CurlLibrary {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)();
    CURL* (*easy_init)();
    CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL* handle);
    CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
    void (*easy_cleanup)(CURL* handle);
    const char* (*easy_strerror)(CURLcode code);
    curl_slist* (*slist_append)(curl_slist* list, const char* text);
    void (*slist_free_all)(curl_slist* list);
};

// The oldest libcurl sileram works with: CURLOPT_PROTOCOLS_STR came with 7.85.0.
constexpr unsigned int k_minimum_curl_version = 0x075500;
constexpr const char* k_minimum_curl_text = "7.85.0";

// Throws SystemFailure naming both versions when `version_num` (libcurl's 0xXXYYZZ) is older than
// k_minimum_curl_version; `version` is its text, for the message.
void require_curl_version(unsigned int version_num, std::string_view version);

// The loaded library, initialised once per process (curl_global_init). Throws SystemFailure
// naming the library when it cannot be loaded.
const CurlLibrary& curl_library();

} // namespace sileram::mail
