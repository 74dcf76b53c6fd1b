#include "sileram/domain/search.hpp"

#include <doctest/doctest.h>

using namespace sileram::domain;

TEST_CASE("search terms are case- and accent-free words, each once") {
    CHECK(search_terms("De factuur is onduidelijk, de FACTUUR!") ==
          std::vector<std::string>{"de", "factuur", "is", "onduidelijk"});
    CHECK(search_terms("Café-rekening één") == std::vector<std::string>{"cafe", "rekening", "een"});
    CHECK(search_terms("").empty());
}

TEST_CASE("search terms of a long text keep each word once, in the order it first came") {
    // More distinct words than the scan looks through: the rest are found in a set, repeats in
    // either part are dropped, and ASCII folds as every other letter does.
    std::string text;
    std::vector<std::string> expected;
    for (int i = 0; i < 100; ++i) {
        const std::string repeats = " woord0 WOORD" + std::to_string(i / 2) + " ";
        text += "Woord" + std::to_string(i) + (i % 7 == 0 ? repeats : " ");
        expected.push_back("woord" + std::to_string(i));
    }
    text += "woord99 Woord50 éénmaal EENMAAL";
    expected.push_back("eenmaal");
    CHECK(search_terms(text) == expected);
    // Every ASCII character: letters folded, digits kept, the rest separate.
    std::string ascii;
    for (int c = 1; c < 0x80; ++c) {
        ascii += static_cast<char>(c);
    }
    CHECK(search_terms(ascii) ==
          std::vector<std::string>{"0123456789", "abcdefghijklmnopqrstuvwxyz"});
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

TEST_CASE("resemble weighs rare words more than common ones") {
    const std::vector<TermWeight> query{{"factuur", 100}, {"de", 900000}, {"btw", 20}};
    CHECK(resemble(query, 1000000, "factuur de btw", "").score == doctest::Approx(1.0));
    CHECK(resemble(query, 1000000, "", "").score == doctest::Approx(0.0));
    const Resemblance rare = resemble(query, 1000000, "", "btw");
    const Resemblance common = resemble(query, 1000000, "", "de");
    CHECK(rare.score > 0.4);
    CHECK(rare.shared == std::vector<std::string>{"btw"});
    CHECK(common.score < 0.05);
}

TEST_CASE("resemble gives the share of the words, counting the candidate's other title words") {
    const std::vector<TermWeight> one{{"factuur", 10}};
    // The same one word: alike; a title with three more words is a quarter alike, not 1.0.
    CHECK(resemble(one, 1000, "Factuur", "").score == doctest::Approx(1.0));
    const Resemblance longer = resemble(one, 1000, "Factuur btw-regel onduidelijk", "");
    CHECK(longer.score == doctest::Approx(0.25));
    CHECK(longer.shared == std::vector<std::string>{"factuur"});
    // Stop words and words of the candidate's description do not count against it.
    CHECK(resemble(one, 1000, "De factuur is te", "lang verhaal").score == doctest::Approx(1.0));
}

TEST_CASE("stop words are sorted, folded and left out of the query words") {
    CHECK(is_stop_word("niet"));
    CHECK(is_stop_word("the"));
    CHECK(is_stop_word("een"));
    CHECK(is_stop_word("te"));
    CHECK_FALSE(is_stop_word("monteur"));
    CHECK_FALSE(is_stop_word("factuur"));
    CHECK(query_terms("Monteur komt niet op afgesproken tijd", "") ==
          std::vector<std::string>{"monteur", "komt", "afgesproken", "tijd"});
    CHECK(query_terms("The invoice is not clear", "en de btw x") ==
          std::vector<std::string>{"invoice", "clear", "btw"});
    CHECK(query_terms("niet de het", "").empty());
}

TEST_CASE("query words stop at twelve, title first, description cut on a character") {
    CHECK(query_terms("een twee drie",
                      "vier vijf zes zeven acht negen tien elf twaalf dertien veertien")
              .size() == k_max_query_terms);
    const std::string long_text = std::string(k_description_bytes - 1, 'a') + " é woord";
    CHECK(query_terms("titel", long_text).size() == 2);
}

TEST_CASE("only a signal closed after root cause and measurement can recur") {
    CHECK(can_recur(State::closed, true, true));
    // Closed after it was rejected, marked a duplicate or dropped: no root cause, no measurement.
    CHECK_FALSE(can_recur(State::closed, false, false));
    // Dropped at the go/no-go after its root cause was found: never measured.
    CHECK_FALSE(can_recur(State::closed, true, false));
    for (const State open_or_waiting :
         {State::measured, State::rejected, State::duplicate, State::dropped, State::submitted}) {
        CHECK_FALSE(can_recur(open_or_waiting, true, true));
    }
}

TEST_CASE("one shared common word is no recurrence; a real resemblance is") {
    // "factuur" is common, "laat" rarer: the closed "Factuur" alone holds half the weight.
    const std::vector<TermWeight> query{{"factuur", 40}, {"laat", 60}};
    const Resemblance one_word = resemble(query, 1000, "Factuur", "");
    CHECK(one_word.score >= k_recurrence_similarity);
    CHECK(one_word.shared == std::vector<std::string>{"factuur"});
    CHECK_FALSE(is_recurrence(one_word.score, one_word.shared.size()));

    const std::vector<TermWeight> same{{"btw", 20}, {"regel", 30}, {"factuur", 40}};
    const Resemblance real = resemble(same, 1000, "Factuur btw-regel onduidelijk", "");
    CHECK(real.shared.size() == 3);
    CHECK(is_recurrence(real.score, real.shared.size()));
    // Two words in common but little alike stays no recurrence.
    CHECK_FALSE(is_recurrence(k_recurrence_similarity - 0.01, 2));
}
