#include "search.hpp"

#include "sileram/domain/search.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

namespace sileram::storage::postgres {

namespace {

using namespace domain;

// The same bounds as the SQLite store's duplicate guard (src/storage/sqlite/intake.cpp), so both
// find the same candidates.
constexpr std::int64_t k_probe_cap = 300;
constexpr std::size_t k_rare_terms = 5;
constexpr std::int64_t k_rank_budget = 500;
constexpr int k_candidates = 40;

// How many signals hold a word, counted up to the cap: the count tally_words keeps (schema 14)
// when the word is one lexeme, as a term of letters and digits is; else by reading the signals
// that hold it up to the cap. Reading them cost 3-11 ms for each common word at a million
// signals (a sequential scan to the cap; the GIN index first collects every signal that holds
// the word, slower still); the look-up does not grow with the table.
constexpr const char* k_probe = R"sql(
SELECT CASE WHEN numnode(q) = 1
            THEN least(coalesce((SELECT w.signals FROM tally_words w
                                 WHERE w.word = trim(BOTH '''' FROM querytree(q))), 0), $2)
            ELSE (SELECT count(*) FROM (SELECT 1 FROM signals WHERE search @@ q LIMIT $2) hits)
       END
FROM to_tsquery('sileram.search', $1) q
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
// closed signal: a root cause and a measurement. All candidates at once, in any order.
constexpr const char* k_select_candidates = R"sql(
SELECT s.id, s.title, substr(s.description, 1, $1), s.state,
       EXISTS (SELECT 1 FROM root_causes c WHERE c.signal_id = s.id)::int,
       EXISTS (SELECT 1 FROM measurements m WHERE m.signal_id = s.id)::int
FROM signals s WHERE s.id = ANY ($2::bigint[])
)sql";

// Terms come from search_terms: letters and digits only, so the quotes cannot be escaped.
std::string lexeme(const std::string& term) {
    return "'" + term + "'";
}

// A PostgreSQL array literal of words or numbers: letters and digits only, so no element needs
// escaping; each is quoted all the same.
template <typename T>
std::string array_literal(const std::vector<T>& items) {
    std::vector<std::string> quoted;
    quoted.reserve(items.size());
    for (const T& item : items) {
        quoted.push_back(fmt::format("\"{}\"", item));
    }
    return fmt::format("{{{}}}", fmt::join(quoted, ","));
}

std::vector<SignalId> candidates(Connection& db, const char* sql, const std::string& query) {
    const Result rows = db.exec(sql, Params(query, k_candidates));
    std::vector<SignalId> ids;
    ids.reserve(static_cast<std::size_t>(rows.rows()));
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
    const std::vector<std::string> terms = query_terms(title, description);
    if (terms.empty()) {
        return {};
    }
    // The words' counts and the newest id in one round trip.
    std::vector<Statement> statements;
    statements.reserve(terms.size() + 1);
    for (const std::string& term : terms) {
        statements.push_back({k_probe, Params(lexeme(term), k_probe_cap)});
    }
    statements.push_back({k_total, Params()});
    const std::vector<Result> counted = db.exec_all(statements);
    std::vector<TermWeight> weights;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        // A word no other signal holds still counts: it is what sets this one apart.
        weights.push_back(TermWeight{terms[i], counted[i].integer(0, 0)});
    }
    if (std::none_of(weights.begin(), weights.end(),
                     [](const TermWeight& t) { return t.documents > 0; })) {
        return {};
    }
    const std::int64_t total = counted.back().integer(0, 0);

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
    if (ids.empty()) {
        return {};
    }
    const Result rows =
        db.exec(k_select_candidates,
                Params(static_cast<std::int64_t>(k_description_bytes), array_literal(ids)));
    std::map<SignalId, int> row_of;
    for (int r = 0; r < rows.rows(); ++r) {
        row_of[rows.integer(r, 0)] = r;
    }
    for (const SignalId id : ids) {
        const auto found = row_of.find(id);
        if (found == row_of.end()) {
            continue;
        }
        const int r = found->second;
        const auto state = parse_state(rows.text(r, 3));
        if (state && (is_open(*state) ||
                      can_recur(*state, rows.integer(r, 4) != 0, rows.integer(r, 5) != 0))) {
            Resemblance resemblance = resemble(weights, total, rows.text(r, 1), rows.text(r, 2));
            if (resemblance.score >= k_min_similarity) {
                auto& list = is_open(*state) ? open : closed;
                list.push_back(SimilarSignal{id, rows.text(r, 1), *state,
                                             std::round(resemblance.score * 1000) / 1000,
                                             std::move(resemblance.shared)});
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
