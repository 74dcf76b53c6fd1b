#include "sileram/domain/customers.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sileram::domain {

namespace {

constexpr std::size_t k_max_name = 300;

std::string lower_ascii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    });
    return text;
}

// `prefix` is empty or ends in ": ".
void require_name(const std::string& name, const std::string& prefix) {
    if (name.empty()) {
        throw InvalidInput(prefix + "the customer name is empty");
    }
    require_clean_text(name, prefix + "the customer name", Lines::single);
    if (code_point_count(name) > k_max_name) {
        throw InvalidInput(prefix + fmt::format("the customer name {} must be one line of UTF-8 "
                                                "text of at most {} characters",
                                                quote_value(name), k_max_name));
    }
}

void require_segment(const std::string& segment, const std::string& prefix) {
    require_clean_text(segment, prefix + "the segment", Lines::single);
}

} // namespace

std::string customer_name(std::string_view name) {
    return trimmed(name);
}

void require_customer(const Customer& customer, std::string_view where) {
    const std::string prefix = where.empty() ? std::string() : std::string(where) + ": ";
    require_name(customer.name, prefix);
    if (customer.revenue.hundredths() < 0) {
        throw InvalidInput(prefix +
                           fmt::format("revenue {} is negative", customer.revenue.to_string()));
    }
    require_segment(customer.segment, prefix);
}

CustomerColumns customer_columns(const std::vector<std::string>& header, std::string_view where) {
    CustomerColumns columns;
    std::optional<std::size_t> name;
    std::optional<std::size_t> revenue;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string key = lower_ascii(trimmed(header[i]));
        std::optional<std::size_t>* slot = key == "name" || key == "customer" ? &name
                                           : key == "revenue"                 ? &revenue
                                           : key == "segment"                 ? &columns.segment
                                                                              : nullptr;
        if (slot == nullptr) {
            columns.ignored.push_back(trimmed(header[i]));
            continue;
        }
        if (slot->has_value()) {
            throw InvalidInput(fmt::format("{}, column {}: the column {} appears twice", where,
                                           i + 1, quote_value(key)));
        }
        *slot = i;
    }
    if (!name || !revenue) {
        throw InvalidInput(fmt::format("{}: the header needs the columns name and revenue "
                                       "(and may have segment); it has {}",
                                       where, fmt::join(header, ", ")));
    }
    columns.name = *name;
    columns.revenue = *revenue;
    return columns;
}

Customer customer_from_row(const std::vector<std::string>& values, const CustomerColumns& columns,
                           std::string_view where) {
    const auto cell = [&](std::size_t column) {
        return column < values.size() ? trimmed(values[column]) : std::string();
    };
    const auto prefix = [&](std::string_view column) {
        return fmt::format("{}, column {}: ", where, column);
    };
    Customer customer;
    customer.name = customer_name(cell(columns.name));
    require_name(customer.name, prefix("name"));
    const std::string revenue = cell(columns.revenue);
    const auto amount = Decimal::parse(revenue);
    if (!amount && Decimal::is_number_text(revenue)) {
        throw InvalidInput(prefix("revenue") + fmt::format("{} is too large; at most {}",
                                                           quote_value(revenue),
                                                           Decimal::largest().to_string()));
    }
    if (!amount || amount->hundredths() < 0) {
        throw InvalidInput(prefix("revenue") +
                           fmt::format("{} is not an amount from 0 with at most two decimals "
                                       "(use a point: 1250000.50)",
                                       quote_value(revenue)));
    }
    customer.revenue = *amount;
    if (columns.segment) {
        customer.segment = cell(*columns.segment);
        require_segment(customer.segment, prefix("segment"));
    }
    return customer;
}

void CustomerNames::add(const Customer& customer, std::int64_t row, std::string_view where) {
    const auto [it, fresh] = m_rows.emplace(lower_ascii(customer.name), row);
    if (!fresh) {
        throw InvalidInput(fmt::format("{}, column name: {} is already on row {}", where,
                                       quote_value(customer.name), it->second));
    }
}

} // namespace sileram::domain
