// The import readers and the row checks of `submit --from` on arbitrary bytes. The first byte
// picks the format (CSV or JSON lines); the rest is the file. Every record is checked as the
// import checks it; a CSV file is also read as `customer import` reads it. A file may be refused
// with InvalidInput and a row may carry problems; nothing may crash, hang or trip a sanitizer, and
// a valid row must hold valid UTF-8 without NUL.
#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"
#include "sileram/intake/csv_reader.hpp"
#include "sileram/intake/customers.hpp"
#include "sileram/intake/jsonl_reader.hpp"
#include "sileram/intake/rows.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

namespace {

void require_clean(const std::string& text) {
    if (!sileram::domain::is_valid_utf8(text) || text.find('\0') != std::string::npos) {
        std::abort();
    }
}

void read_all(sileram::intake::RecordReader& reader) {
    sileram::intake::ColumnPlan plan({}, {});
    (void)plan.update(reader.columns());
    const sileram::intake::RowRules rules{std::string("fuzz@example.org"), {}, {}};
    sileram::intake::Record record;
    while (reader.next(record)) {
        (void)plan.update(reader.columns());
        if (!record.error.empty()) {
            continue;
        }
        const sileram::intake::CheckedRow row = sileram::intake::check_row(record, plan, rules);
        if (row.problems.empty()) {
            require_clean(row.signal.title);
            require_clean(row.signal.description);
        }
    }
}

// The customer reader refuses what it cannot take; what it accepts must be clean text.
void read_customer_file(const std::string& text) {
    std::istringstream in(text);
    try {
        for (const auto& customer : sileram::intake::read_customers(in, "fuzz.csv").customers) {
            require_clean(customer.name);
            require_clean(customer.segment);
        }
    } catch (const sileram::InvalidInput&) {
        // Refused with a message, like the import.
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    try {
        if (data[0] % 2 == 0) {
            read_customer_file(in.str());
            sileram::intake::CsvReader reader(in);
            read_all(reader);
        } else {
            sileram::intake::JsonLinesReader reader(in);
            read_all(reader);
        }
    } catch (const sileram::InvalidInput&) {
        // Refused with a message: what hostile input should get.
    }
    return 0;
}
