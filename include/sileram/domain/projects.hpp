#pragma once

#include "sileram/domain/decimal.hpp"
#include "sileram/domain/signal.hpp"
#include "sileram/domain/time.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Projects of customers, and `report scope`: what a customer asked for after a project started
// (the text on preventing escalations). Pure: storage hands over rows, no SQL and no clock here.
namespace sileram::domain {

// A customer's project. The customer is free text (it need not be in the customers table); the
// start is a local day, `starts_at` the moment that day began where the project was added.
struct Project {
    std::string name; // unique ignoring ASCII case
    std::string customer;
    Date start{};
    Timestamp starts_at{};
    Timestamp created_at{};
};

// A project name as stored: surrounding spaces removed.
std::string project_name(std::string_view name);
// Throws InvalidInput (prefixed with `where` and ": " when given) for an empty name or customer,
// a line break, a NUL, or a name longer than 100 characters.
void require_project(const Project& project, std::string_view where);
// The project named `name` ignoring ASCII case and surrounding spaces, or nullptr.
const Project* find_project(std::span<const Project> projects, std::string_view name);
// The project named `name`, or InvalidInput naming it and every known project (`where` as in
// require_project).
const Project& require_known_project(std::span<const Project> projects, std::string_view name,
                                     std::string_view where);

// A signal that names a project, as storage finds it; `cost_cents` is contacts × cost per
// contact per period (the impact report's cost), nullopt before its impact analysis.
struct ScopeSignalInput {
    std::string project;
    SignalId id = 0;
    std::string title;
    std::string process; // empty: not set
    State state = State::submitted;
    Timestamp submitted_at{};
    std::optional<std::int64_t> cost_cents;
};

// An action that names a project.
struct ScopeActionInput {
    std::string project;
    SignalId signal = 0;
    int number = 0;
    std::string title;
    Timestamp created_at{};
};

// A request that came in after its project started: the reason a manager reads.
struct ScopeRequest {
    std::string project;
    std::string customer;
    SignalId id = 0;
    std::string title;
    std::string process;
    State state = State::submitted;
    Timestamp submitted_at{};
    std::optional<Decimal> cost; // per period; nullopt: impact not analysed yet
};

// Counts and money of one project, or of all projects of one customer.
struct ScopeCounts {
    std::int64_t signals_before = 0;
    std::int64_t signals_after = 0; // the after-start requests
    std::int64_t actions_before = 0;
    std::int64_t actions_after = 0;
    Decimal cost_after;                // per period, of the after-start requests with an impact
    std::int64_t unassessed_after = 0; // after-start requests without an impact analysis yet
};

struct ScopeProject {
    Project project;
    ScopeCounts counts;
    // The after-start requests per process (empty: not set), most first, then by name.
    std::vector<std::pair<std::string, std::int64_t>> processes;
};

struct ScopeCustomer {
    std::string customer;
    std::int64_t projects = 0;
    ScopeCounts counts;
};

struct ScopeReport {
    std::vector<ScopeProject> projects;   // by customer (ignoring case), then start, then name
    std::vector<ScopeCustomer> customers; // by after-start cost, most first, then name
    std::vector<ScopeRequest> requests;   // after-start, costliest first (unassessed last), limited
    std::int64_t requests_total = 0;
    ScopeCounts total;
};

// Splits each project's signals (by submit time) and actions (by creation time) at the moment the
// project started: before it, or on or after it. `limit` caps the request list (0: all).
ScopeReport build_scope_report(const std::vector<Project>& projects,
                               const std::vector<ScopeSignalInput>& signals,
                               const std::vector<ScopeActionInput>& actions, std::int64_t limit);

} // namespace sileram::domain
