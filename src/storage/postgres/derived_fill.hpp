#pragma once

#include "connection.hpp"

namespace sileram::storage::postgres {

// The derived tables of a bulk write, made once instead of row set by row set: a copy into an
// empty database and an import into one write their rows with the triggers that keep step_stays
// and the report tallies off, then fill those tables from the base tables, set-based, in the same
// transaction (migrations.cpp's first fills), then turn the triggers on again.

// ALTER TABLE … DISABLE TRIGGER USER on every table of the schema with a trigger of its own
// (each of them keeps a derived table; the foreign keys' internal triggers stay on). In the open
// transaction: it takes SHARE ROW EXCLUSIVE on those tables until the commit, which keeps
// writers off (readers go on) and makes the change visible to no one before the commit; a
// rollback leaves the triggers on.
void disable_derived_triggers(Connection& db);

// ALTER TABLE … ENABLE TRIGGER USER on the tables disable_derived_triggers turned off.
void enable_derived_triggers(Connection& db);

// What fill_derived_tables does with the indexes of the derived tables that no constraint owns:
// keeps them up row by row (readers of those tables go on), or drops them and the foreign key
// of step_stays before the rows and makes them after, a sort or a join each (ACCESS EXCLUSIVE on
// those tables until the commit; see DeferredDdl).
enum class DerivedIndexes { keep, rebuild };

// Empties step_stays and every tally table (tally_*) and fills each once from the base tables,
// in the open transaction. The triggers that keep them must be off (disable_derived_triggers):
// else the rows of step_stays would be counted twice. Throws std::logic_error when they are on.
void fill_derived_tables(Connection& db, DerivedIndexes indexes = DerivedIndexes::keep);

} // namespace sileram::storage::postgres
