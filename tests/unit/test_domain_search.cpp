#include "sileram/domain/search.hpp"

#include <doctest/doctest.h>

using namespace sileram::domain;

TEST_CASE("search terms are case- and accent-free words, each once") {
    CHECK(search_terms("De factuur is onduidelijk, de FACTUUR!") ==
          std::vector<std::string>{"de", "factuur", "is", "onduidelijk"});
    CHECK(search_terms("Café-rekening één") == std::vector<std::string>{"cafe", "rekening", "een"});
    CHECK(search_terms("Straße 12b") == std::vector<std::string>{"strasse", "12b"});
    CHECK(search_terms("").empty());
    CHECK(search_terms("bad \xff").empty());
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
