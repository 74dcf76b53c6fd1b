#pragma once

#include "connection.hpp"
#include "sileram/storage/store.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::storage::sqlite {

// The full-text side of the store: the duplicate guard, `list --search` and bulk import.

// See Store::find_similar.
std::vector<SimilarSignal> find_similar(Connection& db, const std::string& title,
                                        const std::string& description, int limit);

// The FTS5 query for `list --search WORDS`: every word must occur. Throws InvalidInput when
// WORDS hold no word.
std::string search_query(std::string_view words);

// Indexes a newly inserted signal and stores its possible recurrences.
void index_new_signal(Connection& db, const domain::Signal& signal);

// Loads the closed signals `signal` may be a recurrence of.
void load_recurrences(Connection& db, domain::Signal& signal);

// How many external ids a first import keeps in memory (16 MiB) while it leaves their unique
// index out; past them it builds the index at once, which finds the rest (see bulk_insert.cpp).
inline constexpr std::size_t k_max_imported_ids = std::size_t{1} << 20;

// See Store::bulk_insert. `max_imported_ids` is smaller only in the tests of that limit.
std::unique_ptr<BulkInsert> start_bulk_insert(Connection& db,
                                              std::size_t max_imported_ids = k_max_imported_ids);

// True while the database has no signal at all: an import into it may take the fast ways.
bool holds_no_signals(Connection& db);

} // namespace sileram::storage::sqlite
