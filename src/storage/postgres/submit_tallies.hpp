#pragma once

#include "connection.hpp"
#include "sileram/domain/signal.hpp"

#include <string>
#include <vector>

namespace sileram::storage::postgres {

// A submitted signal's step stay and tallies, written by the store in plain statements instead of
// by the triggers. Each command is a new server process, and there the triggers cost a `submit`
// most of its time on the server: loading PL/pgSQL, compiling nine functions and planning their
// set-based statements, where the work itself is a few upserts (docs/performance.md).
//
// While the setting k_tallies_by_store is 'on' in a transaction, the insert triggers of signals,
// submitters, history and step_stays do not fire (their WHEN, schema version 17); the statements
// here then do exactly what those triggers would do for such a signal. Any other write, a bulk
// one among them, leaves the setting alone and the triggers keep every tally.

inline constexpr const char* k_tallies_by_store = "sileram.tallies_by_store";

// Whether `s`, not yet stored, is a signal as `submit` makes it: submitted at step 1, its one
// history entry the submit, its submitters all by submit, and no decision, root cause, action
// or measurement. Only such a signal's tallies are written by the store.
bool tallies_by_store(const domain::Signal& s);

// Turns the triggers above off until the statements of submit_tally_statements turn them on
// again (or the transaction ends); run before the signal's first row.
void turn_off_tally_triggers(Connection& db);

// The statements that write the step stay and tallies of `s`, inserted (its id set) while the
// triggers were off, and then turn them on again: one pipeline (Connection::exec_all).
std::vector<Statement> submit_tally_statements(const domain::Signal& s);

} // namespace sileram::storage::postgres
