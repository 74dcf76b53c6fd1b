#include "curl_library.hpp"
#include "sileram/errors.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace sileram;

TEST_CASE("a libcurl older than 7.85.0 is refused with both versions named") {
    CHECK_NOTHROW(mail::require_curl_version(0x075500, "7.85.0"));
    CHECK_NOTHROW(mail::require_curl_version(0x075801, "7.88.1"));
    try {
        mail::require_curl_version(0x074c01, "7.76.1");
        FAIL("an old libcurl was accepted");
    } catch (const SystemFailure& e) {
        const std::string message = e.what();
        CHECK(message.find("7.76.1") != std::string::npos);
        CHECK(message.find("7.85.0 or newer") != std::string::npos);
    }
    CHECK_THROWS_AS(mail::require_curl_version(0, "unknown"), SystemFailure);
}
