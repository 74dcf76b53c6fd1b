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

const CurlLibrary& curl_library() {
    static const CurlLibrary curl = load();
    return curl;
}

} // namespace sileram::mail
