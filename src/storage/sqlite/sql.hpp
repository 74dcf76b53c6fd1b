#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sileram::storage::sqlite {

// The text of one SQL statement that the program names: a string literal or a constant. It can
// only be made at compile time, so its text lives as long as the program and a temporary
// string's text can never become a statement cache's key; two equal texts are one key wherever
// they are stored.
class Sql {
public:
    // Implicit, so `db.cached(k_select_signal)` reads as before; consteval refuses any text that
    // is not a compile-time constant.
    consteval Sql(const char* text) // NOLINT(google-explicit-constructor)
        : m_text(text), m_hash(hash_of(m_text)) {}

    constexpr std::string_view text() const { return m_text; }
    constexpr std::size_t hash() const { return m_hash; }

    friend constexpr bool operator==(const Sql& a, const Sql& b) {
        return a.m_hash == b.m_hash &&
               (a.m_text.data() == b.m_text.data() ? a.m_text.size() == b.m_text.size()
                                                   : a.m_text == b.m_text);
    }

private:
    // FNV-1a, computed by the compiler, so a cache lookup costs no hashing at run time.
    static consteval std::size_t hash_of(std::string_view text) {
        std::uint64_t hash = 14695981039346656037ULL;
        for (const char c : text) {
            hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        }
        return static_cast<std::size_t>(hash);
    }

    std::string_view m_text;
    std::size_t m_hash;
};

// Hashes an Sql by its precomputed hash, for unordered containers.
struct SqlHash {
    std::size_t operator()(const Sql& sql) const noexcept { return sql.hash(); }
};

} // namespace sileram::storage::sqlite
