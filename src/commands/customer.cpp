#include "sileram/commands/common.hpp"
#include "sileram/commands/registry.hpp"
#include "sileram/domain/customers.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/intake/customers.hpp"
#include "sileram/output/csv.hpp"
#include "sileram/output/format.hpp"
#include "sileram/output/table.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <ostream>

namespace sileram::commands {

namespace {

constexpr std::string_view k_actions[] = {"set", "import", "list"};

struct CustomerOptions {
    std::string action;
    std::optional<std::string> target;
    std::optional<std::string> revenue;
    std::optional<std::string> segment;
    bool csv = false;
};

nlohmann::ordered_json customer_json(const domain::Customer& c) {
    return {{"name", c.name}, {"revenue", c.revenue.to_double()}, {"segment", c.segment}};
}

void set(Session& session, const CustomerOptions& o) {
    if (!o.target) {
        throw InvalidInput("customer set needs a NAME: sileram customer set NAME --revenue AMOUNT");
    }
    if (!o.revenue) {
        throw InvalidInput("customer set needs --revenue AMOUNT (the customer's yearly revenue)");
    }
    domain::Customer c{domain::customer_name(*o.target), parse_decimal(*o.revenue, "--revenue"),
                       o.segment.value_or("")};
    domain::require_customer(c, "");
    storage::Store& store = session.store(storage::Access::write);
    storage::WriteTransaction transaction(store);
    store.reports().set_customer(c, session.now());
    transaction.commit();
    if (session.json()) {
        print_json(session, customer_json(c));
    } else if (!session.quiet()) {
        session.out() << fmt::format("Customer {}: revenue {}{}\n", c.name,
                                     output::money(c.revenue, session.impact_settings().currency),
                                     c.segment.empty() ? "" : ", segment " + c.segment);
    }
}

void import(Session& session, const CustomerOptions& o) {
    if (!o.target) {
        throw InvalidInput("customer import needs a FILE (CSV with name, revenue, segment) or -");
    }
    if (o.revenue || o.segment) {
        throw InvalidInput("--revenue and --segment belong to customer set; customer import "
                           "reads them from the file");
    }
    const std::string origin = *o.target == "-" ? "stdin" : *o.target;
    std::ifstream file;
    if (*o.target != "-") {
        file.open(*o.target, std::ios::binary);
        if (!file) {
            throw InvalidInput(fmt::format("{}: cannot read the file", origin));
        }
    }
    const intake::CustomerFile csv =
        intake::read_customers(file.is_open() ? file : std::cin, origin);
    for (const std::string& column : csv.ignored_columns) {
        session.err() << fmt::format("sileram: note: {}: column {} is not a customer column; "
                                     "ignored\n",
                                     origin, domain::quote_value(column));
    }
    storage::Store& store = session.store(storage::Access::write);
    storage::WriteTransaction transaction(store);
    for (const domain::Customer& c : csv.customers) {
        store.reports().set_customer(c, session.now());
    }
    transaction.commit();
    if (session.json()) {
        print_json(session, {{"imported", csv.customers.size()}});
    } else if (!session.quiet()) {
        session.out() << fmt::format("{} customer{} imported from {}\n", csv.customers.size(),
                                     csv.customers.size() == 1 ? "" : "s", origin);
    }
}

void list(Session& session, const CustomerOptions& o) {
    const auto customers = session.store(storage::Access::read).reports().all_customers();
    if (session.json()) {
        nlohmann::ordered_json array = nlohmann::ordered_json::array();
        for (const auto& c : customers) {
            array.push_back(customer_json(c));
        }
        print_json(session, array);
        return;
    }
    if (o.csv) {
        session.out() << output::csv_record({"name", "revenue", "segment"});
        for (const auto& c : customers) {
            session.out() << output::csv_record(std::vector<output::CsvCell>{
                {c.name}, output::csv_number(c.revenue.to_fixed()), {c.segment}});
        }
        return;
    }
    output::Table table({{"customer", output::Align::left, true, 8},
                         {"revenue", output::Align::right},
                         {"segment", output::Align::left, true, 5}});
    for (const auto& c : customers) {
        table.add_row(
            {c.name, output::money(c.revenue, session.impact_settings().currency), c.segment});
    }
    const auto& terminal = session.output().terminal;
    session.out() << table.render(terminal.width,
                                  terminal.color ? output::Color::on : output::Color::off);
}

} // namespace

Runner define_customer(CLI::App& command) {
    auto o = std::make_shared<CustomerOptions>();
    command.add_option("action", o->action, "set, import or list")->required()->type_name("ACTION");
    command.add_option("target", o->target, "set: the customer's NAME; import: a CSV FILE or -")
        ->type_name("NAME|FILE");
    command.add_option("--revenue", o->revenue, "set: the customer's yearly revenue")
        ->type_name("AMOUNT");
    command.add_option("--segment", o->segment, "set: a segment, e.g. smb or enterprise")
        ->type_name("TEXT");
    command.add_flag("--csv", o->csv, "list: RFC 4180 CSV instead of a table");
    command.footer("Names match the customer field of signals ignoring case and surrounding "
                   "spaces.\nExamples:\n  sileram customer set \"Acme BV\" --revenue 2500000 "
                   "--segment enterprise\n  sileram customer import customers.csv");
    return [o](Session& session) {
        require_one_format(session, o->csv);
        if (o->action == "set") {
            set(session, *o);
        } else if (o->action == "import") {
            import(session, *o);
        } else if (o->action == "list") {
            list(session, *o);
        } else {
            const std::string guess = domain::closest_name(o->action, k_actions);
            throw InvalidInput(
                fmt::format("customer {} is not an action{}; use set, import or list",
                            domain::quote_value(o->action),
                            guess.empty() ? "" : "; did you mean " + guess + "?"));
        }
    };
}

} // namespace sileram::commands
