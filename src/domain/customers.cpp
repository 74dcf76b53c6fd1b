#include "sileram/domain/customers.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace sileram::domain {

namespace {

constexpr std::size_t k_max_name = 300;

std::string lower_ascii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    });
    return text;
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

struct Record {
    std::size_t row = 0; // 1-based, counting records (a quoted line break stays in its record)
    std::vector<std::string> fields;
};

// RFC 4180 records; a stray quote inside an unquoted field is kept as text.
std::vector<Record> records(std::string_view text, char delimiter, std::string_view origin) {
    std::vector<Record> result;
    Record current;
    current.row = 1;
    std::string field;
    bool quoted = false;
    bool field_started = false;
    std::size_t row = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && !field_started) {
            quoted = true;
            field_started = true;
        } else if (c == delimiter) {
            current.fields.push_back(std::move(field));
            field.clear();
            field_started = false;
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
            current.fields.push_back(std::move(field));
            field.clear();
            field_started = false;
            result.push_back(std::move(current));
            current = Record{};
            current.row = ++row;
        } else {
            field += c;
            field_started = true;
        }
    }
    if (quoted) {
        throw InvalidInput(fmt::format("{}: row {}: a quoted field is not closed", origin, row));
    }
    if (field_started || !current.fields.empty()) {
        current.fields.push_back(std::move(field));
        result.push_back(std::move(current));
    }
    // Blank lines are no records.
    std::erase_if(result, [](const Record& r) {
        return r.fields.size() == 1 && trimmed(r.fields[0]).empty();
    });
    return result;
}

} // namespace

std::string customer_name(std::string_view name) {
    return trimmed(name);
}

void require_customer(const Customer& customer, std::string_view where) {
    const std::string prefix = where.empty() ? std::string() : std::string(where) + ": ";
    if (customer.name.empty()) {
        throw InvalidInput(prefix + "the customer name is empty");
    }
    require_clean_text(customer.name, prefix + "the customer name", Lines::single);
    if (code_point_count(customer.name) > k_max_name) {
        throw InvalidInput(prefix + fmt::format("the customer name {} must be one line of UTF-8 "
                                                "text of at most {} characters",
                                                quote_value(customer.name), k_max_name));
    }
    if (customer.revenue.hundredths() < 0) {
        throw InvalidInput(prefix +
                           fmt::format("revenue {} is negative", customer.revenue.to_string()));
    }
    require_clean_text(customer.segment, prefix + "the segment", Lines::single);
}

CustomerCsv parse_customer_csv(std::string_view text, std::string_view origin) {
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    const std::string_view first_line = text.substr(0, text.find_first_of("\r\n"));
    const char delimiter = std::count(first_line.begin(), first_line.end(), ';') >
                                   std::count(first_line.begin(), first_line.end(), ',')
                               ? ';'
                               : ',';
    const std::vector<Record> rows = records(text, delimiter, origin);
    if (rows.empty()) {
        throw InvalidInput(fmt::format("{}: the file is empty; it needs a header row with name "
                                       "and revenue",
                                       origin));
    }
    CustomerCsv result;
    int name_column = -1;
    int revenue_column = -1;
    int segment_column = -1;
    const Record& header = rows.front();
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = lower_ascii(trimmed(header.fields[i]));
        int* slot = name == "name" || name == "customer" ? &name_column
                    : name == "revenue"                  ? &revenue_column
                    : name == "segment"                  ? &segment_column
                                                         : nullptr;
        if (slot == nullptr) {
            result.ignored_columns.push_back(trimmed(header.fields[i]));
            continue;
        }
        if (*slot >= 0) {
            throw InvalidInput(fmt::format("{}: row 1, column {}: the column {} appears twice",
                                           origin, i + 1, quote_value(name)));
        }
        *slot = static_cast<int>(i);
    }
    if (name_column < 0 || revenue_column < 0) {
        throw InvalidInput(fmt::format("{}: row 1: the header needs the columns name and revenue "
                                       "(and may have segment); it has {}",
                                       origin, fmt::join(header.fields, ", ")));
    }
    std::map<std::string, std::size_t> seen;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const Record& record = rows[r];
        const auto cell = [&](int column) {
            return column >= 0 && static_cast<std::size_t>(column) < record.fields.size()
                       ? trimmed(
                             without_formula_guard(record.fields[static_cast<std::size_t>(column)]))
                       : std::string();
        };
        Customer c;
        c.name = customer_name(cell(name_column));
        const std::string where = fmt::format("{}: row {}", origin, record.row);
        if (c.name.empty()) {
            throw InvalidInput(fmt::format("{}, column name: the customer name is empty", where));
        }
        const std::string revenue = cell(revenue_column);
        const auto amount = Decimal::parse(revenue);
        if (!amount || amount->hundredths() < 0) {
            throw InvalidInput(fmt::format("{}, column revenue: {} is not an amount from 0 with at "
                                           "most two decimals (use a point: 1250000.50)",
                                           where, quote_value(revenue)));
        }
        c.revenue = *amount;
        c.segment = cell(segment_column);
        require_clean_text(c.name, where + ", column name: the customer name", Lines::single);
        require_clean_text(c.segment, where + ", column segment: the segment", Lines::single);
        require_customer(c, where);
        const auto [it, fresh] = seen.emplace(lower_ascii(c.name), record.row);
        if (!fresh) {
            throw InvalidInput(fmt::format("{}, column name: {} is already on row {}", where,
                                           quote_value(c.name), it->second));
        }
        result.customers.push_back(std::move(c));
    }
    return result;
}

} // namespace sileram::domain
