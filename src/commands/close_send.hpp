#pragma once

#include "sileram/commands/session.hpp"

namespace sileram::commands {

enum class DryRun { no, yes };

// `close --send`: delivers every queued feedback mail under the queue lock, recording each
// one's fate in its own transaction; with DryRun::yes prints what it would send and changes
// nothing. Throws TemporaryFailure (exit 75) when any mail stayed queued.
void send_feedback(Session& session, DryRun dry_run);

// `close ID --dry-run`: prints the feedback mails that closing queued in `closed` (a signal
// closed in memory only, its new mails without an id), as they would be sent.
void preview_close(Session& session, const domain::Signal& closed);

} // namespace sileram::commands
