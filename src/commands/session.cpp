#include "sileram/commands/session.hpp"

#include <stdexcept>

namespace sileram::commands {

Session::Session(config::Config config, std::filesystem::path database, std::string actor,
                 std::unique_ptr<Clock> clock, Output output)
    : m_config(std::move(config)), m_database(std::move(database)), m_actor(std::move(actor)),
      m_clock(std::move(clock)), m_output(output) {}

storage::Store& Session::store(storage::Access access) {
    if (!m_store) {
        m_store = storage::open_store(m_database, access);
        m_access = access;
    } else if (access == storage::Access::write && m_access == storage::Access::read) {
        throw std::logic_error("a command asked to write to the database after opening it for "
                               "reading; it must ask for write access first");
    }
    return *m_store;
}

} // namespace sileram::commands
