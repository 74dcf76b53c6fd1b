#include "sileram/domain/search.hpp"

#include "sileram/domain/text.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_set>
#include <utf8proc.h>

namespace sileram::domain {

namespace {

struct CodeRange {
    char32_t first;
    char32_t last;
};

struct Fold {
    char32_t from;
    char32_t to;
};

#include "unicode61_tables.inc"

bool is_separator(char32_t code_point) {
    // The first range that does not end before the code point is the only one that can hold it.
    const auto* range =
        std::lower_bound(std::begin(k_separators), std::end(k_separators), code_point,
                         [](const CodeRange& r, char32_t c) { return r.last < c; });
    return range != std::end(k_separators) && range->first <= code_point;
}

// The terms found so far, each once. A title and its description hold a few dozen distinct
// words: a scan of those finds a repeat sooner than hashing each word into a set of its own
// (a third of an import's own work on PostgreSQL went into that set); a text with more words
// than k_scanned_terms switches to the set.
class Terms {
public:
    void add(std::string& word) {
        if (!word.empty() && is_new(word)) {
            if (!m_seen.empty()) {
                m_seen.insert(word);
            }
            m_terms.push_back(word);
        }
        word.clear();
    }
    std::vector<std::string> take() { return std::move(m_terms); }

private:
    static constexpr std::size_t k_scanned_terms = 32;

    bool is_new(const std::string& word) {
        if (m_seen.empty() && m_terms.size() < k_scanned_terms) {
            return std::find(m_terms.begin(), m_terms.end(), word) == m_terms.end();
        }
        if (m_seen.empty()) {
            m_seen.insert(m_terms.begin(), m_terms.end());
        }
        return !m_seen.contains(word);
    }

    std::vector<std::string> m_terms;
    std::unordered_set<std::string> m_seen; // filled once there are k_scanned_terms terms
};

void append_utf8(std::string& out, char32_t code_point) {
    utf8proc_uint8_t bytes[4];
    const utf8proc_ssize_t size =
        utf8proc_encode_char(static_cast<utf8proc_int32_t>(code_point), bytes);
    out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

// Folded as search_terms folds (no accents), sorted for the binary search. Short and common on
// purpose: a word that tells signals apart must never be here.
constexpr std::string_view k_stop_words[] = {
    "aan",    "about",  "after", "again", "al",   "all",   "alle", "alles", "als",   "also",
    "altijd", "an",     "and",   "any",   "are",  "as",    "at",   "be",    "been",  "ben",
    "bent",   "bij",    "but",   "by",    "can",  "could", "dan",  "dat",   "de",    "deze",
    "did",    "die",    "dit",   "do",    "does", "doesn", "don",  "door",  "dus",   "een",
    "en",     "er",     "for",   "from",  "geen", "haar",  "had",  "has",   "have",  "he",
    "heb",    "hebben", "heeft", "hem",   "het",  "hier",  "hij",  "hoe",   "hun",   "ik",
    "in",     "is",     "isn",   "it",    "its",  "je",    "jij",  "kan",   "maar",  "me",
    "met",    "mij",    "mijn",  "moet",  "my",   "na",    "naar", "niet",  "no",    "nog",
    "not",    "nu",     "of",    "om",    "on",   "ons",   "onze", "ook",   "op",    "or",
    "our",    "over",   "she",   "so",    "te",   "than",  "that", "the",   "their", "them",
    "then",   "there",  "these", "they",  "this", "those", "to",   "toch",  "tot",   "uit",
    "uw",     "van",    "voor",  "want",  "was",  "wat",   "we",   "wel",   "were",  "what",
    "when",   "where",  "which", "who",   "why",  "wij",   "will", "with",  "word",  "worden",
    "wordt",  "would",  "you",   "your",  "ze",   "zich",  "zij",  "zijn",  "zo",    "zou",
};

} // namespace

std::optional<char32_t> fold_for_search(char32_t code_point) {
    // Most text is mostly ASCII: letters and digits, nothing else, make words there.
    if (code_point < 0x80) {
        if (code_point >= 'A' && code_point <= 'Z') {
            return code_point - 'A' + 'a';
        }
        const bool word =
            (code_point >= 'a' && code_point <= 'z') || (code_point >= '0' && code_point <= '9');
        return word ? std::optional<char32_t>(code_point) : std::nullopt;
    }
    if (is_separator(code_point)) {
        return std::nullopt;
    }
    const auto* fold = std::lower_bound(std::begin(k_folds), std::end(k_folds), code_point,
                                        [](const Fold& f, char32_t c) { return f.from < c; });
    return fold != std::end(k_folds) && fold->from == code_point ? fold->to : code_point;
}

std::vector<std::string> search_terms(std::string_view text) {
    Terms terms;
    std::string word;
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto remaining = static_cast<utf8proc_ssize_t>(text.size());
    while (remaining > 0) {
        if (*bytes < 0x80) {
            // ASCII, most of any text, folded here as fold_for_search folds it.
            const char c = static_cast<char>(*bytes);
            if (c >= 'A' && c <= 'Z') {
                word += static_cast<char>(c - 'A' + 'a');
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                word += c;
            } else {
                terms.add(word);
            }
            ++bytes;
            --remaining;
            continue;
        }
        utf8proc_int32_t code_point = 0;
        utf8proc_ssize_t length = utf8proc_iterate(bytes, remaining, &code_point);
        if (length <= 0) {
            // A byte that starts no character separates, so the words around it survive.
            code_point = -1;
            length = 1;
        }
        const auto folded =
            code_point < 0 ? std::nullopt : fold_for_search(static_cast<char32_t>(code_point));
        if (!folded) {
            terms.add(word);
        } else if (*folded != 0) {
            append_utf8(word, *folded);
        }
        bytes += length;
        remaining -= length;
    }
    terms.add(word);
    return terms.take();
}

bool is_stop_word(std::string_view term) {
    return std::binary_search(std::begin(k_stop_words), std::end(k_stop_words), term);
}

std::vector<std::string> query_terms(std::string_view title, std::string_view description) {
    std::vector<std::string> terms = search_terms(title);
    for (std::string& t : search_terms(utf8_prefix(description, k_description_bytes))) {
        if (std::find(terms.begin(), terms.end(), t) == terms.end()) {
            terms.push_back(std::move(t));
        }
    }
    // One-letter words and lone digits say little and are everywhere.
    std::erase_if(terms, [](const std::string& t) { return t.size() < 2 || is_stop_word(t); });
    if (terms.size() > k_max_query_terms) {
        terms.resize(k_max_query_terms);
    }
    return terms;
}

Resemblance resemble(const std::vector<TermWeight>& query, std::int64_t total_documents,
                     std::string_view candidate_title, std::string_view candidate_description) {
    const std::vector<std::string> title_terms = search_terms(candidate_title);
    std::unordered_set<std::string> candidate(title_terms.begin(), title_terms.end());
    for (std::string& t : search_terms(utf8_prefix(candidate_description, k_description_bytes))) {
        candidate.insert(std::move(t));
    }
    Resemblance result;
    std::unordered_set<std::string_view> asked;
    double all = 0;
    double shared = 0;
    for (const TermWeight& t : query) {
        const double weight =
            std::log(1.0 + static_cast<double>(std::max<std::int64_t>(total_documents, 1)) /
                               static_cast<double>(t.documents + 1));
        all += weight;
        asked.insert(t.term);
        if (candidate.count(t.term) != 0) {
            shared += weight;
            result.shared.push_back(t.term);
        }
    }
    if (all <= 0) {
        return result;
    }
    const double mean = all / static_cast<double>(query.size());
    for (const std::string& t : title_terms) {
        if (t.size() >= 2 && !is_stop_word(t) && asked.count(t) == 0) {
            all += mean;
        }
    }
    result.score = shared / all;
    return result;
}

bool can_recur(State state, bool has_root_cause, bool measured) {
    return state == State::closed && has_root_cause && measured;
}

bool is_recurrence(double similarity, std::size_t shared_words) {
    return similarity >= k_recurrence_similarity && shared_words >= k_recurrence_shared_words;
}

} // namespace sileram::domain
