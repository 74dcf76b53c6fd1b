#pragma once

#include "connection.hpp"
#include "sileram/storage/store.hpp"

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

// See Store::bulk_insert.
std::unique_ptr<BulkInsert> start_bulk_insert(Connection& db);

// True while the database has no signal at all: an import into it may take the fast ways.
bool holds_no_signals(Connection& db);

} // namespace sileram::storage::sqlite
