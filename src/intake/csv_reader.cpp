#include "sileram/intake/csv_reader.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <fmt/format.h>

namespace sileram::intake {

namespace {

constexpr std::size_t k_block_bytes = std::size_t{256} * 1024;
constexpr int k_end = -1;
constexpr std::string_view k_bom = "\xEF\xBB\xBF";

} // namespace

char detect_delimiter(std::string_view header_line) {
    std::size_t commas = 0;
    std::size_t semicolons = 0;
    bool quoted = false;
    for (const char c : header_line) {
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && c == ',') {
            ++commas;
        } else if (!quoted && c == ';') {
            ++semicolons;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            break;
        }
    }
    return semicolons > commas ? ';' : ',';
}

CsvReader::CsvReader(std::istream& in, std::optional<char> delimiter) : m_in(in) {
    fill();
    if (m_buffer.compare(0, k_bom.size(), k_bom) == 0) {
        m_position = k_bom.size();
    }
    m_delimiter =
        delimiter.value_or(detect_delimiter(std::string_view(m_buffer).substr(m_position)));
    std::string error;
    if (!read_fields(m_header, error)) {
        throw InvalidInput("the CSV input is empty; it needs a header row with the column names");
    }
    m_row = 1;
    if (!error.empty()) {
        throw InvalidInput(fmt::format("the CSV header (row 1) is malformed: {}", error));
    }
}

bool CsvReader::fill() {
    // Keep the unread tail; count what was consumed.
    m_consumed += m_position;
    m_buffer.erase(0, m_position);
    m_position = 0;
    const std::size_t old_size = m_buffer.size();
    m_buffer.resize(old_size + k_block_bytes);
    m_in.read(m_buffer.data() + old_size, static_cast<std::streamsize>(k_block_bytes));
    const auto got = static_cast<std::size_t>(m_in.gcount());
    m_buffer.resize(old_size + got);
    return got > 0;
}

int CsvReader::peek() {
    if (m_position == m_buffer.size() && !fill()) {
        return k_end;
    }
    return static_cast<unsigned char>(m_buffer[m_position]);
}

int CsvReader::get() {
    const int c = peek();
    if (c != k_end) {
        ++m_position;
    }
    return c;
}

std::string CsvReader::column_name(std::size_t index) const {
    return index < m_header.size() && !m_header[index].empty() ? m_header[index]
                                                               : std::to_string(index + 1);
}

void CsvReader::require_within_caps(std::size_t index, const std::string& field,
                                    std::size_t record_bytes) const {
    // m_row counts the rows before this record.
    if (field.size() > k_max_field_bytes) {
        throw InvalidInput(fmt::format(
            "row {}, column {}: a field is longer than {} bytes; is a quote (\") never closed?",
            m_row + 1, column_name(index), k_max_field_bytes));
    }
    if (record_bytes > k_max_record_bytes) {
        throw InvalidInput(fmt::format("row {}, column {}: the row is longer than {} bytes",
                                       m_row + 1, column_name(index), k_max_record_bytes));
    }
}

bool CsvReader::skip_blank_lines() {
    // Blank lines are no records, but a spreadsheet counts them as rows.
    for (;;) {
        const int c = peek();
        if (c == k_end) {
            return false;
        }
        if (c == '\n') {
            get();
            ++m_row;
        } else if (c == '\r') {
            get();
            if (peek() == '\n') {
                get();
            }
            ++m_row;
        } else {
            return true;
        }
    }
}

bool CsvReader::read_quoted(std::string& field, std::size_t index, std::size_t record_bytes) {
    get(); // the opening quote
    for (;;) {
        if (m_position == m_buffer.size() && !fill()) {
            return false;
        }
        const std::string_view rest(m_buffer.data() + m_position, m_buffer.size() - m_position);
        const std::size_t run = rest.find('"');
        if (run == std::string_view::npos) {
            field.append(rest);
            m_position = m_buffer.size();
            require_within_caps(index, field, record_bytes + field.size());
            continue;
        }
        field.append(rest.substr(0, run));
        m_position += run + 1;
        require_within_caps(index, field, record_bytes + field.size());
        if (peek() != '"') {
            return true;
        }
        get();
        field += '"'; // a doubled quote stands for one
    }
}

void CsvReader::read_unquoted(std::string& field, std::size_t index, std::size_t record_bytes) {
    for (;;) {
        if (m_position == m_buffer.size() && !fill()) {
            return;
        }
        const char* start = m_buffer.data() + m_position;
        const std::size_t left = m_buffer.size() - m_position;
        std::size_t run = 0;
        while (run < left) {
            const char c = start[run];
            if (c == m_delimiter || c == '\n' || c == '\r') {
                break;
            }
            ++run;
        }
        field.append(start, run);
        m_position += run;
        require_within_caps(index, field, record_bytes + field.size());
        if (run < left) {
            return;
        }
    }
}

bool CsvReader::read_fields(std::vector<std::string>& fields, std::string& error) {
    error.clear();
    if (!skip_blank_lines()) {
        return false;
    }
    std::size_t count = 0;
    std::size_t record_bytes = 0;
    for (;;) {
        if (count == k_max_columns) {
            throw InvalidInput(
                fmt::format("row {}: the row has more than {} fields", m_row + 1, k_max_columns));
        }
        if (count == fields.size()) {
            fields.emplace_back();
        }
        const std::size_t index = count++;
        std::string& field = fields[index];
        field.clear();
        if (peek() == '"' && !read_quoted(field, index, record_bytes)) {
            error = "a quoted field never closes (a '\"' is missing)";
            fields.resize(count);
            return true;
        }
        // Unquoted text, or what follows a closing quote (kept as it is, as most readers do).
        read_unquoted(field, index, record_bytes);
        record_bytes += field.size();
        const int c = get();
        if (c == m_delimiter) {
            continue;
        }
        if (c == '\r' && peek() == '\n') {
            get();
        }
        break;
    }
    fields.resize(count);
    return true;
}

bool CsvReader::next(Record& record) {
    if (!read_fields(record.values, record.error)) {
        return false;
    }
    record.row = ++m_row;
    if (record.error.empty() && record.values.size() != m_header.size()) {
        record.error = fmt::format("the row has {} fields; the header has {} columns",
                                   record.values.size(), m_header.size());
    }
    if (record.values.size() < m_header.size()) {
        record.values.resize(m_header.size());
    }
    // Undoes the apostrophe sileram's own CSV output puts before a formula character, so that
    // `export --csv` reads back unchanged.
    for (std::string& value : record.values) {
        if (const std::string_view kept = domain::without_formula_guard(value);
            kept.size() != value.size()) {
            value.erase(0, value.size() - kept.size());
        }
    }
    return true;
}

} // namespace sileram::intake
