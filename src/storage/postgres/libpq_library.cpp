#include "libpq_library.hpp"

#include "sileram/errors.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

namespace sileram::storage::postgres {

namespace {

constexpr const char* k_soname = "libpq.so.5";

template <typename Function>
void bind(void* library, const char* name, Function& target) {
    void* symbol = dlsym(library, name);
    if (symbol == nullptr) {
        throw SystemFailure(
            fmt::format("{} lacks {}; install libpq5 of PostgreSQL 14 or newer (pipeline mode)",
                        k_soname, name));
    }
    target = reinterpret_cast<Function>(symbol);
}

LibPq load() {
    // Never closed: the connections it makes live until the process ends.
    void* library = dlopen(k_soname, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char* why = dlerror();
        throw SystemFailure(
            fmt::format("cannot load {} to reach a PostgreSQL database: {} (install libpq5)",
                        k_soname, why != nullptr ? why : "unknown error"));
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
