// Must not compile unless SILERAM_CONSTANT_TEXT is defined: an Sql (a statement cache's key) can
// only be made from text known at compile time, never from a string built at run time, whose
// address may later hold other text. The build runs it both ways (tests/CMakeLists.txt).
#include "sql.hpp"

#include <string>

int main(int argc, [[maybe_unused]] char** argv) {
#ifdef SILERAM_CONSTANT_TEXT
    constexpr sileram::storage::sqlite::Sql sql = "SELECT 1";
#else
    const std::string text = std::string("SELECT ") + argv[0];
    const sileram::storage::sqlite::Sql sql = text.c_str();
#endif
    return argc > 0 && sql.text().empty() ? 1 : 0;
}
