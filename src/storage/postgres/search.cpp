#include "search.hpp"

#include "sileram/domain/search.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace sileram::storage::postgres {

namespace {

using namespace domain;

// The same bounds as the SQLite store's duplicate guard (src/storage/sqlite/intake.cpp), so both
// find the same candidates.
constexpr std::int64_t k_probe_cap = 300;
constexpr std::size_t k_rare_terms = 5;
constexpr std::int64_t k_rank_budget = 500;
constexpr int k_candidates = 40;

constexpr const char* k_probe = R"sql(
SELECT count(*) FROM (SELECT 1 FROM signals
                      WHERE search @@ to_tsquery('sileram.search', $1) LIMIT $2) AS hits
)sql";
constexpr const char* k_total = "SELECT coalesce(max(id), 0) FROM signals";
constexpr const char* k_by_rank = R"sql(
SELECT id FROM signals WHERE search @@ to_tsquery('sileram.search', $1)
ORDER BY ts_rank(search, to_tsquery('sileram.search', $1)) DESC, id LIMIT $2
)sql";
constexpr const char* k_newest = R"sql(
SELECT id FROM signals WHERE search @@ to_tsquery('sileram.search', $1) ORDER BY id DESC LIMIT $2
)sql";
// substr counts characters, as SQLite's does on text. With what domain::can_recur asks of a
// closed signal: a root cause and a measurement.
constexpr const char* k_candidate = R"sql(
SELECT s.title, substr(s.description, 1, $1), s.state,
       EXISTS (SELECT 1 FROM root_causes c WHERE c.signal_id = s.id)::int,
       EXISTS (SELECT 1 FROM measurements m WHERE m.signal_id = s.id)::int
FROM signals s WHERE s.id = $2
)sql";

// Terms come from search_terms: letters and digits only, so the quotes cannot be escaped.
std::string lexeme(const std::string& term) {
    return "'" + term + "'";
}

std::vector<SignalId> candidates(Connection& db, const char* sql, const std::string& query) {
    const Result rows = db.exec(sql, Params(query, k_candidates));
    std::vector<SignalId> ids;
    for (int r = 0; r < rows.rows(); ++r) {
        ids.push_back(rows.integer(r, 0));
    }
    return ids;
}

} // namespace

std::string search_words(const std::string& title, const std::string& description) {
    std::vector<std::string> words = search_terms(title + " " + description);
    return fmt::format("{}", fmt::join(words, " "));
}

std::string search_query(std::string_view words) {
    std::vector<std::string> all;
    for (const std::string& term : search_terms(words)) {
        all.push_back(lexeme(term));
    }
    if (all.empty()) {
        throw InvalidInput("--search needs at least one word (letters or digits)");
    }
    return fmt::format("{}", fmt::join(all, " & "));
}

std::vector<SimilarSignal> find_similar(Connection& db, const std::string& title,
                                        const std::string& description, int limit) {
    std::vector<TermWeight> weights;
    for (const std::string& term : query_terms(title, description)) {
        const std::int64_t documents =
            db.exec(k_probe, Params(lexeme(term), k_probe_cap)).integer(0, 0);
        // A word no other signal holds still counts: it is what sets this one apart.
        weights.push_back(TermWeight{term, documents});
    }
    if (std::none_of(weights.begin(), weights.end(),
                     [](const TermWeight& t) { return t.documents > 0; })) {
        return {};
    }
    const std::int64_t total = db.exec(k_total).integer(0, 0);

    // Rare words first: a signal that shares them is the likely duplicate, and their short
    // posting lists keep the query fast however large the table is.
    std::vector<TermWeight> by_rarity = weights;
    std::stable_sort(
        by_rarity.begin(), by_rarity.end(),
        [](const TermWeight& a, const TermWeight& b) { return a.documents < b.documents; });
    std::vector<std::string> rare;
    std::int64_t ranked_documents = 0;
    for (const TermWeight& t : by_rarity) {
        if (t.documents == 0) {
            continue;
        }
        if (t.documents >= k_probe_cap || rare.size() == k_rare_terms ||
            (!rare.empty() && ranked_documents + t.documents > k_rank_budget)) {
            break;
        }
        rare.push_back(lexeme(t.term));
        ranked_documents += t.documents;
    }
    std::vector<SignalId> ids;
    if (!rare.empty()) {
        ids = candidates(db, k_by_rank, fmt::format("{}", fmt::join(rare, " | ")));
    } else {
        std::vector<TermWeight> longest = weights;
        std::erase_if(longest, [](const TermWeight& t) { return t.documents == 0; });
        std::stable_sort(
            longest.begin(), longest.end(),
            [](const TermWeight& a, const TermWeight& b) { return a.term.size() > b.term.size(); });
        for (std::size_t n = std::min<std::size_t>(3, longest.size()); n >= 1 && ids.empty(); --n) {
            std::vector<std::string> all;
            for (std::size_t i = 0; i < n; ++i) {
                all.push_back(lexeme(longest[i].term));
            }
            ids = candidates(db, k_newest, fmt::format("{}", fmt::join(all, " & ")));
        }
    }

    std::vector<SimilarSignal> open;
    std::vector<SimilarSignal> closed;
    for (const SignalId id : ids) {
        const Result row =
            db.exec(k_candidate, Params(static_cast<std::int64_t>(k_description_bytes), id));
        if (row.rows() == 0) {
            continue;
        }
        const auto state = parse_state(row.text(0, 2));
        if (state && (is_open(*state) ||
                      can_recur(*state, row.integer(0, 3) != 0, row.integer(0, 4) != 0))) {
            Resemblance r = resemble(weights, total, row.text(0, 0), row.text(0, 1));
            if (r.score >= k_min_similarity) {
                auto& list = is_open(*state) ? open : closed;
                list.push_back(SimilarSignal{id, row.text(0, 0), *state,
                                             std::round(r.score * 1000) / 1000,
                                             std::move(r.shared)});
            }
        }
    }
    std::vector<SimilarSignal> result;
    for (auto* list : {&open, &closed}) {
        std::stable_sort(
            list->begin(), list->end(), [](const SimilarSignal& a, const SimilarSignal& b) {
                return a.similarity != b.similarity ? a.similarity > b.similarity : a.id > b.id;
            });
        if (list->size() > static_cast<std::size_t>(limit)) {
            list->resize(static_cast<std::size_t>(limit));
        }
        result.insert(result.end(), list->begin(), list->end());
    }
    return result;
}

} // namespace sileram::storage::postgres
