#include "sileram/output/csv.hpp"

namespace sileram::output {

std::string csv_record(const std::vector<std::string>& fields, char delimiter) {
    std::string record;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            record += delimiter;
        }
        const std::string& field = fields[i];
        const bool quote =
            field.find_first_of(std::string("\"\r\n") + delimiter) != std::string::npos;
        if (!quote) {
            record += field;
            continue;
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
    record += "\r\n";
    return record;
}

} // namespace sileram::output
