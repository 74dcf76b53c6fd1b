#include "sileram/mail/curl_version.hpp"

#include "sileram/loaded_library.hpp"

#include <curl/curl.h>

namespace sileram::mail {

namespace {

// The soname curl_library.cpp opens to send mail; the answer must be about that same file.
constexpr const char* k_curl_soname = "libcurl.so.4";

} // namespace

std::optional<std::string> curl_library_version() {
    const LoadedLibrary library(k_curl_soname);
    const auto version_info =
        library.function<curl_version_info_data* (*)(CURLversion)>("curl_version_info");
    if (version_info == nullptr) {
        return std::nullopt;
    }
    const curl_version_info_data* info = version_info(CURLVERSION_NOW);
    if (info == nullptr || info->version == nullptr) {
        return std::nullopt;
    }
    return std::string(info->version);
}

} // namespace sileram::mail
