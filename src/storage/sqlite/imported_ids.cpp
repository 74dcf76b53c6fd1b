#include "imported_ids.hpp"

#include <limits>
#include <utility>

namespace sileram::storage::sqlite {

namespace {

constexpr std::size_t k_first_slots = 1024; // a power of two, as every size after it

std::uint64_t hash_of(std::string_view id) {
    return std::hash<std::string_view>{}(id);
}

// A slot holds the upper half of the id's hash above the row's offset plus one (0: an empty
// slot). The upper half also chooses the slot, so the table can grow without the ids.
std::uint64_t upper_half(std::uint64_t hash) {
    return hash >> 32;
}

std::uint64_t slot_value(std::uint64_t hash, std::uint64_t offset) {
    return (upper_half(hash) << 32) | (offset + 1);
}

std::uint64_t offset_of(std::uint64_t slot) {
    return (slot & 0xFFFF'FFFF) - 1;
}

} // namespace

ImportedIds::ImportedIds(std::int64_t first_row, std::size_t max_ids)
    : m_first_row(first_row), m_max_ids(max_ids) {}

bool ImportedIds::contains(std::string_view id, const ReadBack& read_back) const {
    if (m_size == 0) {
        return false;
    }
    const std::uint64_t hash = hash_of(id);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = upper_half(hash) & mask; m_slots[i] != 0; i = (i + 1) & mask) {
        if (upper_half(m_slots[i]) == upper_half(hash) &&
            read_back(m_first_row + static_cast<std::int64_t>(offset_of(m_slots[i]))) == id) {
            return true;
        }
    }
    return false;
}

bool ImportedIds::add(std::string_view id, std::int64_t row) {
    const std::int64_t offset = row - m_first_row;
    // The offset plus one must fit the slot's lower half.
    if (m_size >= m_max_ids || offset < 0 || offset >= std::numeric_limits<std::uint32_t>::max()) {
        return false;
    }
    if ((m_size + 1) * 2 > m_slots.size()) {
        grow();
    }
    place(m_slots, slot_value(hash_of(id), static_cast<std::uint64_t>(offset)));
    ++m_size;
    return true;
}

std::size_t ImportedIds::table_bytes() const {
    return m_slots.capacity() * sizeof(std::uint64_t);
}

void ImportedIds::place(std::vector<std::uint64_t>& slots, std::uint64_t value) {
    const std::size_t mask = slots.size() - 1;
    std::size_t i = upper_half(value) & mask;
    while (slots[i] != 0) {
        i = (i + 1) & mask;
    }
    slots[i] = value;
}

void ImportedIds::grow() {
    std::vector<std::uint64_t> slots(m_slots.empty() ? k_first_slots : m_slots.size() * 2);
    for (const std::uint64_t value : m_slots) {
        if (value != 0) {
            place(slots, value);
        }
    }
    m_slots = std::move(slots);
}

} // namespace sileram::storage::sqlite
