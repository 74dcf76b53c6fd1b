#include "sileram/commands/session.hpp"

#include "sileram/output/pager.hpp"

#include <fmt/format.h>
#include <ostream>
#include <stdexcept>

namespace sileram::commands {

Session::Session(config::Config config, std::filesystem::path database, std::string actor,
                 std::unique_ptr<Clock> clock, Output output)
    : m_config(std::move(config)), m_database(std::move(database)), m_actor(std::move(actor)),
      m_clock(std::move(clock)), m_output(output) {}

storage::Store& Session::store(storage::Access access) {
    if (!m_store) {
        // Only the commands that may start a database (init, submit) create one; the others
        // refuse a missing file or a PostgreSQL database without sileram's schema.
        const bool missing =
            !storage::is_database_uri(m_database.string()) && !std::filesystem::exists(m_database);
        m_store = storage::open_store(m_database, access,
                                      m_may_create ? storage::IfMissing::create
                                                   : storage::IfMissing::refuse);
        m_access = access;
        if (missing && access == storage::Access::write && !quiet()) {
            err() << fmt::format("sileram: created a new database at {}\n", m_database.string());
        }
    } else if (access == storage::Access::write && m_access == storage::Access::read) {
        throw std::logic_error("a command asked to write to the database after opening it for "
                               "reading; it must ask for write access first");
    }
    return *m_store;
}

void Session::use_pager() {
    if (m_paged || !m_output.terminal.is_tty || m_output.paging == Paging::off || json()) {
        return;
    }
    m_paged = std::make_unique<std::ostringstream>();
    m_stdout = m_output.out;
    m_output.out = m_paged.get();
}

void Session::finish_output() {
    if (!m_paged) {
        return;
    }
    const std::string text = m_paged->str();
    m_output.out = m_stdout;
    m_paged.reset();
    const std::string command = output::pager_command();
    if (text.empty() || command.empty() ||
        !(m_stdout->flush(), output::show_in_pager(command, text))) {
        *m_output.out << text;
    }
}

} // namespace sileram::commands
