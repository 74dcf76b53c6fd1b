#pragma once

#include "sileram/domain/workflow.hpp"

#include <cstddef>
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

// Whether a folded word (as search_terms gives it) is a Dutch or English stop word ("de",
// "niet", "the", "not"): words every other signal holds, which say nothing about a resemblance.
bool is_stop_word(std::string_view term);

// Only this much of a description counts, cut on a character boundary.
inline constexpr std::size_t k_description_bytes = 2000;
// How many query words count at most (title words first).
inline constexpr std::size_t k_max_query_terms = 12;

// The words the duplicate guard looks for: those of the title, then those of the start of the
// description, each once, without stop words, one-character words, and past k_max_query_terms.
std::vector<std::string> query_terms(std::string_view title, std::string_view description);

// One query word and how many stored signals hold it (capped by the caller's probe).
struct TermWeight {
    std::string term;
    std::int64_t documents = 0;
};

// How close a stored signal is to a query: `score` from 0 (nothing shared) to 1 (the same words),
// and the query words it holds, in query order.
struct Resemblance {
    double score = 0;
    std::vector<std::string> shared;
};

// Each query word weighs log(1 + total / (documents + 1)), so rare words count more than common
// ones. The score is the weight of the query words the candidate holds (in its title or the start
// of its description) over the weight of every query word plus, for each word of the candidate's
// title that the query lacks (stop words aside), the mean query word's weight: a one-word title
// is not 1.0 against every signal that holds its word, only against one with that title.
Resemblance resemble(const std::vector<TermWeight>& query, std::int64_t total_documents,
                     std::string_view candidate_title, std::string_view candidate_description);

// A similar signal at least this close is shown by `submit` (both stores leave out the rest).
inline constexpr double k_min_similarity = 0.25;
// A closed signal at least this close makes a new one a possible recurrence.
inline constexpr double k_recurrence_similarity = 0.5;
// The fewest words a new signal shares with a closed one to recur it: one shared word, however
// rare among the stored signals, names a topic ("factuur"), not the cause that came back.
inline constexpr std::size_t k_recurrence_shared_words = 2;

// Whether a new signal can recur a signal in `state`: only one closed after its root cause was
// found (step 5) and its effect measured (step 9). A signal closed after it was rejected, marked
// a duplicate or dropped removed no cause that could come back.
bool can_recur(State state, bool has_root_cause, bool measured);

// Whether a resemblance to a signal that can recur (can_recur) makes the new signal its
// recurrence: at least k_recurrence_similarity alike with at least k_recurrence_shared_words
// query words in common.
bool is_recurrence(double similarity, std::size_t shared_words);

} // namespace sileram::domain
