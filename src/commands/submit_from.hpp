#pragma once

#include "sileram/commands/session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sileram::commands {

// The options of `submit --from`.
struct ImportOptions {
    std::string from;                        // a file, or "-" for standard input
    std::optional<std::string> format;       // csv or jsonl; else from the file name
    std::optional<std::string> by;           // submitter of rows without one
    std::vector<std::string> maps;           // FIELD=COLUMN
    std::optional<std::string> skip_invalid; // where the rejected rows go
    bool timings = false;                    // print the seconds of each phase on stderr
};

// Imports every row of a CSV or JSON lines file in one transaction: all or nothing, or with
// --skip-invalid the valid rows and the rejects written to a file; rows whose external id is
// known are skipped. Prints a one-line summary.
void submit_from(Session& session, const ImportOptions& options);

} // namespace sileram::commands
