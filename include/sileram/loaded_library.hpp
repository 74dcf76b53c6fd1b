#pragma once

#include <dlfcn.h>

namespace sileram {

// A shared library opened with dlopen for as long as this object lives, for a look at it (its
// version) that must leave nothing loaded behind: dlclose on every path. A library that cannot
// be opened gives no symbols.
class LoadedLibrary {
public:
    explicit LoadedLibrary(const char* soname) : m_handle(dlopen(soname, RTLD_LAZY | RTLD_LOCAL)) {}
    ~LoadedLibrary() {
        if (m_handle != nullptr) {
            dlclose(m_handle);
        }
    }
    LoadedLibrary(const LoadedLibrary&) = delete;
    LoadedLibrary& operator=(const LoadedLibrary&) = delete;

    // The function `name` as a `Function` pointer, or nullptr.
    template <typename Function>
    Function function(const char* name) const {
        return m_handle == nullptr ? nullptr : reinterpret_cast<Function>(dlsym(m_handle, name));
    }

private:
    void* m_handle;
};

} // namespace sileram
