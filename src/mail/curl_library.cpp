#include "curl_library.hpp"

#include "sileram/errors.hpp"

#include <cstdlib>
#include <dlfcn.h>
#include <fmt/format.h>

namespace sileram::mail {

namespace {

constexpr const char* k_soname = "libcurl.so.4";

template <typename Function>
void bind(void* library, const char* name, Function& target) {
    void* symbol = dlsym(library, name);
    if (symbol == nullptr) {
        throw SystemFailure(
            fmt::format("{} lacks {}; install libcurl 7.85 or newer", k_soname, name));
    }
    target = reinterpret_cast<Function>(symbol);
}

CurlLibrary load() {
    void* library = dlopen(k_soname, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char* why = dlerror();
        throw SystemFailure(fmt::format("cannot load {} to send mail: {} (install libcurl4)",
                                        k_soname, why != nullptr ? why : "unknown error"));
    }
    CurlLibrary curl{};
    curl_version_info_data* (*version_info)(CURLversion) = nullptr;
    bind(library, "curl_version_info", version_info);
    const curl_version_info_data* version = version_info(CURLVERSION_NOW);
    require_curl_version(version != nullptr ? version->version_num : 0,
                         version != nullptr && version->version != nullptr ? version->version
                                                                           : "unknown");
    bind(library, "curl_global_init", curl.global_init);
    bind(library, "curl_global_cleanup", curl.global_cleanup);
    bind(library, "curl_easy_init", curl.easy_init);
    bind(library, "curl_easy_setopt", curl.easy_setopt);
    bind(library, "curl_easy_perform", curl.easy_perform);
    bind(library, "curl_easy_getinfo", curl.easy_getinfo);
    bind(library, "curl_easy_cleanup", curl.easy_cleanup);
    bind(library, "curl_easy_strerror", curl.easy_strerror);
    bind(library, "curl_slist_append", curl.slist_append);
    bind(library, "curl_slist_free_all", curl.slist_free_all);
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        throw SystemFailure("libcurl could not be initialised");
    }
    std::atexit(curl.global_cleanup);
    return curl;
}

} // namespace

void require_curl_version(unsigned int version_num, std::string_view version) {
    if (version_num < k_minimum_curl_version) {
        throw SystemFailure(fmt::format("{} is libcurl {}, too old to send mail: sileram needs "
                                        "{} or newer (for CURLOPT_PROTOCOLS_STR); install a newer "
                                        "libcurl4",
                                        k_soname, version, k_minimum_curl_text));
    }
}

const CurlLibrary& curl_library() {
    static const CurlLibrary curl = load();
    return curl;
}

} // namespace sileram::mail
