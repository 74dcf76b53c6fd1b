#pragma once

#include "connection.hpp"
#include "sileram/storage/copy.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sileram::storage::sqlite {

// See Store::read_rows.
void read_rows(Connection& db, const CopiedTable& table,
               const std::function<void(const Row&)>& visit);

// See Store::has_rows.
bool has_rows(Connection& db, const CopiedTable& table);

// A copy into this database, inside its open write transaction (see Store::begin_copy and
// finish_copy). Triggers and the copied tables' secondary indexes are dropped while the rows go in
// (each would cost work per row) and made again from the text SQLite kept of them; a rollback
// brings them back as well.
class CopyTarget {
public:
    explicit CopyTarget(Connection& db);
    std::unique_ptr<RowWriter> write_rows(const CopiedTable& table);
    void finish();

private:
    Connection& m_db;
    std::vector<std::string> m_triggers;
    std::vector<std::string> m_indexes;
};

} // namespace sileram::storage::sqlite
