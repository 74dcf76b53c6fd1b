#include "sileram/output/csv.hpp"

#include "sileram/domain/text.hpp"

#include <algorithm>

namespace sileram::output {

namespace {

bool is_plain_number(const std::string& value) {
    std::size_t i = (!value.empty() && (value[0] == '-' || value[0] == '+')) ? 1 : 0;
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < value.size() && value[i] >= '0' && value[i] <= '9') {
            ++i;
        }
        return i > start;
    };
    if (!digits()) {
        return false;
    }
    if (i < value.size() && value[i] == '.') {
        ++i;
        if (!digits()) {
            return false;
        }
    }
    return i == value.size();
}

void append_field(std::string& record, const std::string& field, char delimiter) {
    const bool quote = field.find_first_of(std::string("\"\r\n") + delimiter) != std::string::npos;
    if (!quote) {
        record += field;
        return;
    }
    record += '"';
    for (char c : field) {
        record += c;
        if (c == '"') {
            record += '"';
        }
    }
    record += '"';
}

} // namespace

CsvCell csv_number(std::string value) {
    return CsvCell{std::move(value), CsvKind::number};
}

std::string csv_record(const std::vector<CsvCell>& cells, char delimiter) {
    std::string record;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            record += delimiter;
        }
        const CsvCell& cell = cells[i];
        // A number cell that is no plain number is text after all: a caller's mistake must not
        // let a formula through.
        const bool number = cell.kind == CsvKind::number && is_plain_number(cell.value);
        if (!number && domain::needs_formula_guard(cell.value)) {
            append_field(record, domain::k_formula_guard + cell.value, delimiter);
        } else {
            append_field(record, cell.value, delimiter);
        }
    }
    record += "\r\n";
    return record;
}

std::string csv_record(const std::vector<std::string>& texts, char delimiter) {
    std::vector<CsvCell> cells;
    cells.reserve(texts.size());
    for (const std::string& text : texts) {
        cells.push_back(CsvCell{text, CsvKind::text});
    }
    return csv_record(cells, delimiter);
}

} // namespace sileram::output
