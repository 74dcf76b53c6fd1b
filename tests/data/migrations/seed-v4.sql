-- Version 4: a progress mail with the columns version 4 added (stage, last_attempt_at), retried
-- twice after a temporary failure.
INSERT INTO feedback (id, signal_id, recipient, outcome, stage, status, queued_at, sent_at, message_id, attempts, last_error, last_attempt_at) VALUES (4, 3, 'p@example.org', 'progress', 'accepted', 'queued', '2026-06-03T10:00:00Z', NULL, '', 2, '450 4.2.1 mailbox busy', '2026-06-03T10:20:00Z');
