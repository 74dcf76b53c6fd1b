#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/targets.hpp"
#include "sileram/output/terminal.hpp"

#include <string>

namespace sileram::output {

// The readable page of `show`: where the signal is and what comes next, what was decided, the
// figures, the actions, the feedback and the history, fitted to `width` columns; `late` says
// which target it missed, if any.
std::string signal_page(const domain::Signal& signal, const domain::ImpactSettings& settings,
                        domain::Timestamp now, std::size_t width, Color color,
                        const std::optional<domain::Lateness>& late = std::nullopt);

} // namespace sileram::output
