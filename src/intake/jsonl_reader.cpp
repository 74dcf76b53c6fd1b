#include "sileram/intake/jsonl_reader.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sileram::intake {

JsonLinesReader::JsonLinesReader(std::istream& in) : m_in(in) {}

std::size_t JsonLinesReader::column_index(const std::string& key) {
    if (const auto found = m_index.find(key); found != m_index.end()) {
        return found->second;
    }
    if (m_columns.size() == k_max_columns) {
        throw InvalidInput(fmt::format("row {}, column {}: the lines hold more than {} different "
                                       "keys",
                                       m_line, domain::quote_value(key), k_max_columns));
    }
    m_index.emplace(key, m_columns.size());
    m_columns.push_back(key);
    return m_columns.size() - 1;
}

bool JsonLinesReader::read_line() {
    m_text.clear();
    std::streambuf& in = *m_in.rdbuf();
    for (;;) {
        const int c = in.sbumpc();
        if (c == std::char_traits<char>::eof()) {
            return !m_text.empty();
        }
        if (c == '\n') {
            return true;
        }
        if (m_text.size() == k_max_record_bytes) {
            throw InvalidInput(fmt::format("row {}: the line is longer than {} bytes", m_line + 1,
                                           k_max_record_bytes));
        }
        m_text.push_back(static_cast<char>(c));
    }
}

bool JsonLinesReader::next(Record& record) {
    for (;;) {
        if (!read_line()) {
            return false;
        }
        ++m_line;
        m_consumed += m_text.size() + 1;
        if (m_line == 1 && m_text.rfind("\xEF\xBB\xBF", 0) == 0) {
            m_text.erase(0, 3);
        }
        if (!m_text.empty() && m_text.back() == '\r') {
            m_text.pop_back();
        }
        if (m_text.find_first_not_of(" \t") != std::string::npos) {
            break;
        }
    }
    record.row = m_line;
    record.error.clear();
    record.raw = m_text;
    record.values.assign(m_columns.size(), std::string());
    nlohmann::ordered_json object;
    try {
        object = nlohmann::ordered_json::parse(m_text);
    } catch (const nlohmann::json::exception& e) {
        // nlohmann's message starts with "[json.exception.parse_error.101] parse error at ...".
        std::string what = e.what();
        if (const auto cut = what.find("] "); cut != std::string::npos) {
            what.erase(0, cut + 2);
        }
        record.error = "not valid JSON: " + what;
        return true;
    }
    if (!object.is_object()) {
        record.error = fmt::format("a line must hold one JSON object, not {}", object.type_name());
        return true;
    }
    for (const auto& [key, value] : object.items()) {
        const std::size_t index = column_index(key);
        if (index >= record.values.size()) {
            record.values.resize(index + 1);
        }
        if (value.is_string()) {
            record.values[index] = value.get<std::string>();
            if (record.values[index].size() > k_max_field_bytes) {
                throw InvalidInput(fmt::format("row {}, column {}: a value is longer than {} bytes",
                                               m_line, domain::quote_value(key),
                                               k_max_field_bytes));
            }
        } else if (value.is_number_float()) {
            // A double holds the number, not its digits: 99999999999999999999 would come back
            // as 1e+20, a different external id. Only text keeps such a value as it was written.
            record.error = fmt::format("key {} holds the number {}, which cannot be kept digit for "
                                       "digit; give it as text (in quotes)",
                                       key, value.dump());
        } else if (value.is_number() || value.is_boolean()) {
            record.values[index] = value.dump();
        } else if (value.is_structured()) {
            record.error = fmt::format(
                "key {} holds {}; give text", key,
                value.type_name() == std::string_view("array") ? "an array" : "an object");
        }
    }
    record.values.resize(m_columns.size());
    return true;
}

} // namespace sileram::intake
