#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sileram::domain {

// How the search index treats one code point, exactly as SQLite's FTS5 tokenizer `unicode61
// remove_diacritics 2` does: nullopt for a separator (anything but letters, numbers, private use
// and code points unassigned in its Unicode tables), else the code point lower-cased one to one
// and stripped of its diacritic ('É' -> 'e', 'ï' -> 'i'; 'ß' and 'ﬁ' stay as they are), or 0 for
// a combining diacritic, which the word drops. A PostgreSQL index needs its own fold.
std::optional<char32_t> fold_for_search(char32_t code_point);

// The words of `text` as the full-text index sees them: runs of code points that
// fold_for_search keeps, folded ("Façtuur" -> "factuur", "Straße" -> "straße"), each word once,
// in order of first appearance. A byte that is not UTF-8 separates words like a space does.
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
