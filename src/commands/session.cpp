#include "sileram/commands/session.hpp"

namespace sileram::commands {

Session::Session(config::Config config, std::filesystem::path database, std::string actor,
                 std::unique_ptr<Clock> clock, Output output)
    : m_config(std::move(config)), m_database(std::move(database)), m_actor(std::move(actor)),
      m_clock(std::move(clock)), m_output(output) {}

storage::Store& Session::store(storage::Access access) {
    // A reader that later needs to write reopens the file for writing.
    if (!m_store || (access == storage::Access::write && m_access == storage::Access::read)) {
        m_store = storage::open_store(m_database, access);
        m_access = access;
    }
    return *m_store;
}

} // namespace sileram::commands
