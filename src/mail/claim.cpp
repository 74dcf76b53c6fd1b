#include "random.hpp"
#include "sileram/mail/transport.hpp"
#include "system_error.hpp"

#include <climits>
#include <unistd.h>

namespace sileram::mail {

std::string new_claim() {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
        std::strcpy(host, "unknown-host");
    }
    // The random part tells apart two runs with one pid: on two machines of one name, or in two
    // containers.
    return fmt::format("{}/{}/{}", host, ::getpid(), random_hex<8>());
}

std::string claim_holder(std::string_view claim) {
    const auto last = claim.rfind('/');
    return std::string(last == std::string_view::npos ? claim : claim.substr(0, last));
}

} // namespace sileram::mail
