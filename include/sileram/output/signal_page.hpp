#pragma once

#include "sileram/domain/figures.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/output/terminal.hpp"

#include <string>

namespace sileram::output {

// The readable page of `show`: where the signal is and what comes next, what was decided, the
// figures, the actions, the feedback and the history, fitted to `width` columns.
std::string signal_page(const domain::Signal& signal, const domain::ImpactSettings& settings,
                        domain::Timestamp now, std::size_t width, Color color);

} // namespace sileram::output
