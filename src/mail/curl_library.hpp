#pragma once

#include <curl/curl.h>

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

// The loaded library, initialised once per process (curl_global_init). Throws SystemFailure
// naming the library when it cannot be loaded.
const CurlLibrary& curl_library();

} // namespace sileram::mail
