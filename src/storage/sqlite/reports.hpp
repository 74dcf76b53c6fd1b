#pragma once

#include "connection.hpp"
#include "sileram/storage/reports.hpp"

#include <memory>

namespace sileram::storage::sqlite {

// The report queries on an open connection, which must outlive them.
std::unique_ptr<ReportQueries> make_report_queries(Connection& db);

} // namespace sileram::storage::sqlite
