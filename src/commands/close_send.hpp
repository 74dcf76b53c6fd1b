#pragma once

#include "sileram/commands/session.hpp"

namespace sileram::commands {

enum class DryRun { no, yes };

// `close --send`: delivers every queued feedback mail, each claimed in the database before it is
// sent and its fate recorded under that claim in its own transaction; reports mails other runs
// left claimed as in doubt, and marks them failed once the claim is older than the lease. With
// DryRun::yes prints what it would send and changes nothing. Throws TemporaryFailure (exit 75)
// when any mail stayed queued or could not be recorded, Refused (exit 1) when any was marked
// failed.
void send_feedback(Session& session, DryRun dry_run);

// `close ID --dry-run`: prints the feedback mails that closing queued in `closed` (a signal
// closed in memory only, its new mails without an id), as they would be sent.
void preview_close(Session& session, const domain::Signal& closed);

} // namespace sileram::commands
