#pragma once

#include <string>
#include <string_view>

namespace sileram::output {

// The pager as git chooses it: $SILERAM_PAGER, else $PAGER, else "less -FRX"; empty when the
// chosen variable is set but empty or "cat", meaning: do not page.
std::string pager_command();

// Runs `command` through /bin/sh with `text` on its standard input (LESS=FRX when LESS is
// unset) and waits until it ends; false when it could not be started, so the caller prints
// the text itself.
bool show_in_pager(const std::string& command, std::string_view text);

} // namespace sileram::output
