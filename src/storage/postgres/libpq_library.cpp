#include "libpq_library.hpp"

#include "sileram/errors.hpp"
#include "sileram/loaded_library.hpp"
#include "sileram/storage/library_version.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

namespace sileram::storage::postgres {

namespace {

template <typename Function>
void bind(void* library, const char* name, Function& target) {
    void* symbol = dlsym(library, name);
    if (symbol == nullptr) {
        throw SystemFailure(
            fmt::format("{} lacks {}; install libpq5 of PostgreSQL 14 or newer (pipeline mode)",
                        k_libpq_soname, name));
    }
    target = reinterpret_cast<Function>(symbol);
}

LibPq load() {
    // Never closed: the connections it makes live until the process ends.
    void* library = dlopen(k_libpq_soname, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char* why = dlerror();
        throw SystemFailure(
            fmt::format("cannot load {} to reach a PostgreSQL database: {} (install libpq5)",
                        k_libpq_soname, why != nullptr ? why : "unknown error"));
    }
    LibPq pq{};
#define SILERAM_LIBPQ_BIND(name) bind(library, #name, pq.name);
    SILERAM_LIBPQ_FUNCTIONS(SILERAM_LIBPQ_BIND)
#undef SILERAM_LIBPQ_BIND
    return pq;
}

} // namespace

const LibPq& libpq() {
    static const LibPq pq = load();
    return pq;
}

} // namespace sileram::storage::postgres

namespace sileram::storage {

std::optional<std::string> libpq_library_version() {
    const LoadedLibrary library(postgres::k_libpq_soname);
    const auto lib_version = library.function<decltype(&::PQlibVersion)>("PQlibVersion");
    if (lib_version == nullptr) {
        return std::nullopt;
    }
    // Since PostgreSQL 10: major * 10000 + minor.
    const int version = lib_version();
    return fmt::format("{}.{}", version / 10000, version % 10000);
}

} // namespace sileram::storage
