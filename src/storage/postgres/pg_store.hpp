#pragma once

#include "sileram/storage/store.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace sileram::storage::postgres {

// True for a text that names a PostgreSQL database (`postgresql://` or `postgres://`).
bool is_uri(std::string_view text);

// Opens sileram's schema in the PostgreSQL database `uri` (see open_store). For writing, a
// missing schema is created and an older one migrated; for reading, a database without the
// schema reads as empty and nothing is created; with IfMissing::refuse such a database is refused.
std::unique_ptr<Store> open_store(const std::string& uri, Access access, IfMissing if_missing);

// The URI as it may be shown to a user: a password written into it is replaced by `***`.
std::string redact(std::string_view uri);

// True when the database holds sileram's schema.
bool schema_exists(const std::string& uri);

// Creates or migrates sileram's schema, for `init`; returns its version.
int initialise_database(const std::string& uri);

} // namespace sileram::storage::postgres
