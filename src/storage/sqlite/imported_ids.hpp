#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::storage::sqlite {

// The external ids a first import has written while the unique index on them is left out (see
// bulk_insert.cpp), so that a second row with an id is still found. An id is kept as half its
// 64-bit hash beside the row it came with, in 8 bytes, however long it is; at most half the slots
// are used (16 MiB for 1,000,000 ids). A match is confirmed by reading the earlier row's id back,
// so two ids that share those bits are told apart and the answer is exact.
class ImportedIds {
public:
    // Reads the external id of a row recorded earlier.
    using ReadBack = std::function<std::string(std::int64_t row)>;

    // `first_row`: no row recorded is lower (rows are kept as offsets from it). `max_ids`: how
    // many ids the set takes before it is full.
    ImportedIds(std::int64_t first_row, std::size_t max_ids);

    // True when an earlier row has `id`.
    bool contains(std::string_view id, const ReadBack& read_back) const;
    // Records `id` as that of `row` (not recorded before); false, and nothing recorded, when the
    // set is full.
    bool add(std::string_view id, std::int64_t row);

    std::size_t size() const { return m_size; }
    // The bytes of the set's table, for the tests of its bounds.
    std::size_t table_bytes() const;

private:
    static void place(std::vector<std::uint64_t>& slots, std::uint64_t value);
    void grow();

    std::int64_t m_first_row;
    std::size_t m_max_ids;
    std::size_t m_size = 0;
    std::vector<std::uint64_t> m_slots; // see slot_value in the .cpp
};

} // namespace sileram::storage::sqlite
