#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::domain {

// The words of `text` as the full-text index sees them: split at every character that is not a
// letter or digit, case-folded and without accents ("Façtuur" -> "factuur"), each word once, in
// order of first appearance. Matches SQLite's unicode61 tokenizer with remove_diacritics 2.
std::vector<std::string> search_terms(std::string_view text);

// One query word and how many stored signals hold it (capped by the caller's probe).
struct TermWeight {
    std::string term;
    std::int64_t documents = 0;
};

// How much of the query a candidate covers, from 0 (nothing) to 1 (every query word): each query
// word weighs log(1 + total / (documents + 1)), so rare words count more than common ones.
double similarity(const std::vector<TermWeight>& query, std::int64_t total_documents,
                  const std::vector<std::string>& candidate_terms);

// A similar signal at least this close is shown by `submit`.
inline constexpr double k_min_similarity = 0.25;
// A closed signal at least this close makes a new one a possible recurrence.
inline constexpr double k_recurrence_similarity = 0.5;

} // namespace sileram::domain
