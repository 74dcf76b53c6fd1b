#include "copy_rows.hpp"

#include "derived_fill.hpp"
#include "search.hpp"

#include <fmt/format.h>

namespace sileram::storage::postgres {

namespace {

// Rows per FETCH and per COPY: round trips vanish, and a page stays a few megabytes.
constexpr int k_page_rows = 5000;

constexpr const char* k_close_cursor = "CLOSE copy_rows";
// The signals arrive here first: their `search` tsvector is made from words computed in C++
// (domain::search_terms), as every other insert makes it.
constexpr const char* k_create_signal_staging = R"sql(
CREATE TEMPORARY TABLE copy_signals (LIKE signals) ON COMMIT DROP;
ALTER TABLE copy_signals DROP COLUMN search, ADD COLUMN words text
)sql";

std::string copy_column_list(const CopiedTable& table) {
    std::string list;
    for (const std::string_view column : table.columns) {
        list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", column);
    }
    return list;
}

bool is_signals(const CopiedTable& table) {
    return table.name == "signals";
}

class PgRowWriter final : public RowWriter {
public:
    PgRowWriter(Connection& db, const CopiedTable& table) : m_db(db), m_table(table) {
        const std::string columns = copy_column_list(table);
        if (is_signals(table)) {
            m_copy = fmt::format("COPY copy_signals ({}, words) FROM STDIN", columns);
            m_move = fmt::format("INSERT INTO signals ({0}, search) SELECT {0}, to_tsvector('{1}', "
                                 "words) FROM copy_signals ORDER BY id",
                                 columns, k_search_config);
            for (std::size_t c = 0; c < table.columns.size(); ++c) {
                if (table.columns[c] == "title") {
                    m_title = c;
                } else if (table.columns[c] == "description") {
                    m_description = c;
                }
            }
        } else {
            m_copy = fmt::format("COPY \"{}\" ({}) FROM STDIN", table.name, columns);
        }
    }

    void add(const Row& row) override {
        bool first = true;
        for (const auto& cell : row) {
            m_buffer += first ? "" : "\t";
            m_buffer += copy_field(cell);
            first = false;
        }
        if (is_signals(m_table)) {
            m_buffer += '\t';
            m_buffer += copy_field(
                search_words(row.at(m_title).value_or(""), row.at(m_description).value_or("")));
        }
        m_buffer += '\n';
        if (++m_buffered == k_page_rows) {
            flush();
        }
    }

    void finish() override {
        flush();
        if (!m_move.empty()) {
            // One statement for every signal: a duplicate may name a signal copied after it.
            m_db.exec(m_move.c_str());
        }
    }

private:
    void flush() {
        if (m_buffered == 0) {
            return;
        }
        m_db.copy_in(m_copy.c_str(), m_buffer);
        m_buffer.clear();
        m_buffered = 0;
    }

    Connection& m_db;
    const CopiedTable& m_table;
    std::string m_copy;
    std::string m_move;
    std::size_t m_title = 0;
    std::size_t m_description = 0;
    std::string m_buffer;
    int m_buffered = 0;
};

} // namespace

void read_rows(Connection& db, const CopiedTable& table,
               const std::function<void(const Row&)>& visit) {
    const std::string declare =
        fmt::format("DECLARE copy_rows NO SCROLL CURSOR FOR SELECT {} FROM \"{}\" ORDER BY {}",
                    copy_column_list(table), table.name, table.key);
    const std::string fetch = fmt::format("FETCH {} FROM copy_rows", k_page_rows);
    db.exec(declare.c_str());
    Row row(table.columns.size());
    while (true) {
        const Result page = db.exec(fetch.c_str());
        for (int r = 0; r < page.rows(); ++r) {
            for (std::size_t c = 0; c < row.size(); ++c) {
                row[c] = page.optional_text(r, static_cast<int>(c));
            }
            visit(row);
        }
        if (page.rows() < k_page_rows) {
            break;
        }
    }
    db.exec(k_close_cursor);
}

bool has_rows(Connection& db, const CopiedTable& table) {
    const std::string sql = fmt::format("SELECT EXISTS (SELECT 1 FROM \"{}\")", table.name);
    return db.exec(sql.c_str()).text(0, 0) == "t";
}

void begin_copy(Connection& db) {
    std::string tables;
    for (const CopiedTable& table : k_copied_tables) {
        tables += fmt::format("{}\"{}\"", tables.empty() ? "" : ", ", table.name);
    }
    // Readers go on; a writer waits for the commit, so no row slips in beside the copy.
    db.exec(fmt::format("LOCK TABLE {} IN EXCLUSIVE MODE", tables).c_str());
    // The rows go in without the triggers of the step stays and the tallies, which would run
    // once per page of every table (a million signals took an hour); finish_copy fills those
    // tables once. ALTER TABLE … DISABLE TRIGGER takes SHARE ROW EXCLUSIVE, less than the lock
    // above (and step_stays' own): readers still go on. A failed copy rolls it back with the rest.
    disable_derived_triggers(db);
    db.script(k_create_signal_staging);
}

std::unique_ptr<RowWriter> write_rows(Connection& db, const CopiedTable& table) {
    return std::make_unique<PgRowWriter>(db, table);
}

void finish_copy(Connection& db) {
    for (const CopiedTable& table : k_copied_tables) {
        if (table.numbered) {
            const std::string sql =
                fmt::format("SELECT setval(pg_get_serial_sequence('sileram.{0}', 'id'), "
                            "coalesce(max(id), 0) + 1, false) FROM \"{0}\"",
                            table.name);
            db.exec(sql.c_str());
        }
    }
    for (const CopiedTable& table : k_copied_tables) {
        // The planner's statistics, at once rather than when autovacuum comes by (and for the
        // fill below).
        db.exec(fmt::format("ANALYZE \"{}\"", table.name).c_str());
    }
    fill_derived_tables(db);
    enable_derived_triggers(db);
}

} // namespace sileram::storage::postgres
