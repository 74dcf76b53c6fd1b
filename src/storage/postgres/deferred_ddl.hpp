#pragma once

#include "connection.hpp"

#include <initializer_list>
#include <string>
#include <vector>

namespace sileram::storage::postgres {

// Indexes and foreign keys a bulk write drops before its rows and makes again after them, in
// the same transaction: a sort per index and one join per foreign key, instead of an index entry
// and a key check for every row (PostgreSQL's own advice for populating a database). DROP and
// ALTER TABLE are transactional: a write that fails rolls back with all of them in place. They
// hold ACCESS EXCLUSIVE on their tables until the commit; readers of those tables wait.
class DeferredDdl {
public:
    // Drops the indexes that `query` lists as rows of (name, definition).
    void drop_indexes(Connection& db, const char* query);
    // Drops the foreign keys of `tables` (names as regclass reads them).
    void drop_foreign_keys(Connection& db, std::initializer_list<const char*> tables);
    // Makes again what was dropped, indexes first; a foreign key checks every row it covers
    // then (a violation is refused as one on insert would be).
    void restore(Connection& db);
    bool empty() const { return m_indexes.empty() && m_foreign_keys.empty(); }

private:
    // The statements that make the dropped things again.
    std::vector<std::string> m_indexes;
    std::vector<std::string> m_foreign_keys;
};

} // namespace sileram::storage::postgres
