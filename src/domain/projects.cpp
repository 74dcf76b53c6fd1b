#include "sileram/domain/projects.hpp"

#include "sileram/domain/text.hpp"
#include "sileram/errors.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace sileram::domain {

namespace {

constexpr std::size_t k_max_project_name = 100;
constexpr std::size_t k_max_customer = 300;

std::string project_key(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    });
    return lower;
}

void add_counts(ScopeCounts& sum, const ScopeCounts& part) {
    sum.signals_before += part.signals_before;
    sum.signals_after += part.signals_after;
    sum.actions_before += part.actions_before;
    sum.actions_after += part.actions_after;
    sum.cost_after = sum.cost_after + part.cost_after;
    sum.unassessed_after += part.unassessed_after;
}

} // namespace

std::string project_name(std::string_view name) {
    return trimmed(name);
}

void require_project(const Project& project, std::string_view where) {
    const std::string prefix = where.empty() ? std::string() : std::string(where) + ": ";
    if (project.name.empty()) {
        throw InvalidInput(prefix + "the project name is empty");
    }
    require_clean_text(project.name, prefix + "the project name", Lines::single);
    if (code_point_count(project.name) > k_max_project_name) {
        throw InvalidInput(prefix + fmt::format("the project name {} must be at most {} characters",
                                                quote_value(project.name), k_max_project_name));
    }
    if (project.customer.empty()) {
        throw InvalidInput(prefix + "the project's customer is empty");
    }
    require_clean_text(project.customer, prefix + "the customer", Lines::single);
    if (code_point_count(project.customer) > k_max_customer) {
        throw InvalidInput(prefix + fmt::format("the customer {} must be at most {} characters",
                                                quote_value(project.customer), k_max_customer));
    }
}

const Project* find_project(std::span<const Project> projects, std::string_view name) {
    const std::string wanted = project_key(project_name(name));
    for (const Project& p : projects) {
        if (project_key(p.name) == wanted) {
            return &p;
        }
    }
    return nullptr;
}

const Project& require_known_project(std::span<const Project> projects, std::string_view name,
                                     std::string_view where) {
    if (const Project* p = find_project(projects, name)) {
        return *p;
    }
    const std::string prefix = where.empty() ? std::string() : std::string(where) + ": ";
    if (projects.empty()) {
        throw InvalidInput(prefix + fmt::format("project {} is not known; there are no projects "
                                                "yet (sileram project add NAME --customer C "
                                                "--start DATE)",
                                                quote_value(name)));
    }
    std::vector<std::string> names;
    for (const Project& p : projects) {
        names.push_back(p.name);
    }
    const std::string guess = closest_name(name, names);
    throw InvalidInput(prefix + fmt::format("project {} is not known{}; projects: {}",
                                            quote_value(name),
                                            guess.empty() ? "" : "; did you mean " + guess + "?",
                                            fmt::join(names, ", ")));
}

ScopeReport build_scope_report(const std::vector<Project>& projects,
                               const std::vector<ScopeSignalInput>& signals,
                               const std::vector<ScopeActionInput>& actions, std::int64_t limit) {
    ScopeReport report;
    std::map<std::string, std::size_t> index; // lower-case name -> position in report.projects
    std::vector<Project> ordered = projects;
    std::stable_sort(ordered.begin(), ordered.end(), [](const Project& a, const Project& b) {
        const std::string ca = project_key(a.customer);
        const std::string cb = project_key(b.customer);
        if (ca != cb) {
            return ca < cb;
        }
        if (a.start != b.start) {
            return a.start < b.start;
        }
        return project_key(a.name) < project_key(b.name);
    });
    for (const Project& p : ordered) {
        index[project_key(p.name)] = report.projects.size();
        report.projects.push_back(ScopeProject{p, {}, {}});
    }
    std::vector<std::map<std::string, std::int64_t>> processes(report.projects.size());
    std::vector<ScopeRequest> requests;
    for (const ScopeSignalInput& s : signals) {
        const auto at = index.find(project_key(s.project));
        if (at == index.end()) {
            continue; // a project the database does not know cannot be named; nothing to count
        }
        ScopeProject& p = report.projects[at->second];
        if (s.submitted_at < p.project.starts_at) {
            ++p.counts.signals_before;
            continue;
        }
        ++p.counts.signals_after;
        ++processes[at->second][s.process];
        std::optional<Decimal> cost;
        if (s.cost_cents) {
            cost = Decimal::from_hundredths(*s.cost_cents);
            p.counts.cost_after = p.counts.cost_after + *cost;
        } else {
            ++p.counts.unassessed_after;
        }
        requests.push_back(ScopeRequest{p.project.name, p.project.customer, s.id, s.title,
                                        s.process, s.state, s.submitted_at, cost});
    }
    for (const ScopeActionInput& a : actions) {
        const auto at = index.find(project_key(a.project));
        if (at == index.end()) {
            continue;
        }
        ScopeProject& p = report.projects[at->second];
        if (a.created_at < p.project.starts_at) {
            ++p.counts.actions_before;
        } else {
            ++p.counts.actions_after;
        }
    }
    std::map<std::string, std::size_t> customer_index;
    for (std::size_t i = 0; i < report.projects.size(); ++i) {
        ScopeProject& p = report.projects[i];
        for (const auto& [process, count] : processes[i]) {
            p.processes.emplace_back(process, count);
        }
        std::stable_sort(p.processes.begin(), p.processes.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        const std::string key = project_key(p.project.customer);
        auto found = customer_index.find(key);
        if (found == customer_index.end()) {
            found = customer_index.emplace(key, report.customers.size()).first;
            report.customers.push_back(ScopeCustomer{p.project.customer, 0, {}});
        }
        ScopeCustomer& c = report.customers[found->second];
        ++c.projects;
        add_counts(c.counts, p.counts);
        add_counts(report.total, p.counts);
    }
    std::stable_sort(report.customers.begin(), report.customers.end(),
                     [](const ScopeCustomer& a, const ScopeCustomer& b) {
                         if (a.counts.cost_after != b.counts.cost_after) {
                             return b.counts.cost_after < a.counts.cost_after;
                         }
                         return project_key(a.customer) < project_key(b.customer);
                     });
    std::stable_sort(requests.begin(), requests.end(),
                     [](const ScopeRequest& a, const ScopeRequest& b) {
                         if (a.cost.has_value() != b.cost.has_value()) {
                             return a.cost.has_value();
                         }
                         if (a.cost && *a.cost != *b.cost) {
                             return *b.cost < *a.cost;
                         }
                         return a.id < b.id;
                     });
    report.requests_total = static_cast<std::int64_t>(requests.size());
    if (limit > 0 && static_cast<std::int64_t>(requests.size()) > limit) {
        requests.resize(static_cast<std::size_t>(limit));
    }
    report.requests = std::move(requests);
    return report;
}

} // namespace sileram::domain
