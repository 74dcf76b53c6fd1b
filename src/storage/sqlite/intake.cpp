#include "intake.hpp"

#include "sileram/domain/search.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <sqlite3.h>

namespace sileram::storage::sqlite {

namespace {

using namespace domain;

// A probe counts a word's documents only up to this many; more is "common". Each probe reads
// up to this many entries, for every query word: 300 rather than 1,000 took a third off the
// check's CPU time on 1M signals.
constexpr std::int64_t k_probe_cap = 300;
// How many of the rarest words go into the candidate query.
constexpr std::size_t k_rare_terms = 5;
// Ranking reads every document of the words it ranks by (bm25 looks up each one's size): the
// rarest words are taken only while their documents together stay under this many (the rarest
// one always).
constexpr std::int64_t k_rank_budget = 500;
// Candidates fetched and scored.
constexpr int k_candidates = 40;

constexpr const char* k_probe = R"sql(
SELECT count(*) FROM (SELECT 1 FROM signals_fts WHERE signals_fts MATCH ? LIMIT ?)
)sql";
constexpr const char* k_total = "SELECT coalesce(max(id), 0) FROM signals";
constexpr const char* k_by_rank =
    "SELECT rowid FROM signals_fts WHERE signals_fts MATCH ? ORDER BY rank LIMIT ?";
constexpr const char* k_newest =
    "SELECT rowid FROM signals_fts WHERE signals_fts MATCH ? ORDER BY rowid DESC LIMIT ?";
// With what domain::can_recur asks of a closed signal: a root cause and a measurement.
constexpr const char* k_candidate = R"sql(
SELECT s.title, substr(s.description, 1, ?), s.state,
       EXISTS (SELECT 1 FROM root_causes c WHERE c.signal_id = s.id),
       EXISTS (SELECT 1 FROM measurements m WHERE m.signal_id = s.id)
FROM signals s WHERE s.id = ?
)sql";

constexpr const char* k_index_signal =
    "INSERT INTO signals_fts (rowid, title, description) VALUES (?, ?, ?)";
constexpr const char* k_insert_recurrence =
    "INSERT INTO recurrences (signal_id, closed_signal_id, similarity) VALUES (?, ?, ?)";
constexpr const char* k_select_recurrences = R"sql(
SELECT r.closed_signal_id, s.title, r.similarity
FROM recurrences r JOIN signals s ON s.id = r.closed_signal_id
WHERE r.signal_id = ? ORDER BY r.similarity DESC, r.closed_signal_id
)sql";

// Terms come from search_terms: token characters only, never a quote, so quoting cannot be
// escaped.
std::string phrase(const std::string& term) {
    return "\"" + term + "\"";
}

std::vector<SignalId> candidates(Connection& db, Sql sql, const std::string& match) {
    std::vector<SignalId> ids;
    Statement& query = db.cached(sql);
    query.bind_all(match, k_candidates);
    while (query.step()) {
        ids.push_back(query.integer(0));
    }
    query.reset();
    return ids;
}

} // namespace

std::vector<SimilarSignal> find_similar(Connection& db, const std::string& title,
                                        const std::string& description, int limit) {
    std::vector<TermWeight> weights;
    Statement& probe = db.cached(k_probe);
    for (const std::string& term : query_terms(title, description)) {
        probe.bind_all(phrase(term), k_probe_cap);
        probe.step();
        const std::int64_t documents = probe.integer(0);
        probe.reset();
        // A word no other signal holds still counts: it is what sets this one apart.
        weights.push_back(TermWeight{term, documents});
    }
    if (std::none_of(weights.begin(), weights.end(),
                     [](const TermWeight& t) { return t.documents > 0; })) {
        return {};
    }
    Statement& total_query = db.cached(k_total);
    total_query.step();
    const std::int64_t total = total_query.integer(0);
    total_query.reset();

    // Rare words first: a signal that shares them is the likely duplicate, and their short
    // document lists keep the query fast however large the table is.
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
        rare.push_back(phrase(t.term));
        ranked_documents += t.documents;
    }
    std::vector<SignalId> ids;
    if (!rare.empty()) {
        ids = candidates(db, k_by_rank, fmt::format("{}", fmt::join(rare, " OR ")));
    } else {
        // Only common words: the newest signals that hold the longest of them all together.
        std::vector<TermWeight> longest = weights;
        std::erase_if(longest, [](const TermWeight& t) { return t.documents == 0; });
        std::stable_sort(
            longest.begin(), longest.end(),
            [](const TermWeight& a, const TermWeight& b) { return a.term.size() > b.term.size(); });
        for (std::size_t n = std::min<std::size_t>(3, longest.size()); n >= 1 && ids.empty(); --n) {
            std::vector<std::string> all;
            for (std::size_t i = 0; i < n; ++i) {
                all.push_back(phrase(longest[i].term));
            }
            ids = candidates(db, k_newest, fmt::format("{}", fmt::join(all, " AND ")));
        }
    }

    std::vector<SimilarSignal> open;
    std::vector<SimilarSignal> closed;
    Statement& row = db.cached(k_candidate);
    for (const SignalId id : ids) {
        row.bind_all(static_cast<std::int64_t>(k_description_bytes), id);
        if (row.step()) {
            const auto state = parse_state(row.text(2));
            if (state &&
                (is_open(*state) || can_recur(*state, row.integer(3) != 0, row.integer(4) != 0))) {
                // substr() counts characters; resemble cuts to the bytes the query side saw.
                Resemblance r = resemble(weights, total, row.text(0), row.text(1));
                if (r.score >= k_min_similarity) {
                    auto& list = is_open(*state) ? open : closed;
                    list.push_back(SimilarSignal{id, row.text(0), *state,
                                                 std::round(r.score * 1000) / 1000,
                                                 std::move(r.shared)});
                }
            }
        }
        row.reset();
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

std::string search_query(std::string_view words) {
    std::vector<std::string> all;
    for (const std::string& term : search_terms(words)) {
        all.push_back(phrase(term));
    }
    if (all.empty()) {
        throw InvalidInput("--search needs at least one word (letters or digits)");
    }
    return fmt::format("{}", fmt::join(all, " "));
}

void index_new_signal(Connection& db, const Signal& signal) {
    db.cached(k_index_signal).bind_all(signal.id, signal.title, signal.description).run();
    Statement& insert = db.cached(k_insert_recurrence);
    for (const PossibleRecurrence& r : signal.recurrence_of) {
        insert.bind_all(signal.id, r.closed_signal, r.similarity).run();
    }
}

void load_recurrences(Connection& db, Signal& signal) {
    Statement& row = db.cached(k_select_recurrences);
    row.bind(1, signal.id);
    while (row.step()) {
        signal.recurrence_of.push_back(
            PossibleRecurrence{row.integer(0), row.text(1), row.real(2)});
    }
    row.reset();
}

} // namespace sileram::storage::sqlite
