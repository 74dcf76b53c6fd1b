#pragma once

// The SQL of `report scope` that both databases run unchanged, so each finds the same signals and
// actions of a project. {0} is the report filter's condition. `ORDER BY +id`: by the bare id,
// SQLite read every row in id order instead of the few that name a project through the partial
// index on `project` (0.25 s of 1,000,000 signals that name none).

namespace sileram::storage {

// Signals `s` that name a project, with the impact report's cost per period (contacts × cost per
// contact, in cents) once analysed.
inline constexpr const char* k_scope_signals = R"sql(
SELECT s.project, s.id, s.title, coalesce(s.process, ''), s.state, s.submitted_at,
       CASE WHEN s.contacts IS NULL THEN NULL ELSE s.contacts * s.cost_per_contact_cents END
FROM signals s WHERE s.project IS NOT NULL{0}
ORDER BY +s.id
)sql";

// Actions that name a project and were not cancelled, on signals `s` under the filter.
inline constexpr const char* k_scope_actions = R"sql(
SELECT a.project, a.signal_id, a.number, a.title, a.created_at
FROM actions a JOIN signals s ON s.id = a.signal_id
WHERE a.project IS NOT NULL AND a.status <> 'cancelled'{0}
ORDER BY +a.id
)sql";

} // namespace sileram::storage
