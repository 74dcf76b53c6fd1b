#pragma once

#include "sileram/domain/time.hpp"

namespace sileram::commands {

// Where "now" comes from: the system clock, or a pinned moment for tests and demos.
class Clock {
public:
    virtual ~Clock() = default;
    virtual domain::Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
    domain::Timestamp now() const override;
};

class FixedClock final : public Clock {
public:
    explicit FixedClock(domain::Timestamp at) : m_at(at) {}
    domain::Timestamp now() const override { return m_at; }

private:
    domain::Timestamp m_at;
};

// When the local day `days_ago` days before the one that holds `now` began, in the time zone of
// $TZ (else the system's); a day that starts in a DST change starts when it starts there.
domain::Timestamp local_day_start(domain::Timestamp now, int days_ago);

// The local calendar day that holds `at`, in the time zone of $TZ (else the system's).
domain::Date local_day(domain::Timestamp at);

} // namespace sileram::commands
