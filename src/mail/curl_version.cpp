#include "sileram/mail/curl_version.hpp"

#include <curl/curl.h>
#include <dlfcn.h>

namespace sileram::mail {

namespace {

// The soname curl_library.cpp opens to send mail; the answer must be about that same file.
constexpr const char* k_curl_soname = "libcurl.so.4";

// dlclose on every path, so asking for the version leaves nothing loaded behind.
class LoadedLibrary {
public:
    explicit LoadedLibrary(const char* soname) : m_handle(dlopen(soname, RTLD_LAZY | RTLD_LOCAL)) {}
    ~LoadedLibrary() {
        if (m_handle != nullptr) {
            dlclose(m_handle);
        }
    }
    LoadedLibrary(const LoadedLibrary&) = delete;
    LoadedLibrary& operator=(const LoadedLibrary&) = delete;

    void* symbol(const char* name) const {
        return m_handle == nullptr ? nullptr : dlsym(m_handle, name);
    }

private:
    void* m_handle;
};

} // namespace

std::optional<std::string> curl_library_version() {
    const LoadedLibrary library(k_curl_soname);
    using VersionInfo = curl_version_info_data* (*)(CURLversion);
    void* symbol = library.symbol("curl_version_info");
    if (symbol == nullptr) {
        return std::nullopt;
    }
    const curl_version_info_data* info = reinterpret_cast<VersionInfo>(symbol)(CURLVERSION_NOW);
    if (info == nullptr || info->version == nullptr) {
        return std::nullopt;
    }
    return std::string(info->version);
}

} // namespace sileram::mail
