#pragma once

#include "sileram/domain/signal.hpp"
#include "sileram/domain/targets.hpp"

#include <map>
#include <optional>
#include <string>

namespace sileram::domain {

// One row of `list`: what a table of signals shows.
struct SignalSummary {
    SignalId id = 0;
    std::string title;
    State state = State::submitted;
    int step = 1;
    std::string submitted_by;
    Timestamp submitted_at;
    Timestamp updated_at;
    std::map<std::string, std::string> fields; // the standard fields that are set
    std::optional<Impact> impact;
    int submitter_count = 1;
    std::optional<LateFacts> late_facts; // read only for a list of late signals
    std::optional<Lateness> late;        // which target it missed, once the rule has run
};

} // namespace sileram::domain
