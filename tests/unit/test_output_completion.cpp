#include "sileram/output/completion.hpp"

#include <doctest/doctest.h>

using namespace sileram::output;

namespace {

CompletionModel sample_model() {
    CompletionOption channel;
    channel.names = {"--channel"};
    channel.help = "Only this channel: [phone]\nsecond line";
    channel.kind = ValueKind::words;
    channel.values = {"phone", "walk in", "it's"};
    CompletionOption db;
    db.names = {"--db"};
    db.help = "SQLite file";
    db.kind = ValueKind::file;
    CompletionOption quiet;
    quiet.names = {"-q", "--quiet"};
    quiet.help = "Print less";
    CompletionCommand list{"list", "List signals", {channel}, ValueKind::none, {}};
    return CompletionModel{"sileram", {db, quiet}, {list}};
}

} // namespace

TEST_CASE("completion scripts: bash quotes values and knows which options take one") {
    const std::string bash = bash_completion(sample_model());
    CHECK(bash.find("complete -F _sileram sileram\n") != std::string::npos);
    CHECK(bash.find("list:--channel) _sileram_offer \"$cur\" phone 'walk in' 'it'\\''s' ;;") !=
          std::string::npos);
    CHECK(bash.find("*:--db) _sileram_files \"$cur\" ;;") != std::string::npos);
    // a flag takes no value, so the word after it is not skipped as one
    CHECK(bash.find("*:-q | *:--quiet) return 0") == std::string::npos);
}

TEST_CASE("completion scripts: zsh escapes brackets and colons and keeps one line of help") {
    const std::string zsh = zsh_completion(sample_model());
    CHECK(zsh.rfind("#compdef sileram\n", 0) == 0);
    CHECK(zsh.find("--channel'[Only this channel\\: \\[phone\\]]:value:(phone walk\\ in "
                   "it'\\''s)' \\\n") != std::string::npos);
    CHECK(zsh.find("second line") == std::string::npos);
    CHECK(zsh.find("'(-q --quiet)'{-q,--quiet}'[Print less]'") != std::string::npos);
}

TEST_CASE("completion scripts: fish gives each option its condition and its values") {
    const std::string fish = fish_completion(sample_model());
    CHECK(fish.find("complete -c sileram -l db -r -F -d 'SQLite file'\n") != std::string::npos);
    CHECK(fish.find("complete -c sileram -s q -l quiet -d 'Print less'\n") != std::string::npos);
    CHECK(fish.find("complete -c sileram -n '__fish_seen_subcommand_from list' -l channel -x -a "
                    "'phone \\'walk in\\' \\'it\\'\\\\\\'\\'s\\'' -d") != std::string::npos);
}
