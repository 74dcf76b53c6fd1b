#include "sileram/domain/search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <unordered_set>
#include <utf8proc.h>

namespace sileram::domain {

namespace {

bool is_word_character(utf8proc_int32_t code_point) {
    switch (utf8proc_category(code_point)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_CO:
        return true;
    default:
        return false;
    }
}

void add_term(std::string& word, std::vector<std::string>& terms,
              std::unordered_set<std::string>& seen) {
    if (!word.empty() && seen.insert(word).second) {
        terms.push_back(word);
    }
    word.clear();
}

// Case-folded, decomposed and stripped of combining marks; nullptr for text that is not UTF-8.
std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> fold(std::string_view text) {
    utf8proc_uint8_t* folded = nullptr;
    const auto options =
        static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK);
    const utf8proc_ssize_t size =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()), &folded, options);
    if (size < 0) {
        std::free(folded);
        folded = nullptr;
    }
    return {folded, &std::free};
}

} // namespace

std::vector<std::string> search_terms(std::string_view text) {
    std::vector<std::string> terms;
    std::unordered_set<std::string> seen;
    std::string word;
    const bool ascii = std::all_of(text.begin(), text.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
        for (const char c : text) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                word += c;
            } else if (c >= 'A' && c <= 'Z') {
                word += static_cast<char>(c - 'A' + 'a');
            } else {
                add_term(word, terms, seen);
            }
        }
        add_term(word, terms, seen);
        return terms;
    }
    const auto folded = fold(text);
    if (!folded) {
        return terms;
    }
    const utf8proc_uint8_t* at = folded.get();
    while (*at != 0) {
        utf8proc_int32_t code_point = 0;
        const utf8proc_ssize_t length = utf8proc_iterate(at, -1, &code_point);
        if (length <= 0) {
            break;
        }
        if (is_word_character(code_point)) {
            word.append(reinterpret_cast<const char*>(at), static_cast<std::size_t>(length));
        } else {
            add_term(word, terms, seen);
        }
        at += length;
    }
    add_term(word, terms, seen);
    return terms;
}

double similarity(const std::vector<TermWeight>& query, std::int64_t total_documents,
                  const std::vector<std::string>& candidate_terms) {
    const std::unordered_set<std::string> candidate(candidate_terms.begin(), candidate_terms.end());
    double all = 0;
    double shared = 0;
    for (const TermWeight& t : query) {
        const double weight =
            std::log(1.0 + static_cast<double>(std::max<std::int64_t>(total_documents, 1)) /
                               static_cast<double>(t.documents + 1));
        all += weight;
        if (candidate.count(t.term) != 0) {
            shared += weight;
        }
    }
    return all > 0 ? shared / all : 0.0;
}

} // namespace sileram::domain
