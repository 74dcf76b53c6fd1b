#include "sileram/commands/clock.hpp"

namespace sileram::commands {

domain::Timestamp SystemClock::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace sileram::commands
