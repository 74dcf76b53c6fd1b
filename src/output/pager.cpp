#include "sileram/output/pager.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>

namespace sileram::output {

namespace {

constexpr std::string_view k_default_pager = "less -FRX";
// What /bin/sh exits with when it cannot find or run the command.
constexpr int k_shell_not_found = 127;
constexpr int k_shell_not_executable = 126;

} // namespace

std::string pager_command() {
    for (const char* name : {"SILERAM_PAGER", "PAGER"}) {
        if (const char* value = std::getenv(name); value != nullptr) {
            const std::string_view command(value);
            if (command.empty() || command == "cat") {
                return {};
            }
            return std::string(command);
        }
    }
    return std::string(k_default_pager);
}

bool show_in_pager(const std::string& command, std::string_view text) {
    // less reads its options from LESS; git sets the same ones so that a short text is shown
    // without a prompt and colours pass through.
    setenv("LESS", "FRX", 0);
    FILE* pipe = popen(command.c_str(), "w");
    if (pipe == nullptr) {
        return false;
    }
    // A reader that quits early (q in less) closes the pipe; that is no error of ours.
    const auto previous = std::signal(SIGPIPE, SIG_IGN);
    std::fwrite(text.data(), 1, text.size(), pipe);
    const int status = pclose(pipe);
    std::signal(SIGPIPE, previous);
    if (status == -1) {
        return false;
    }
    // A pager that is not installed never saw the text: print it after all.
    return !(WIFEXITED(status) && (WEXITSTATUS(status) == k_shell_not_found ||
                                   WEXITSTATUS(status) == k_shell_not_executable));
}

} // namespace sileram::output
