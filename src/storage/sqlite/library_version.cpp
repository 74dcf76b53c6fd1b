#include "sileram/storage/library_version.hpp"

#include <sqlite3.h>

namespace sileram::storage {

std::string_view sqlite_library_version() {
    return sqlite3_libversion();
}

} // namespace sileram::storage
