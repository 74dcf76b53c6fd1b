#pragma once

namespace sileram::cli {

// Parses the command line, builds the session, runs the command and maps any error to the exit
// codes of SPEC.md; returns the exit code.
int run(int argc, char** argv);

} // namespace sileram::cli
