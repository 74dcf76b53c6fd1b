#include "sileram/commands/common.hpp"

#include "sileram/commands/clock.hpp"
#include "sileram/domain/text.hpp"
#include "sileram/domain/time.hpp"
#include "sileram/domain/workflow.hpp"
#include "sileram/errors.hpp"
#include "sileram/output/signal_json.hpp"

#include <charconv>
#include <fmt/format.h>
#include <ostream>

namespace sileram::commands {

namespace {

std::optional<std::int64_t> whole_number(const std::string& text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) {
        return std::nullopt;
    }
    return value;
}

void require_input_years(domain::Timestamp at, std::string_view option, const std::string& text) {
    if (!domain::within_input_years(at)) {
        throw InvalidInput(fmt::format("{} {} is out of range; give a date in the years {} to {}",
                                       option, domain::quote_value(text), domain::k_first_year,
                                       domain::k_last_year));
    }
}

bool all_digits(const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace

std::int64_t parse_id(const std::string& text, std::string_view what) {
    const auto value = whole_number(text);
    if (!value || *value < 1) {
        throw InvalidInput(fmt::format(
            "{} {} is {}; ids are whole numbers from 1 to {}", what, domain::quote_value(text),
            all_digits(text) && !value ? "too large" : "not an id", INT64_MAX));
    }
    return *value;
}

std::int64_t parse_count(const std::string& text, std::string_view option) {
    const auto value = whole_number(text);
    if (!value) {
        const bool too_large = all_digits(text);
        throw InvalidInput(fmt::format("{} {} is {}", option, domain::quote_value(text),
                                       too_large ? fmt::format("too large; at most {}", INT64_MAX)
                                                 : std::string("not a whole number")));
    }
    if (*value < 0) {
        throw InvalidInput(fmt::format("{} {} is negative; give a count from 0", option, text));
    }
    return *value;
}

int parse_whole_in(const std::string& text, std::string_view option, int lowest, int highest) {
    const auto value = whole_number(text);
    if (!value || *value < lowest || *value > highest) {
        throw InvalidInput(fmt::format("{} {} is out of range; give a whole number from {} to {}",
                                       option, domain::quote_value(text), lowest, highest));
    }
    return static_cast<int>(*value);
}

domain::Decimal parse_decimal(const std::string& text, std::string_view option) {
    const auto value = domain::Decimal::parse(text);
    if (!value && domain::Decimal::is_number_text(text)) {
        throw InvalidInput(fmt::format("{} {} is too large; sileram counts up to {}", option,
                                       domain::quote_value(text),
                                       domain::Decimal::largest().to_string()));
    }
    if (!value) {
        throw InvalidInput(fmt::format("{} {} is not a number with at most two decimals (use a "
                                       "point: 12.50)",
                                       option, domain::quote_value(text)));
    }
    return *value;
}

domain::Date parse_day(const std::string& text, std::string_view option) {
    const auto day = domain::parse_date(text);
    if (!day) {
        throw InvalidInput(fmt::format("{} {} is not a date; use ISO 8601 such as 2026-12-01",
                                       option, domain::quote_value(text)));
    }
    require_input_years(*day, option, text);
    return *day;
}

domain::Timestamp parse_moment(const std::string& text, std::string_view option,
                               domain::Timestamp now, DayEdge edge) {
    const int next = edge == DayEdge::end ? 1 : 0;
    if (const auto days_ago = domain::parse_days_ago(text)) {
        return local_day_start(now, *days_ago - next);
    }
    const auto at = domain::parse_timestamp(text);
    if (!at) {
        throw InvalidInput(fmt::format("{} {} is not a date; use ISO 8601 such as 2026-12-01 or "
                                       "2026-12-01T10:00:00Z, or today, yesterday, 7d, 2w",
                                       option, domain::quote_value(text)));
    }
    require_input_years(*at, option, text);
    // A day alone (2026-12-01) is a whole day; a moment is taken as it is.
    return text.size() == 10 ? *at + std::chrono::days(next) : *at;
}

domain::Signal load_signal(Session& session, storage::Access access, domain::SignalId id) {
    auto signal = session.store(access).load(id);
    if (!signal) {
        throw Refused(fmt::format("there is no signal {} in {}; `sileram list` shows the signals",
                                  id, storage::display_name(session.database_path())));
    }
    return std::move(*signal);
}

void require_one_format(const Session& session, bool csv) {
    if (csv && session.json()) {
        throw InvalidInput("--csv and --json exclude each other; choose one");
    }
}

void print_json(Session& session, const nlohmann::ordered_json& value) {
    session.out() << value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                  << '\n';
}

void report_change(Session& session, const domain::Signal& signal, const std::string& message) {
    if (session.json()) {
        print_json(session, signal_json(session, signal));
        return;
    }
    if (session.quiet()) {
        return;
    }
    session.out() << domain::printable(message, domain::Lines::multi) << '\n';
    const std::string next = domain::next_step(signal);
    if (!next.empty()) {
        session.out() << "Next: " << next << '\n';
    }
}

std::optional<domain::Lateness> signal_lateness(const Session& session,
                                                const domain::LateFacts& facts) {
    return domain::lateness(facts, session.config().targets, local_day(session.now()), local_day);
}

nlohmann::ordered_json signal_json(const Session& session, const domain::Signal& signal) {
    auto json = output::signal_to_json(signal, session.impact_settings(), session.now());
    json["late"] = output::late_to_json(signal_lateness(session, domain::late_facts(signal)));
    return json;
}

domain::LateCuts late_cuts(const Session& session) {
    const domain::Timestamp now = session.now();
    return domain::late_cuts(session.config().targets, local_day(now),
                             [now](int days_ago) { return local_day_start(now, days_ago); });
}

} // namespace sileram::commands
