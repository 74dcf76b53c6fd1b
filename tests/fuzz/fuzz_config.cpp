// The TOML config loader on arbitrary bytes: a valid config loads, anything else is refused with
// InvalidInput naming the place. Any other exception escapes and counts as a finding.
#include "sileram/config/config.hpp"
#include "sileram/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const sileram::config::Config config = sileram::config::parse_config(text, "fuzz.toml");
        (void)config;
    } catch (const sileram::InvalidInput&) {
        // Refused with a message: what hostile input should get.
    }
    return 0;
}
