#pragma once

#include "sileram/commands/clock.hpp"
#include "sileram/config/config.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/time.hpp"
#include "sileram/output/terminal.hpp"
#include "sileram/storage/store.hpp"

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <sstream>
#include <string>

namespace sileram::commands {

enum class Format { text, json };
enum class Verbosity { normal, quiet };
enum class Paging { off, on };

// Where and how a command prints.
struct Output {
    Format format = Format::text;
    Verbosity verbosity = Verbosity::normal;
    output::TerminalInfo terminal;
    Paging paging = Paging::on; // off with --no-pager
    std::ostream* out = nullptr;
    std::ostream* err = nullptr;
};

// Everything a command needs from outside: configuration, database, clock, actor and output.
// Built once in main and passed to the command; there is no global context.
class Session {
public:
    Session(config::Config config, std::filesystem::path database, std::string actor,
            std::unique_ptr<Clock> clock, Output output);

    const config::Config& config() const { return m_config; }
    const domain::ImpactSettings& impact_settings() const { return m_config.impact; }
    const std::filesystem::path& database_path() const { return m_database; }
    const Output& output() const { return m_output; }
    std::ostream& out() const { return *m_output.out; }
    std::ostream& err() const { return *m_output.err; }
    bool json() const { return m_output.format == Format::json; }
    bool quiet() const { return m_output.verbosity == Verbosity::quiet; }

    // The database, opened once, on first use, with the access asked for then; a writer's open
    // migrates the file. A database that does not exist is Refused, naming the path and `sileram
    // init`, unless the command allowed creating it (then a writer creates it and says so on
    // stderr). A command that writes asks for write access first: asking to write once the store
    // is open for reading throws std::logic_error, since reopening it would leave the references
    // handed out before dangling. Reading from a writer's store is fine.
    storage::Store& store(storage::Access access);
    // Sends this command's text output through the pager when stdout is a terminal (and
    // --no-pager was not given); it is shown when finish_output runs.
    void use_pager();
    // Hands the output held for the pager to it (or to stdout when it cannot start).
    void finish_output();

    // Lets this command create a missing database on its first write (submit does; init creates
    // it itself).
    void allow_creating_database() { m_may_create = true; }

    domain::Timestamp now() const { return m_clock->now(); }
    // The actor and the moment of this command, for the history.
    domain::Stamp stamp() const { return domain::Stamp{m_actor, now()}; }

private:
    config::Config m_config;
    std::filesystem::path m_database;
    std::string m_actor;
    std::unique_ptr<Clock> m_clock;
    Output m_output;
    std::unique_ptr<storage::Store> m_store;
    storage::Access m_access = storage::Access::read;
    bool m_may_create = false;
    std::ostream* m_stdout = nullptr;            // where out() went before use_pager
    std::unique_ptr<std::ostringstream> m_paged; // the text for the pager
};

} // namespace sileram::commands
