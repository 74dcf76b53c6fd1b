#include "sileram/intake/customers.hpp"

#include "sileram/domain/customers.hpp"
#include "sileram/errors.hpp"
#include "sileram/intake/csv_reader.hpp"

#include <fmt/format.h>
#include <optional>

namespace sileram::intake {

CustomerFile read_customers(std::istream& in, std::string_view origin) {
    std::optional<CsvReader> reader;
    try {
        reader.emplace(in);
    } catch (const InvalidInput& e) {
        throw InvalidInput(fmt::format("{}: {}", origin, e.what()));
    }
    const domain::CustomerColumns columns =
        domain::customer_columns(reader->columns(), fmt::format("{}: row 1", origin));
    CustomerFile file;
    file.ignored_columns = columns.ignored;
    domain::CustomerNames names;
    Record record;
    while (reader->next(record)) {
        const std::string where = fmt::format("{}: row {}", origin, record.row);
        if (!record.error.empty()) {
            throw InvalidInput(fmt::format("{}: {}", where, record.error));
        }
        domain::Customer customer = domain::customer_from_row(record.values, columns, where);
        names.add(customer, record.row, where);
        file.customers.push_back(std::move(customer));
    }
    return file;
}

} // namespace sileram::intake
