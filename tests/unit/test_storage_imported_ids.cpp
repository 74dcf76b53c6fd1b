// The external ids a first import keeps while the unique index on them is left out.
#include "imported_ids.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <map>
#include <string>

using sileram::storage::sqlite::ImportedIds;

namespace {

// The rows as the table would hold them, for the set to read an earlier id back.
struct Rows {
    std::map<std::int64_t, std::string> ids;
    int reads = 0;

    ImportedIds::ReadBack reader() {
        return [this](std::int64_t row) {
            ++reads;
            return ids.at(row);
        };
    }
};

} // namespace

TEST_CASE("imported ids: an id added is found, by its whole text, and others are not") {
    Rows rows;
    ImportedIds set(101, 1000);
    CHECK_FALSE(set.contains("CRM-1", rows.reader()));
    for (std::int64_t row = 101; row < 101 + 500; ++row) {
        rows.ids[row] = fmt::format("CRM-{}", row);
        REQUIRE(set.add(rows.ids[row], row));
    }
    CHECK(set.size() == 500);
    for (std::int64_t row = 101; row < 101 + 500; ++row) {
        CHECK(set.contains(fmt::format("CRM-{}", row), rows.reader()));
    }
    rows.reads = 0;
    CHECK_FALSE(set.contains("CRM-1", rows.reader()));
    CHECK_FALSE(set.contains("crm-101", rows.reader()));
    CHECK_FALSE(set.contains("", rows.reader()));
    // An id is confirmed against the row, so a hash shared by two ids (here: the row's id
    // changed behind the set's back) is no match.
    rows.ids[101] = "something else";
    CHECK_FALSE(set.contains("CRM-101", rows.reader()));
    CHECK(rows.reads >= 1);
}

TEST_CASE("imported ids: full at its limit, and rows outside its range are not taken") {
    Rows rows;
    ImportedIds set(1, 3);
    CHECK(set.add("a", 1));
    CHECK(set.add("b", 2));
    CHECK(set.add("c", 3));
    CHECK_FALSE(set.add("d", 4));
    CHECK(set.size() == 3);
    rows.ids = {{1, "a"}, {2, "b"}, {3, "c"}};
    CHECK_FALSE(set.contains("d", rows.reader()));

    ImportedIds later(1000, 10);
    CHECK_FALSE(later.add("below", 999));
    CHECK_FALSE(later.add("beyond", 1000 + (std::int64_t{1} << 32)));
    CHECK(later.size() == 0);
}

TEST_CASE("imported ids: 8 bytes a slot, at most half of them used") {
    ImportedIds set(1, 1u << 20);
    for (std::int64_t row = 1; row <= 100000; ++row) {
        REQUIRE(set.add(fmt::format("ID-{:08}", row * 7919 % 1000003), row));
    }
    // 100,000 ids take 2^18 slots (the first power of two at least twice as many).
    CHECK(set.table_bytes() == (std::size_t{1} << 18) * 8);
    Rows rows;
    for (std::int64_t row = 1; row <= 100000; ++row) {
        rows.ids[row] = fmt::format("ID-{:08}", row * 7919 % 1000003);
    }
    CHECK(set.contains(rows.ids[77777], rows.reader()));
    CHECK_FALSE(set.contains("ID-99999999", rows.reader()));
}
