#include "sileram/domain/search.hpp"

#include <doctest/doctest.h>

using namespace sileram::domain;

TEST_CASE("search terms are case- and accent-free words, each once") {
    CHECK(search_terms("De factuur is onduidelijk, de FACTUUR!") ==
          std::vector<std::string>{"de", "factuur", "is", "onduidelijk"});
    CHECK(search_terms("Café-rekening één") == std::vector<std::string>{"cafe", "rekening", "een"});
    CHECK(search_terms("").empty());
}

TEST_CASE("search terms fold one code point at a time, as the index does") {
    // unicode61 lower-cases without full case folding: ß is no "ss", ẞ lowers to ß.
    CHECK(search_terms("Straße STRAẞE") == std::vector<std::string>{"straße"});
    CHECK(search_terms("strasse") == std::vector<std::string>{"strasse"});
    // A ligature is one letter of its own.
    CHECK(search_terms("ﬁle ﬂow") == std::vector<std::string>{"ﬁle", "ﬂow"});
    // Accents go both ways: precomposed and combining.
    CHECK(search_terms("é è ï É È Ï") == std::vector<std::string>{"e", "i"});
    CHECK(search_terms("e\u0301te\u0300 nai\u0308f") == std::vector<std::string>{"ete", "naif"});
    CHECK(search_terms("Ǖ ǖ") == std::vector<std::string>{"u"});
    // Symbols and punctuation separate; numbers and private use make words.
    CHECK(search_terms("a€b c—d ½ \uE000x") ==
          std::vector<std::string>{"a", "b", "c", "d", "½", "\uE000x"});
}

TEST_CASE("fold_for_search keeps, folds, drops or separates a code point") {
    CHECK(fold_for_search(U'A') == U'a');
    CHECK(fold_for_search(U'ß') == U'ß');
    CHECK(fold_for_search(U'É') == U'e');
    CHECK(fold_for_search(U'\u0301') == U'\0');
    CHECK_FALSE(fold_for_search(U' ').has_value());
    CHECK_FALSE(fold_for_search(U'\x1b').has_value());
    CHECK_FALSE(fold_for_search(U'\u009b').has_value());
}

TEST_CASE("a byte that is not UTF-8 separates words and loses none") {
    CHECK(search_terms("bad \xff word") == std::vector<std::string>{"bad", "word"});
    // The first two bytes of "é": a cut inside a character keeps every word before it.
    CHECK(search_terms("straße caf\xc3") == std::vector<std::string>{"straße", "caf"});
}

TEST_CASE("similarity weighs rare words more than common ones") {
    const std::vector<TermWeight> query{{"factuur", 100}, {"de", 900000}, {"btw", 20}};
    CHECK(similarity(query, 1000000, {"factuur", "de", "btw"}) == doctest::Approx(1.0));
    CHECK(similarity(query, 1000000, {}) == doctest::Approx(0.0));
    const double rare = similarity(query, 1000000, {"btw"});
    const double common = similarity(query, 1000000, {"de"});
    CHECK(rare > 0.4);
    CHECK(common < 0.05);
}
