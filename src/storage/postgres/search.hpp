#pragma once

#include "connection.hpp"
#include "sileram/storage/store.hpp"

#include <string>
#include <string_view>

namespace sileram::storage::postgres {

// The text the `search` column's tsvector is made of: the words domain::search_terms finds in
// title and description (the words SQLite's index holds), separated by spaces.
std::string search_words(const std::string& title, const std::string& description);

// The expression that turns search_words (bound as `$N`) into the stored tsvector.
inline constexpr const char* k_search_config = "sileram.search";

// The tsquery text for `list --search WORDS`: every word must occur. Throws InvalidInput when
// WORDS hold no word.
std::string search_query(std::string_view words);

// See Store::find_similar: rare words first, each probed through the GIN index.
std::vector<SimilarSignal> find_similar(Connection& db, const std::string& title,
                                        const std::string& description, int limit);

} // namespace sileram::storage::postgres
