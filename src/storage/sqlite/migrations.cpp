#include "migrations.hpp"

#include "sileram/errors.hpp"
#include "tallies.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <string_view>

namespace sileram::storage::sqlite {

namespace {

// Version 1: the ten steps. Money is stored in cents and scores in hundredths, so sums are exact;
// times are ISO 8601 UTC text, readable in the sqlite3 shell and sortable as text.
constexpr const char* k_schema_v1 = R"sql(
CREATE TABLE signals (
    id                               INTEGER PRIMARY KEY,
    title                            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description                      TEXT NOT NULL DEFAULT '',
    state                            TEXT NOT NULL CHECK (state IN ('submitted', 'accepted',
                                         'analysed', 'prioritised', 'root-caused', 'planned',
                                         'approved', 'in-progress', 'implemented', 'measured',
                                         'closed', 'rejected', 'duplicate', 'parked', 'dropped')),
    step                             INTEGER NOT NULL CHECK (step BETWEEN 1 AND 10),
    submitted_by                     TEXT NOT NULL,
    submitted_at                     TEXT NOT NULL,
    updated_at                       TEXT NOT NULL,
    external_id                      TEXT UNIQUE,
    channel                          TEXT,
    product                          TEXT,
    process                          TEXT,
    customer                         TEXT,
    triage_reason                    TEXT,
    duplicate_of                     INTEGER REFERENCES signals (id),
    contacts                         INTEGER CHECK (contacts >= 0),
    satisfaction_impact              INTEGER CHECK (satisfaction_impact BETWEEN 1 AND 5),
    cost_per_contact_cents           INTEGER CHECK (cost_per_contact_cents >= 0),
    satisfaction_hundredths          INTEGER,
    expected_reduction_hundredths    INTEGER CHECK (expected_reduction_hundredths BETWEEN 0 AND 10000),
    expected_satisfaction_hundredths INTEGER,
    closing_summary                  TEXT
);
CREATE INDEX signals_state ON signals (state, id);
CREATE INDEX signals_submitted_at ON signals (submitted_at);

CREATE TABLE signal_fields (
    signal_id INTEGER NOT NULL REFERENCES signals (id),
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (signal_id, name)
) WITHOUT ROWID;
CREATE INDEX signal_fields_name_value ON signal_fields (name, value);

CREATE TABLE submitters (
    id        INTEGER PRIMARY KEY,
    signal_id INTEGER NOT NULL REFERENCES signals (id),
    email     TEXT NOT NULL COLLATE NOCASE,
    joined_at TEXT NOT NULL,
    via       TEXT NOT NULL,
    UNIQUE (signal_id, email)
);

CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    signal_id  INTEGER NOT NULL REFERENCES signals (id),
    gate       TEXT NOT NULL CHECK (gate IN ('prioritise', 'go-no-go')),
    verdict    TEXT NOT NULL CHECK (verdict IN ('go', 'drop', 'park')),
    reason     TEXT NOT NULL DEFAULT '',
    until      TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX decisions_signal ON decisions (signal_id);

CREATE TABLE root_causes (
    signal_id     INTEGER PRIMARY KEY REFERENCES signals (id),
    cause         TEXT NOT NULL,
    customer_view TEXT NOT NULL DEFAULT '',
    internal_view TEXT NOT NULL DEFAULT '',
    method        TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);

CREATE TABLE root_cause_items (
    signal_id INTEGER NOT NULL REFERENCES root_causes (signal_id),
    kind      TEXT NOT NULL CHECK (kind IN ('why', 'assumption', 'alternative')),
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL,
    PRIMARY KEY (signal_id, kind, position)
) WITHOUT ROWID;

CREATE TABLE actions (
    id            INTEGER PRIMARY KEY,
    signal_id     INTEGER NOT NULL REFERENCES signals (id),
    number        INTEGER NOT NULL CHECK (number >= 1),
    parent_number INTEGER,
    title         TEXT NOT NULL,
    owner         TEXT NOT NULL DEFAULT '',
    due           TEXT,
    cost_cents    INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    status        TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'done', 'cancelled')),
    progress      INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    created_at    TEXT NOT NULL,
    done_at       TEXT,
    UNIQUE (signal_id, number),
    FOREIGN KEY (signal_id, parent_number) REFERENCES actions (signal_id, number)
);
CREATE INDEX actions_due ON actions (status, due);

CREATE TABLE measurements (
    id                      INTEGER PRIMARY KEY,
    signal_id               INTEGER NOT NULL REFERENCES signals (id),
    contacts                INTEGER NOT NULL CHECK (contacts >= 0),
    satisfaction_hundredths INTEGER,
    note                    TEXT NOT NULL DEFAULT '',
    measured_by             TEXT NOT NULL,
    measured_at             TEXT NOT NULL
);
CREATE INDEX measurements_signal ON measurements (signal_id);

CREATE TABLE feedback (
    id         INTEGER PRIMARY KEY,
    signal_id  INTEGER NOT NULL REFERENCES signals (id),
    recipient  TEXT NOT NULL COLLATE NOCASE,
    outcome    TEXT NOT NULL CHECK (outcome IN ('closed', 'rejected', 'dropped', 'duplicate')),
    status     TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    queued_at  TEXT NOT NULL,
    sent_at    TEXT,
    message_id TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (signal_id, recipient)
);
CREATE INDEX feedback_queued ON feedback (id) WHERE status = 'queued';

CREATE TABLE history (
    id         INTEGER PRIMARY KEY,
    signal_id  INTEGER NOT NULL REFERENCES signals (id),
    at         TEXT NOT NULL,
    by         TEXT NOT NULL,
    event      TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX history_signal ON history (signal_id, id);
)sql";

// Version 2: intake at scale. A full-text index over title and description for the duplicate
// guard and `list --search`: an external-content FTS5 table (the text stays in `signals` only),
// filled by the store on insert and per batch by imports; unicode61 with remove_diacritics 2 makes
// it case- and accent-insensitive. `recurrences` keeps the closed signals a new one resembles.
constexpr const char* k_schema_v2 = R"sql(
CREATE VIRTUAL TABLE signals_fts USING fts5 (
    title, description,
    content = 'signals', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO signals_fts (signals_fts) VALUES ('rebuild');

CREATE TABLE recurrences (
    signal_id        INTEGER NOT NULL REFERENCES signals (id),
    closed_signal_id INTEGER NOT NULL REFERENCES signals (id),
    similarity       REAL NOT NULL CHECK (similarity BETWEEN 0 AND 1),
    PRIMARY KEY (signal_id, closed_signal_id)
) WITHOUT ROWID;
)sql";

// Version 3: what the reports need. The customers table gives each customer's size (revenue);
// step_stays records when a signal entered and left each step, kept by a trigger on history
// (and filled from the history once), so the funnel needs no window over the whole history;
// covering indexes let each report aggregate without reading the signals' rows.
constexpr const char* k_schema_v3 = R"sql(
CREATE TABLE customers (
    name          TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    revenue_cents INTEGER NOT NULL CHECK (revenue_cents >= 0),
    segment       TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
);

CREATE TABLE step_stays (
    id         INTEGER PRIMARY KEY,
    signal_id  INTEGER NOT NULL REFERENCES signals (id),
    step       INTEGER NOT NULL CHECK (step BETWEEN 1 AND 10),
    entered_at TEXT NOT NULL,
    left_at    TEXT,
    seconds    INTEGER
);
CREATE INDEX step_stays_open ON step_stays (signal_id) WHERE left_at IS NULL;
CREATE INDEX step_stays_waiting ON step_stays (step, entered_at, signal_id) WHERE left_at IS NULL;
CREATE INDEX step_stays_done ON step_stays (step, seconds) WHERE seconds IS NOT NULL;
CREATE INDEX step_stays_entered ON step_stays (step, entered_at);

-- The step a history row leads to; a drop is step 4 from analysed or parked, else step 7.
CREATE TRIGGER step_stays_follow_history AFTER INSERT ON history
WHEN NOT EXISTS (
    SELECT 1 FROM step_stays
    WHERE signal_id = NEW.signal_id AND left_at IS NULL
      AND step = (SELECT step FROM signals WHERE id = NEW.signal_id))
BEGIN
    UPDATE step_stays SET left_at = NEW.at, seconds = unixepoch(NEW.at) - unixepoch(entered_at)
    WHERE signal_id = NEW.signal_id AND left_at IS NULL;
    INSERT INTO step_stays (signal_id, step, entered_at)
    VALUES (NEW.signal_id, (SELECT step FROM signals WHERE id = NEW.signal_id), NEW.at);
END;

CREATE INDEX signals_open_impact ON signals (state, contacts, satisfaction_impact,
    cost_per_contact_cents, submitted_at, channel, product, process, customer)
    WHERE contacts IS NOT NULL;
CREATE INDEX signals_state_step ON signals (state, step, submitted_at);
CREATE INDEX signals_channel ON signals (channel, submitted_at, contacts, satisfaction_impact,
    cost_per_contact_cents);
CREATE INDEX signals_product ON signals (product, submitted_at, contacts, satisfaction_impact,
    cost_per_contact_cents);
CREATE INDEX signals_process ON signals (process, submitted_at, contacts, satisfaction_impact,
    cost_per_contact_cents);
CREATE INDEX signals_customer ON signals (customer COLLATE NOCASE, submitted_at, contacts,
    satisfaction_impact, cost_per_contact_cents) WHERE customer IS NOT NULL;
CREATE INDEX signals_open_updated ON signals (updated_at) WHERE state <> 'closed';
CREATE INDEX signals_open_submitter ON signals (submitted_by COLLATE NOCASE, submitted_at)
    WHERE state <> 'closed';
CREATE INDEX submitters_joined ON submitters (signal_id, email, joined_at) WHERE via <> 'submit';
CREATE INDEX actions_signal_cost ON actions (signal_id, status, cost_cents);
CREATE INDEX actions_open_due ON actions (due, signal_id)
    WHERE status IN ('planned', 'in-progress') AND due IS NOT NULL;
)sql";

// The step stays of every signal from its history (version 3 fills them once; a copy builds them
// in its target): the step each history row leads to, where it changes, entered at that row and
// left at the next change. A drop is step 4 from analysed or parked, else step 7.
constexpr const char* k_fill_step_stays = R"sql(
INSERT INTO step_stays (signal_id, step, entered_at, left_at, seconds)
WITH stepped AS (
    SELECT h.signal_id, h.id, h.at,
           CASE h.to_state
               WHEN 'submitted' THEN 1 WHEN 'accepted' THEN 2 WHEN 'rejected' THEN 2
               WHEN 'duplicate' THEN 2 WHEN 'analysed' THEN 3 WHEN 'prioritised' THEN 4
               WHEN 'parked' THEN 4 WHEN 'root-caused' THEN 5 WHEN 'planned' THEN 6
               WHEN 'approved' THEN 7 WHEN 'in-progress' THEN 8 WHEN 'implemented' THEN 8
               WHEN 'measured' THEN 9 WHEN 'closed' THEN 10
               ELSE CASE h.from_state WHEN 'planned' THEN 7 WHEN 'analysed' THEN 4
                                      WHEN 'parked' THEN 4 ELSE s.step END
           END AS step
    FROM history h JOIN signals s ON s.id = h.signal_id),
changes AS (
    SELECT signal_id, id, at, step,
           lag(step) OVER (PARTITION BY signal_id ORDER BY id) AS previous
    FROM stepped),
entries AS (
    SELECT signal_id, id, at, step,
           lead(at) OVER (PARTITION BY signal_id ORDER BY id) AS left_at
    FROM changes WHERE previous IS NULL OR previous <> step)
SELECT signal_id, step, at, left_at, unixepoch(left_at) - unixepoch(at)
FROM entries ORDER BY id
)sql";

// Version 4: the feedback queue for cron. Progress mails (outcome 'progress' with the state
// reached as `stage`) need a wider CHECK and UNIQUE key, so the table is rebuilt: SQLite cannot
// alter either. Every column of version 1 is copied by name.
constexpr const char* k_schema_v4 = R"sql(
CREATE TABLE feedback_v4 (
    id              INTEGER PRIMARY KEY,
    signal_id       INTEGER NOT NULL REFERENCES signals (id),
    recipient       TEXT NOT NULL COLLATE NOCASE,
    outcome         TEXT NOT NULL CHECK (outcome IN ('closed', 'rejected', 'dropped', 'duplicate',
                                                     'progress')),
    stage           TEXT NOT NULL DEFAULT '' CHECK ((outcome = 'progress') = (stage <> '')),
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    queued_at       TEXT NOT NULL,
    sent_at         TEXT,
    message_id      TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at TEXT,
    UNIQUE (signal_id, recipient, outcome, stage)
);
INSERT INTO feedback_v4 (id, signal_id, recipient, outcome, stage, status, queued_at, sent_at,
                         message_id, attempts, last_error, last_attempt_at)
SELECT id, signal_id, recipient, outcome, '', status, queued_at, sent_at, message_id, attempts,
       last_error, NULL
FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_v4 RENAME TO feedback;
CREATE INDEX feedback_queued ON feedback (id) WHERE status = 'queued';
CREATE INDEX feedback_signal ON feedback (signal_id);
)sql";

// Version 5: reports at a million signals. Tallies kept by triggers hold what the unfiltered
// reports add up, so a report reads a few hundred rows instead of every signal: signals per state
// and step, per impact cell (state, contacts, satisfaction impact, cost per contact) and per
// value of each standard field; signals entering and leaving per month; finished step stays per
// step and whole day of their length (the median is found by counting days, then by reading one
// day's stays from the index), stays still open per step; overdue-able actions per due date; and
// one row per measured signal with the terms of the effect report. The tallies are filled from the
// data once, set-based, after this script (tallies.cpp). A count that drops to zero stays as a
// row: readers skip rows of zero.
constexpr const char* k_schema_v5 = R"sql(
CREATE TABLE tally_states (
    state   TEXT NOT NULL,
    step    INTEGER NOT NULL,
    signals INTEGER NOT NULL,
    PRIMARY KEY (state, step)
) WITHOUT ROWID;

CREATE TABLE tally_impact (
    state                  TEXT NOT NULL,
    contacts               INTEGER NOT NULL,
    satisfaction_impact    INTEGER NOT NULL,
    cost_per_contact_cents INTEGER NOT NULL,
    signals                INTEGER NOT NULL,
    PRIMARY KEY (state, contacts, satisfaction_impact, cost_per_contact_cents)
) WITHOUT ROWID;

-- `open`: the signal counts in the impact report (contacts known, state still to be improved).
CREATE TABLE tally_fields (
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    open       INTEGER NOT NULL,
    signals    INTEGER NOT NULL,
    contacts   INTEGER NOT NULL,
    score      INTEGER NOT NULL,
    cost_cents INTEGER NOT NULL,
    PRIMARY KEY (name, value, open)
) WITHOUT ROWID;

CREATE TABLE tally_months (
    month   TEXT NOT NULL PRIMARY KEY,
    entered INTEGER NOT NULL DEFAULT 0,
    left    INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE tally_stays (
    step  INTEGER NOT NULL,
    day   INTEGER NOT NULL,
    stays INTEGER NOT NULL,
    PRIMARY KEY (step, day)
) WITHOUT ROWID;

CREATE TABLE tally_waiting (
    step  INTEGER NOT NULL PRIMARY KEY,
    stays INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE tally_due (
    due     TEXT NOT NULL PRIMARY KEY,
    actions INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE tally_effect (
    signal_id          INTEGER PRIMARY KEY,
    measurement_id     INTEGER NOT NULL,
    contacts_saved     INTEGER NOT NULL,
    saved_cents        INTEGER,
    expected_base      INTEGER,
    expects_reduction  INTEGER,
    cost_cents         INTEGER NOT NULL,
    satisfaction_delta INTEGER,
    measured_contacts  INTEGER NOT NULL,
    measured_satisfaction INTEGER
);
CREATE INDEX tally_effect_saved ON tally_effect (saved_cents DESC, signal_id);

-- Signals: states, impact cells, field values and months.
CREATE TRIGGER tally_signal_insert AFTER INSERT ON signals
BEGIN
    INSERT INTO tally_states (state, step, signals) VALUES (NEW.state, NEW.step, 1)
    ON CONFLICT (state, step) DO UPDATE SET signals = signals + 1;
    INSERT INTO tally_impact (state, contacts, satisfaction_impact, cost_per_contact_cents,
                              signals)
    SELECT NEW.state, NEW.contacts, NEW.satisfaction_impact, NEW.cost_per_contact_cents, 1
    WHERE NEW.contacts IS NOT NULL
    ON CONFLICT DO UPDATE SET signals = signals + 1;
    INSERT INTO tally_fields (name, value, open, signals, contacts, score, cost_cents)
    SELECT f.name, coalesce(f.value, ''),
           NEW.contacts IS NOT NULL AND NEW.state IN ('analysed', 'prioritised', 'parked',
               'root-caused', 'planned', 'approved', 'in-progress', 'implemented'),
           1, coalesce(NEW.contacts, 0), coalesce(NEW.contacts * NEW.satisfaction_impact, 0),
           coalesce(NEW.contacts * NEW.cost_per_contact_cents, 0)
    FROM (SELECT 'channel' AS name, NEW.channel AS value UNION ALL
          SELECT 'product', NEW.product UNION ALL SELECT 'process', NEW.process UNION ALL
          SELECT 'customer', NEW.customer) f
    WHERE true
    ON CONFLICT DO UPDATE SET signals = signals + 1, contacts = contacts + excluded.contacts,
        score = score + excluded.score, cost_cents = cost_cents + excluded.cost_cents;
    INSERT INTO tally_months (month, entered) VALUES (substr(NEW.submitted_at, 1, 7), 1)
    ON CONFLICT (month) DO UPDATE SET entered = entered + 1;
END;

CREATE TRIGGER tally_signal_delete AFTER DELETE ON signals
BEGIN
    UPDATE tally_states SET signals = signals - 1 WHERE state = OLD.state AND step = OLD.step;
    UPDATE tally_impact SET signals = signals - 1
    WHERE state = OLD.state AND contacts = OLD.contacts
      AND satisfaction_impact = OLD.satisfaction_impact
      AND cost_per_contact_cents = OLD.cost_per_contact_cents;
    UPDATE tally_fields SET signals = signals - 1, contacts = contacts - coalesce(OLD.contacts, 0),
        score = score - coalesce(OLD.contacts * OLD.satisfaction_impact, 0),
        cost_cents = cost_cents - coalesce(OLD.contacts * OLD.cost_per_contact_cents, 0)
    WHERE (name, value) IN (VALUES ('channel', coalesce(OLD.channel, '')),
                                   ('product', coalesce(OLD.product, '')),
                                   ('process', coalesce(OLD.process, '')),
                                   ('customer', coalesce(OLD.customer, '')))
      AND open = (OLD.contacts IS NOT NULL AND OLD.state IN ('analysed', 'prioritised', 'parked',
          'root-caused', 'planned', 'approved', 'in-progress', 'implemented'));
    UPDATE tally_months SET entered = entered - 1 WHERE month = substr(OLD.submitted_at, 1, 7);
    DELETE FROM tally_effect WHERE signal_id = OLD.id;
END;

CREATE TRIGGER tally_signal_state AFTER UPDATE OF state, step ON signals
WHEN OLD.state IS NOT NEW.state OR OLD.step IS NOT NEW.step
BEGIN
    UPDATE tally_states SET signals = signals - 1 WHERE state = OLD.state AND step = OLD.step;
    INSERT INTO tally_states (state, step, signals) VALUES (NEW.state, NEW.step, 1)
    ON CONFLICT (state, step) DO UPDATE SET signals = signals + 1;
END;

-- Each trigger fires only when what its tally counts changes: a step that moves a signal without
-- figures touches the states alone.
CREATE TRIGGER tally_signal_impact
AFTER UPDATE OF state, contacts, satisfaction_impact, cost_per_contact_cents ON signals
WHEN (OLD.contacts IS NOT NULL OR NEW.contacts IS NOT NULL)
 AND (OLD.state IS NOT NEW.state OR OLD.contacts IS NOT NEW.contacts
   OR OLD.satisfaction_impact IS NOT NEW.satisfaction_impact
   OR OLD.cost_per_contact_cents IS NOT NEW.cost_per_contact_cents)
BEGIN
    UPDATE tally_impact SET signals = signals - 1
    WHERE state = OLD.state AND contacts = OLD.contacts
      AND satisfaction_impact = OLD.satisfaction_impact
      AND cost_per_contact_cents = OLD.cost_per_contact_cents;
    INSERT INTO tally_impact (state, contacts, satisfaction_impact, cost_per_contact_cents,
                              signals)
    SELECT NEW.state, NEW.contacts, NEW.satisfaction_impact, NEW.cost_per_contact_cents, 1
    WHERE NEW.contacts IS NOT NULL
    ON CONFLICT DO UPDATE SET signals = signals + 1;
END;

CREATE TRIGGER tally_signal_fields
AFTER UPDATE OF state, contacts, satisfaction_impact, cost_per_contact_cents, channel, product,
    process, customer ON signals
WHEN (OLD.contacts IS NOT NULL AND OLD.state IN ('analysed', 'prioritised', 'parked',
        'root-caused', 'planned', 'approved', 'in-progress', 'implemented'))
  IS NOT (NEW.contacts IS NOT NULL AND NEW.state IN ('analysed', 'prioritised', 'parked',
        'root-caused', 'planned', 'approved', 'in-progress', 'implemented'))
  OR OLD.contacts IS NOT NEW.contacts
  OR OLD.satisfaction_impact IS NOT NEW.satisfaction_impact
  OR OLD.cost_per_contact_cents IS NOT NEW.cost_per_contact_cents
  OR OLD.channel IS NOT NEW.channel OR OLD.product IS NOT NEW.product
  OR OLD.process IS NOT NEW.process OR OLD.customer IS NOT NEW.customer
BEGIN
    UPDATE tally_fields SET signals = signals - 1, contacts = contacts - coalesce(OLD.contacts, 0),
        score = score - coalesce(OLD.contacts * OLD.satisfaction_impact, 0),
        cost_cents = cost_cents - coalesce(OLD.contacts * OLD.cost_per_contact_cents, 0)
    WHERE (name, value) IN (VALUES ('channel', coalesce(OLD.channel, '')),
                                   ('product', coalesce(OLD.product, '')),
                                   ('process', coalesce(OLD.process, '')),
                                   ('customer', coalesce(OLD.customer, '')))
      AND open = (OLD.contacts IS NOT NULL AND OLD.state IN ('analysed', 'prioritised', 'parked',
          'root-caused', 'planned', 'approved', 'in-progress', 'implemented'));
    INSERT INTO tally_fields (name, value, open, signals, contacts, score, cost_cents)
    SELECT f.name, coalesce(f.value, ''),
           NEW.contacts IS NOT NULL AND NEW.state IN ('analysed', 'prioritised', 'parked',
               'root-caused', 'planned', 'approved', 'in-progress', 'implemented'),
           1, coalesce(NEW.contacts, 0), coalesce(NEW.contacts * NEW.satisfaction_impact, 0),
           coalesce(NEW.contacts * NEW.cost_per_contact_cents, 0)
    FROM (SELECT 'channel' AS name, NEW.channel AS value UNION ALL
          SELECT 'product', NEW.product UNION ALL SELECT 'process', NEW.process UNION ALL
          SELECT 'customer', NEW.customer) f
    WHERE true
    ON CONFLICT DO UPDATE SET signals = signals + 1, contacts = contacts + excluded.contacts,
        score = score + excluded.score, cost_cents = cost_cents + excluded.cost_cents;
END;

CREATE TRIGGER tally_signal_month AFTER UPDATE OF submitted_at ON signals
WHEN OLD.submitted_at IS NOT NEW.submitted_at
BEGIN
    UPDATE tally_months SET entered = entered - 1 WHERE month = substr(OLD.submitted_at, 1, 7);
    INSERT INTO tally_months (month, entered) VALUES (substr(NEW.submitted_at, 1, 7), 1)
    ON CONFLICT (month) DO UPDATE SET entered = entered + 1;
END;

-- Step stays: finished ones per step and day of length, open ones per step, closings per month.
CREATE TRIGGER tally_stay_insert AFTER INSERT ON step_stays
BEGIN
    INSERT INTO tally_waiting (step, stays) SELECT NEW.step, 1 WHERE NEW.left_at IS NULL
    ON CONFLICT (step) DO UPDATE SET stays = stays + 1;
    INSERT INTO tally_stays (step, day, stays)
    SELECT NEW.step, CASE WHEN NEW.seconds >= 0 THEN NEW.seconds / 86400
                          ELSE -((86399 - NEW.seconds) / 86400) END, 1
    WHERE NEW.seconds IS NOT NULL
    ON CONFLICT (step, day) DO UPDATE SET stays = stays + 1;
    INSERT INTO tally_months (month, left) SELECT substr(NEW.entered_at, 1, 7), 1
    WHERE NEW.step = 10
    ON CONFLICT (month) DO UPDATE SET left = left + 1;
END;

CREATE TRIGGER tally_stay_update AFTER UPDATE OF step, left_at, seconds ON step_stays
BEGIN
    UPDATE tally_waiting SET stays = stays - 1 WHERE step = OLD.step AND OLD.left_at IS NULL;
    INSERT INTO tally_waiting (step, stays) SELECT NEW.step, 1 WHERE NEW.left_at IS NULL
    ON CONFLICT (step) DO UPDATE SET stays = stays + 1;
    UPDATE tally_stays SET stays = stays - 1
    WHERE OLD.seconds IS NOT NULL AND step = OLD.step
      AND day = CASE WHEN OLD.seconds >= 0 THEN OLD.seconds / 86400
                     ELSE -((86399 - OLD.seconds) / 86400) END;
    INSERT INTO tally_stays (step, day, stays)
    SELECT NEW.step, CASE WHEN NEW.seconds >= 0 THEN NEW.seconds / 86400
                          ELSE -((86399 - NEW.seconds) / 86400) END, 1
    WHERE NEW.seconds IS NOT NULL
    ON CONFLICT (step, day) DO UPDATE SET stays = stays + 1;
END;

CREATE TRIGGER tally_stay_move AFTER UPDATE OF step, entered_at ON step_stays
BEGIN
    UPDATE tally_months SET left = left - 1
    WHERE OLD.step = 10 AND month = substr(OLD.entered_at, 1, 7);
    INSERT INTO tally_months (month, left) SELECT substr(NEW.entered_at, 1, 7), 1
    WHERE NEW.step = 10
    ON CONFLICT (month) DO UPDATE SET left = left + 1;
END;

CREATE TRIGGER tally_stay_delete AFTER DELETE ON step_stays
BEGIN
    UPDATE tally_waiting SET stays = stays - 1 WHERE step = OLD.step AND OLD.left_at IS NULL;
    UPDATE tally_stays SET stays = stays - 1
    WHERE OLD.seconds IS NOT NULL AND step = OLD.step
      AND day = CASE WHEN OLD.seconds >= 0 THEN OLD.seconds / 86400
                     ELSE -((86399 - OLD.seconds) / 86400) END;
    UPDATE tally_months SET left = left - 1
    WHERE OLD.step = 10 AND month = substr(OLD.entered_at, 1, 7);
END;

-- Actions that count as overdue once their due date passes: open, with a due date, of a signal
-- being carried out.
CREATE TRIGGER tally_action_insert AFTER INSERT ON actions
WHEN NEW.status IN ('planned', 'in-progress') AND NEW.due IS NOT NULL
 AND (SELECT state FROM signals WHERE id = NEW.signal_id) IN ('approved', 'in-progress')
BEGIN
    INSERT INTO tally_due (due, actions) VALUES (NEW.due, 1)
    ON CONFLICT (due) DO UPDATE SET actions = actions + 1;
END;

CREATE TRIGGER tally_action_update AFTER UPDATE OF status, due, signal_id ON actions
WHEN (SELECT state FROM signals WHERE id = NEW.signal_id) IN ('approved', 'in-progress')
  OR (SELECT state FROM signals WHERE id = OLD.signal_id) IN ('approved', 'in-progress')
BEGIN
    UPDATE tally_due SET actions = actions - 1
    WHERE due = OLD.due AND OLD.status IN ('planned', 'in-progress')
      AND (SELECT state FROM signals WHERE id = OLD.signal_id) IN ('approved', 'in-progress');
    INSERT INTO tally_due (due, actions) SELECT NEW.due, 1
    WHERE NEW.status IN ('planned', 'in-progress') AND NEW.due IS NOT NULL
      AND (SELECT state FROM signals WHERE id = NEW.signal_id) IN ('approved', 'in-progress')
    ON CONFLICT (due) DO UPDATE SET actions = actions + 1;
END;

CREATE TRIGGER tally_action_delete AFTER DELETE ON actions
WHEN OLD.status IN ('planned', 'in-progress') AND OLD.due IS NOT NULL
 AND (SELECT state FROM signals WHERE id = OLD.signal_id) IN ('approved', 'in-progress')
BEGIN
    UPDATE tally_due SET actions = actions - 1 WHERE due = OLD.due;
END;

CREATE TRIGGER tally_signal_carried_out AFTER UPDATE OF state ON signals
WHEN (OLD.state IN ('approved', 'in-progress')) <> (NEW.state IN ('approved', 'in-progress'))
BEGIN
    INSERT INTO tally_due (due, actions)
    SELECT due, CASE WHEN NEW.state IN ('approved', 'in-progress') THEN 1 ELSE -1 END * count(*)
    FROM actions WHERE signal_id = NEW.id AND status IN ('planned', 'in-progress')
      AND due IS NOT NULL
    GROUP BY due
    ON CONFLICT (due) DO UPDATE SET actions = actions + excluded.actions;
END;

-- The effect report's terms of a measured signal: from its latest measurement, its baseline and
-- the cost of its actions that are not cancelled.
CREATE VIEW tally_effect_source AS
SELECT s.id AS signal_id, m.id AS measurement_id, s.contacts - m.contacts AS contacts_saved,
       (s.contacts - m.contacts) * s.cost_per_contact_cents AS saved_cents,
       s.contacts * s.cost_per_contact_cents * s.expected_reduction_hundredths AS expected_base,
       s.expected_reduction_hundredths > 0 AS expects_reduction,
       coalesce((SELECT sum(a.cost_cents) FROM actions a WHERE a.signal_id = s.id
                 AND a.status <> 'cancelled'), 0) AS cost_cents,
       m.satisfaction_hundredths - s.satisfaction_hundredths AS satisfaction_delta,
       m.contacts AS measured_contacts, m.satisfaction_hundredths AS measured_satisfaction
FROM signals s
JOIN measurements m ON m.id = (SELECT max(id) FROM measurements WHERE signal_id = s.id)
WHERE s.contacts IS NOT NULL;

CREATE TRIGGER tally_measurement_insert AFTER INSERT ON measurements
BEGIN
    DELETE FROM tally_effect WHERE signal_id = NEW.signal_id;
    INSERT INTO tally_effect SELECT * FROM tally_effect_source WHERE signal_id = NEW.signal_id;
END;

CREATE TRIGGER tally_measurement_change AFTER UPDATE ON measurements
BEGIN
    DELETE FROM tally_effect WHERE signal_id IN (OLD.signal_id, NEW.signal_id);
    INSERT INTO tally_effect SELECT * FROM tally_effect_source
    WHERE signal_id IN (OLD.signal_id, NEW.signal_id);
END;

CREATE TRIGGER tally_measurement_delete AFTER DELETE ON measurements
BEGIN
    DELETE FROM tally_effect WHERE signal_id = OLD.signal_id;
    INSERT INTO tally_effect SELECT * FROM tally_effect_source WHERE signal_id = OLD.signal_id;
END;

-- A new baseline recomputes the terms from the measurement kept in the row.
CREATE TRIGGER tally_effect_baseline
AFTER UPDATE OF contacts, cost_per_contact_cents, expected_reduction_hundredths,
    satisfaction_hundredths ON signals
WHEN OLD.contacts IS NOT NEW.contacts
  OR OLD.cost_per_contact_cents IS NOT NEW.cost_per_contact_cents
  OR OLD.expected_reduction_hundredths IS NOT NEW.expected_reduction_hundredths
  OR OLD.satisfaction_hundredths IS NOT NEW.satisfaction_hundredths
BEGIN
    DELETE FROM tally_effect WHERE signal_id = NEW.id AND NEW.contacts IS NULL;
    UPDATE tally_effect SET contacts_saved = NEW.contacts - measured_contacts,
        saved_cents = (NEW.contacts - measured_contacts) * NEW.cost_per_contact_cents,
        expected_base = NEW.contacts * NEW.cost_per_contact_cents
                        * NEW.expected_reduction_hundredths,
        expects_reduction = NEW.expected_reduction_hundredths > 0,
        satisfaction_delta = measured_satisfaction - NEW.satisfaction_hundredths
    WHERE signal_id = NEW.id;
END;

CREATE TRIGGER tally_effect_action_insert AFTER INSERT ON actions
WHEN EXISTS (SELECT 1 FROM tally_effect WHERE signal_id = NEW.signal_id)
BEGIN
    UPDATE tally_effect SET cost_cents = cost_cents + NEW.cost_cents
    WHERE signal_id = NEW.signal_id AND NEW.status <> 'cancelled';
END;

CREATE TRIGGER tally_effect_action_change AFTER UPDATE OF status, cost_cents, signal_id ON actions
WHEN EXISTS (SELECT 1 FROM tally_effect WHERE signal_id IN (OLD.signal_id, NEW.signal_id))
BEGIN
    UPDATE tally_effect SET cost_cents = cost_cents - OLD.cost_cents
    WHERE signal_id = OLD.signal_id AND OLD.status <> 'cancelled';
    UPDATE tally_effect SET cost_cents = cost_cents + NEW.cost_cents
    WHERE signal_id = NEW.signal_id AND NEW.status <> 'cancelled';
END;

CREATE TRIGGER tally_effect_action_delete AFTER DELETE ON actions
WHEN EXISTS (SELECT 1 FROM tally_effect WHERE signal_id = OLD.signal_id)
BEGIN
    UPDATE tally_effect SET cost_cents = cost_cents - OLD.cost_cents
    WHERE signal_id = OLD.signal_id AND OLD.status <> 'cancelled';
END;

-- Submitters waiting for news: signals not closed per exact spelling of `submitted_by`, and
-- joins (`via` not 'submit') to signals not closed per exact spelling of the e-mail address.
CREATE TABLE tally_submitted (
    email   TEXT NOT NULL PRIMARY KEY,
    signals INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE tally_joined (
    email   TEXT NOT NULL PRIMARY KEY,
    signals INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER tally_submitted_insert AFTER INSERT ON signals WHEN NEW.state <> 'closed'
BEGIN
    INSERT INTO tally_submitted (email, signals) VALUES (NEW.submitted_by, 1)
    ON CONFLICT (email) DO UPDATE SET signals = signals + 1;
END;

CREATE TRIGGER tally_submitted_delete AFTER DELETE ON signals WHEN OLD.state <> 'closed'
BEGIN
    UPDATE tally_submitted SET signals = signals - 1 WHERE email = OLD.submitted_by;
END;

CREATE TRIGGER tally_submitted_change AFTER UPDATE OF state, submitted_by ON signals
WHEN (OLD.state = 'closed') <> (NEW.state = 'closed') OR OLD.submitted_by IS NOT NEW.submitted_by
BEGIN
    UPDATE tally_submitted SET signals = signals - 1
    WHERE email = OLD.submitted_by AND OLD.state <> 'closed';
    INSERT INTO tally_submitted (email, signals) SELECT NEW.submitted_by, 1
    WHERE NEW.state <> 'closed'
    ON CONFLICT (email) DO UPDATE SET signals = signals + 1;
    INSERT INTO tally_joined (email, signals)
    SELECT email COLLATE BINARY, CASE WHEN NEW.state = 'closed' THEN -1 ELSE 1 END * count(*)
    FROM submitters WHERE signal_id = NEW.id AND via <> 'submit'
      AND (OLD.state = 'closed') <> (NEW.state = 'closed')
    GROUP BY 1
    ON CONFLICT (email) DO UPDATE SET signals = signals + excluded.signals;
END;

CREATE TRIGGER tally_joined_insert AFTER INSERT ON submitters
WHEN NEW.via <> 'submit' AND (SELECT state FROM signals WHERE id = NEW.signal_id) <> 'closed'
BEGIN
    INSERT INTO tally_joined (email, signals) VALUES (NEW.email, 1)
    ON CONFLICT (email) DO UPDATE SET signals = signals + 1;
END;

CREATE TRIGGER tally_joined_delete AFTER DELETE ON submitters
WHEN OLD.via <> 'submit' AND (SELECT state FROM signals WHERE id = OLD.signal_id) <> 'closed'
BEGIN
    UPDATE tally_joined SET signals = signals - 1 WHERE email = OLD.email COLLATE BINARY;
END;

CREATE TRIGGER tally_joined_change AFTER UPDATE OF email, via, signal_id ON submitters
BEGIN
    UPDATE tally_joined SET signals = signals - 1
    WHERE email = OLD.email COLLATE BINARY AND OLD.via <> 'submit'
      AND (SELECT state FROM signals WHERE id = OLD.signal_id) <> 'closed';
    INSERT INTO tally_joined (email, signals) SELECT NEW.email, 1
    WHERE NEW.via <> 'submit' AND (SELECT state FROM signals WHERE id = NEW.signal_id) <> 'closed'
    ON CONFLICT (email) DO UPDATE SET signals = signals + 1;
END;

CREATE INDEX IF NOT EXISTS signals_open_submitted ON signals (submitted_at, submitted_by)
    WHERE state <> 'closed';
CREATE INDEX IF NOT EXISTS submitters_joined_at ON submitters (joined_at, email, signal_id)
    WHERE via <> 'submit';
CREATE INDEX IF NOT EXISTS submitters_joined_email ON submitters (email, joined_at, signal_id)
    WHERE via <> 'submit';

-- `list --state S --sort score` and the impact report's ranking read these in order.
CREATE INDEX IF NOT EXISTS signals_state_score
    ON signals (state, coalesce(contacts * satisfaction_impact, -1));
CREATE INDEX IF NOT EXISTS signals_open_score ON signals (contacts * satisfaction_impact DESC, id,
    channel, product, process, customer, submitted_at) WHERE contacts IS NOT NULL AND state IN ('analysed', 'prioritised', 'parked', 'root-caused',
        'planned', 'approved', 'in-progress', 'implemented');
)sql";

// Version 6: the index a filtered funnel reads the finished stays of its signals through. It
// was first added to version 5 after that version had shipped, so files made in between lacked
// it and `report funnel --channel X` failed on them.
constexpr const char* k_schema_v6 = R"sql(
CREATE INDEX IF NOT EXISTS step_stays_signal ON step_stays (signal_id, step, seconds);
)sql";

// Version 7: a mail claimed in the database before it is sent. `close --send` sets `sending` with
// its claim (host/pid/random) and the time in a short transaction, sends without holding a lock,
// and records the result only under its own claim: two runs never send one mail, whatever path
// they opened the file by, and a mail the server may have accepted is never queued again
// unrecorded. The wider CHECK needs the table rebuilt, as in version 4; every column is copied.
constexpr const char* k_schema_v7 = R"sql(
CREATE TABLE feedback_v7 (
    id              INTEGER PRIMARY KEY,
    signal_id       INTEGER NOT NULL REFERENCES signals (id),
    recipient       TEXT NOT NULL COLLATE NOCASE,
    outcome         TEXT NOT NULL CHECK (outcome IN ('closed', 'rejected', 'dropped', 'duplicate',
                                                     'progress')),
    stage           TEXT NOT NULL DEFAULT '' CHECK ((outcome = 'progress') = (stage <> '')),
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    queued_at       TEXT NOT NULL,
    sent_at         TEXT,
    message_id      TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at TEXT,
    claim           TEXT CHECK ((status = 'sending') = (claim IS NOT NULL)),
    claimed_at      TEXT CHECK ((claim IS NULL) = (claimed_at IS NULL)),
    UNIQUE (signal_id, recipient, outcome, stage)
);
INSERT INTO feedback_v7 (id, signal_id, recipient, outcome, stage, status, queued_at, sent_at,
                         message_id, attempts, last_error, last_attempt_at)
SELECT id, signal_id, recipient, outcome, stage, status, queued_at, sent_at, message_id, attempts,
       last_error, last_attempt_at
FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_v7 RENAME TO feedback;
CREATE INDEX feedback_queued ON feedback (id) WHERE status = 'queued';
CREATE INDEX feedback_signal ON feedback (signal_id);
CREATE INDEX feedback_sending ON feedback (id) WHERE status = 'sending';
)sql";

// Version 8: the waiting customer. A signal may wait for an answer (`needs-info`); a new
// submitter is acknowledged and a question goes to the submitters by mail (outcomes
// `acknowledged` and `needs-info`, the question's number as the stage, its text as `detail`);
// `act --go` keeps the approved business case beside the current one. The feedback table is
// rebuilt for its wider CHECKs as in version 7; the signals table keeps its rows, see
// widen_state_check.
constexpr const char* k_schema_v8 = R"sql(
ALTER TABLE signals ADD COLUMN approved_at TEXT;
ALTER TABLE signals ADD COLUMN approved_reduction_hundredths INTEGER;
ALTER TABLE signals ADD COLUMN approved_satisfaction_hundredths INTEGER;
ALTER TABLE signals ADD COLUMN approved_savings_per_year_cents INTEGER;
ALTER TABLE signals ADD COLUMN approved_cost_cents INTEGER;

CREATE TABLE feedback_v8 (
    id              INTEGER PRIMARY KEY,
    signal_id       INTEGER NOT NULL REFERENCES signals (id),
    recipient       TEXT NOT NULL COLLATE NOCASE,
    outcome         TEXT NOT NULL CHECK (outcome IN ('closed', 'rejected', 'dropped', 'duplicate',
                                                     'progress', 'acknowledged', 'needs-info')),
    stage           TEXT NOT NULL DEFAULT ''
                    CHECK ((outcome IN ('progress', 'needs-info')) = (stage <> '')),
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    queued_at       TEXT NOT NULL,
    sent_at         TEXT,
    message_id      TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at TEXT,
    claim           TEXT CHECK ((status = 'sending') = (claim IS NOT NULL)),
    claimed_at      TEXT CHECK ((claim IS NULL) = (claimed_at IS NULL)),
    detail          TEXT NOT NULL DEFAULT '',
    UNIQUE (signal_id, recipient, outcome, stage)
);
INSERT INTO feedback_v8 (id, signal_id, recipient, outcome, stage, status, queued_at, sent_at,
                         message_id, attempts, last_error, last_attempt_at, claim, claimed_at)
SELECT id, signal_id, recipient, outcome, stage, status, queued_at, sent_at, message_id, attempts,
       last_error, last_attempt_at, claim, claimed_at
FROM feedback;
DROP TABLE feedback;
ALTER TABLE feedback_v8 RENAME TO feedback;
CREATE INDEX feedback_queued ON feedback (id) WHERE status = 'queued';
CREATE INDEX feedback_signal ON feedback (signal_id);
CREATE INDEX feedback_sending ON feedback (id) WHERE status = 'sending';
)sql";

// The state CHECK of the signals table must take `needs-info`. Rebuilding the table would
// rewrite every signal, its search index and its triggers; a CHECK that only allows one more
// value can instead be changed in the stored schema text (SQLite's documented procedure for
// changing constraints), since no stored row can break it. The ALTERs of version 8 then change
// the schema cookie, so every other connection reads the new text.
// The stored schema text made writable for `edit`, by SQLite's documented procedure for changing
// a table's constraints; RESET makes the connection read the changed text again. Should `edit`
// throw, the migration's transaction is rolled back and the connection closed.
template <typename Edit>
void edit_stored_schema(Connection& db, Edit edit) {
    db.exec("PRAGMA writable_schema = ON");
    edit();
    db.exec("PRAGMA writable_schema = RESET");
    db.exec("PRAGMA writable_schema = OFF");
}

// A migration that edits the stored schema text and does not find what it expects there: another
// program changed the file, and the migration does not guess.
[[noreturn]] void refuse_changed_signals_table(const Connection& db, std::string_view expected) {
    throw SystemFailure(fmt::format("{}: the signals table does not have {}; it was changed "
                                    "outside sileram",
                                    db.file().string(), expected));
}

constexpr const char* k_state_check_v7 = "'parked', 'dropped'))";
constexpr const char* k_state_check_v8 = "'parked', 'dropped', 'needs-info'))";
constexpr const char* k_widen_state_check = R"sql(
UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2) WHERE type = 'table' AND name = 'signals'
)sql";
constexpr const char* k_signals_schema =
    "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'signals'";

void widen_state_check(Connection& db) {
    edit_stored_schema(db, [&] {
        db.prepare(k_widen_state_check).bind_all(k_state_check_v7, k_state_check_v8).run();
    });
    Statement schema = db.prepare(k_signals_schema);
    if (!schema.step() || schema.text(0).find(k_state_check_v8) == std::string::npos) {
        refuse_changed_signals_table(db, "the state CHECK of schema version 7");
    }
}

void migrate_v8(Connection& db) {
    widen_state_check(db);
    db.exec(k_schema_v8);
}

void fill_tallies(Connection& db) {
    add_to_version_5_tallies(db, TallyMarks{});
}

// Version 9: projects of customers (`project add`), which signals and actions may name
// (`--project`); `report scope` splits them at the project's start. A name is unique ignoring
// ASCII case (NOCASE), and signals and actions refer to it as it was added.
constexpr const char* k_schema_v9 = R"sql(
CREATE TABLE projects (
    name       TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    customer   TEXT NOT NULL,
    start_day  TEXT NOT NULL,
    starts_at  TEXT NOT NULL,
    created_at TEXT NOT NULL
);
ALTER TABLE signals ADD COLUMN project TEXT REFERENCES projects (name);
ALTER TABLE actions ADD COLUMN project TEXT REFERENCES projects (name);
CREATE INDEX signals_project ON signals (project) WHERE project IS NOT NULL;
CREATE INDEX actions_project ON actions (project) WHERE project IS NOT NULL;
)sql";

// Version 10 adds the step stays to PostgreSQL, which SQLite has kept since version 3: nothing
// changes here but the number, which both databases share.
constexpr const char* k_schema_v10 = "";

// Version 11: the tallies of `report response`, `report trend` and `report recurrence`, so they
// read no history and no signal one by one. Each
// signal's first response (the first history row of a response event, domain::k_response_events),
// its wait in seconds from submission (0 for a response stamped before it), by the month and
// channel of the signal: indexed so that the report finds a percentile's rank in the index instead
// of sorting. Counted per whole day of the wait, and the signals without a response per day of
// submission, for the report's counts and its target. History rows are never changed or removed;
// signals that are deleted or change their month or channel are followed.
constexpr const char* k_schema_v11 = R"sql(
CREATE TABLE tally_responses (
    signal_id INTEGER PRIMARY KEY,
    month     TEXT NOT NULL,
    channel   TEXT NOT NULL,
    seconds   INTEGER NOT NULL
);
CREATE INDEX tally_responses_month ON tally_responses (month, seconds);
CREATE INDEX tally_responses_channel ON tally_responses (channel, seconds);
CREATE INDEX tally_responses_seconds ON tally_responses (seconds);

CREATE TABLE tally_response_days (
    month   TEXT NOT NULL,
    channel TEXT NOT NULL,
    day     INTEGER NOT NULL,
    signals INTEGER NOT NULL,
    PRIMARY KEY (month, channel, day)
) WITHOUT ROWID;

CREATE TABLE tally_unanswered (
    day     TEXT NOT NULL,
    channel TEXT NOT NULL,
    signals INTEGER NOT NULL,
    PRIMARY KEY (day, channel)
) WITHOUT ROWID;

CREATE TRIGGER tally_response_first AFTER INSERT ON history
WHEN NEW.event IN ('accept', 'reject', 'duplicate', 'needs-info')
 AND NOT EXISTS (SELECT 1 FROM tally_responses WHERE signal_id = NEW.signal_id)
BEGIN
    INSERT INTO tally_responses (signal_id, month, channel, seconds)
    SELECT id, substr(submitted_at, 1, 7), coalesce(channel, ''),
           max(0, unixepoch(NEW.at) - unixepoch(submitted_at))
    FROM signals WHERE id = NEW.signal_id;
    INSERT INTO tally_response_days (month, channel, day, signals)
    SELECT month, channel, seconds / 86400, 1 FROM tally_responses WHERE signal_id = NEW.signal_id
    ON CONFLICT DO UPDATE SET signals = signals + 1;
    UPDATE tally_unanswered SET signals = signals - 1
    WHERE (day, channel) = (SELECT substr(submitted_at, 1, 10), coalesce(channel, '')
                            FROM signals WHERE id = NEW.signal_id);
END;

CREATE TRIGGER tally_response_signal_insert AFTER INSERT ON signals
BEGIN
    INSERT INTO tally_unanswered (day, channel, signals)
    VALUES (substr(NEW.submitted_at, 1, 10), coalesce(NEW.channel, ''), 1)
    ON CONFLICT DO UPDATE SET signals = signals + 1;
END;

CREATE TRIGGER tally_response_signal_delete AFTER DELETE ON signals
BEGIN
    UPDATE tally_unanswered SET signals = signals - 1
    WHERE day = substr(OLD.submitted_at, 1, 10) AND channel = coalesce(OLD.channel, '')
      AND NOT EXISTS (SELECT 1 FROM tally_responses WHERE signal_id = OLD.id);
    UPDATE tally_response_days SET signals = signals - 1
    WHERE (month, channel, day) = (SELECT month, channel, seconds / 86400 FROM tally_responses
                                   WHERE signal_id = OLD.id);
    DELETE FROM tally_responses WHERE signal_id = OLD.id;
END;

CREATE TRIGGER tally_waits_follow_signal AFTER UPDATE OF submitted_at, channel ON signals
BEGIN
    UPDATE tally_unanswered SET signals = signals - 1
    WHERE day = substr(OLD.submitted_at, 1, 10) AND channel = coalesce(OLD.channel, '')
      AND NOT EXISTS (SELECT 1 FROM tally_responses WHERE signal_id = OLD.id);
    INSERT INTO tally_unanswered (day, channel, signals)
    SELECT substr(NEW.submitted_at, 1, 10), coalesce(NEW.channel, ''), 1
    WHERE NOT EXISTS (SELECT 1 FROM tally_responses WHERE signal_id = NEW.id)
    ON CONFLICT DO UPDATE SET signals = signals + 1;
    UPDATE tally_response_days SET signals = signals - 1
    WHERE (month, channel, day) = (SELECT month, channel, seconds / 86400 FROM tally_responses
                                   WHERE signal_id = OLD.id);
    UPDATE tally_responses SET month = substr(NEW.submitted_at, 1, 7),
        channel = coalesce(NEW.channel, ''),
        seconds = max(0, unixepoch((SELECT at FROM history WHERE signal_id = NEW.id
                                    AND event IN ('accept', 'reject', 'duplicate', 'needs-info')
                                    ORDER BY id LIMIT 1)) - unixepoch(NEW.submitted_at))
    WHERE signal_id = NEW.id;
    INSERT INTO tally_response_days (month, channel, day, signals)
    SELECT month, channel, seconds / 86400, 1 FROM tally_responses WHERE signal_id = NEW.id
    ON CONFLICT DO UPDATE SET signals = signals + 1;
    UPDATE tally_closings SET seconds = max(0, unixepoch((SELECT at FROM history
                                                          WHERE id = history_id))
                                              - unixepoch(NEW.submitted_at))
    WHERE signal_id = NEW.id AND OLD.submitted_at IS NOT NEW.submitted_at;
END;

-- `report trend` per month: the first quality-check verdict of each signal (by its time), each
-- history row that brings a signal into `closed` with the seconds since its submission (0 for a
-- close stamped before it), and the realised savings of each signal's latest measurement (its
-- row of tally_effect) in the month of that measurement, with the number of such signals.
ALTER TABLE tally_months ADD COLUMN verdicts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tally_months ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tally_months ADD COLUMN measured INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tally_months ADD COLUMN saved_cents INTEGER NOT NULL DEFAULT 0;

CREATE TABLE tally_verdicts (
    signal_id INTEGER PRIMARY KEY,
    at        TEXT NOT NULL
);

CREATE TABLE tally_closings (
    history_id INTEGER PRIMARY KEY,
    signal_id  INTEGER NOT NULL,
    month      TEXT NOT NULL,
    seconds    INTEGER NOT NULL
);
CREATE INDEX tally_closings_month ON tally_closings (month, seconds);
CREATE INDEX tally_closings_seconds ON tally_closings (seconds, month);

CREATE TABLE tally_saved (
    signal_id   INTEGER PRIMARY KEY,
    month       TEXT NOT NULL,
    saved_cents INTEGER NOT NULL
);

-- A verdict before the one counted so far moves the signal to its month.
CREATE TRIGGER tally_verdict_insert AFTER INSERT ON history
WHEN NEW.event IN ('accept', 'reject', 'duplicate')
BEGIN
    UPDATE tally_months SET verdicts = verdicts - 1
    WHERE month = (SELECT substr(at, 1, 7) FROM tally_verdicts
                   WHERE signal_id = NEW.signal_id AND at > NEW.at);
    INSERT INTO tally_months (month, verdicts)
    SELECT substr(NEW.at, 1, 7), 1
    WHERE NOT EXISTS (SELECT 1 FROM tally_verdicts WHERE signal_id = NEW.signal_id
                      AND at <= NEW.at)
    ON CONFLICT (month) DO UPDATE SET verdicts = verdicts + 1;
    INSERT INTO tally_verdicts (signal_id, at) VALUES (NEW.signal_id, NEW.at)
    ON CONFLICT (signal_id) DO UPDATE SET at = excluded.at WHERE excluded.at < at;
END;

CREATE TRIGGER tally_closing_insert AFTER INSERT ON history
WHEN NEW.to_state = 'closed' AND coalesce(NEW.from_state, '') <> 'closed'
BEGIN
    INSERT INTO tally_closings (history_id, signal_id, month, seconds)
    SELECT NEW.id, NEW.signal_id, substr(NEW.at, 1, 7),
           max(0, unixepoch(NEW.at) - unixepoch(submitted_at))
    FROM signals WHERE id = NEW.signal_id;
    INSERT INTO tally_months (month, closed) VALUES (substr(NEW.at, 1, 7), 1)
    ON CONFLICT (month) DO UPDATE SET closed = closed + 1;
END;

CREATE TRIGGER tally_saved_insert AFTER INSERT ON tally_effect
BEGIN
    INSERT INTO tally_saved (signal_id, month, saved_cents)
    SELECT NEW.signal_id, substr(measured_at, 1, 7), coalesce(NEW.saved_cents, 0)
    FROM measurements WHERE id = NEW.measurement_id;
    INSERT INTO tally_months (month, measured, saved_cents)
    SELECT month, 1, saved_cents FROM tally_saved WHERE signal_id = NEW.signal_id
    ON CONFLICT (month) DO UPDATE SET measured = measured + 1,
        saved_cents = saved_cents + excluded.saved_cents;
END;

CREATE TRIGGER tally_saved_delete AFTER DELETE ON tally_effect
BEGIN
    UPDATE tally_months SET measured = measured - 1,
        saved_cents = saved_cents - (SELECT saved_cents FROM tally_saved
                                     WHERE signal_id = OLD.signal_id)
    WHERE month = (SELECT month FROM tally_saved WHERE signal_id = OLD.signal_id);
    DELETE FROM tally_saved WHERE signal_id = OLD.signal_id;
END;

-- `report recurrence`: per process, the closed signals whose root cause can recur (closed, with
-- a root cause and a measurement: domain::can_recur).
CREATE TABLE tally_recurrable (
    process TEXT NOT NULL PRIMARY KEY,
    signals INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER tally_recurrable_signal AFTER UPDATE OF state, process ON signals
WHEN (OLD.state = 'closed' OR NEW.state = 'closed')
 AND EXISTS (SELECT 1 FROM root_causes WHERE signal_id = NEW.id)
 AND EXISTS (SELECT 1 FROM measurements WHERE signal_id = NEW.id)
BEGIN
    UPDATE tally_recurrable SET signals = signals - 1
    WHERE OLD.state = 'closed' AND process = coalesce(OLD.process, '');
    INSERT INTO tally_recurrable (process, signals)
    SELECT coalesce(NEW.process, ''), 1 WHERE NEW.state = 'closed'
    ON CONFLICT (process) DO UPDATE SET signals = signals + 1;
END;

CREATE TRIGGER tally_recurrable_signal_delete AFTER DELETE ON signals
WHEN OLD.state = 'closed' AND EXISTS (SELECT 1 FROM root_causes WHERE signal_id = OLD.id)
 AND EXISTS (SELECT 1 FROM measurements WHERE signal_id = OLD.id)
BEGIN
    UPDATE tally_recurrable SET signals = signals - 1 WHERE process = coalesce(OLD.process, '');
END;

-- A root cause or measurement counts when it is the signal's first; one removed, when it was
-- the last. Moved to another signal, it is both.
CREATE TRIGGER tally_recurrable_cause_insert AFTER INSERT ON root_causes
WHEN (SELECT state FROM signals WHERE id = NEW.signal_id) = 'closed'
 AND EXISTS (SELECT 1 FROM measurements WHERE signal_id = NEW.signal_id)
 AND (SELECT count(*) FROM root_causes WHERE signal_id = NEW.signal_id) = 1
BEGIN
    INSERT INTO tally_recurrable (process, signals)
    SELECT coalesce(process, ''), 1 FROM signals WHERE id = NEW.signal_id
    ON CONFLICT (process) DO UPDATE SET signals = signals + 1;
END;

CREATE TRIGGER tally_recurrable_cause_delete AFTER DELETE ON root_causes
WHEN (SELECT state FROM signals WHERE id = OLD.signal_id) = 'closed'
 AND EXISTS (SELECT 1 FROM measurements WHERE signal_id = OLD.signal_id)
 AND NOT EXISTS (SELECT 1 FROM root_causes WHERE signal_id = OLD.signal_id)
BEGIN
    UPDATE tally_recurrable SET signals = signals - 1
    WHERE process = (SELECT coalesce(process, '') FROM signals WHERE id = OLD.signal_id);
END;

CREATE TRIGGER tally_recurrable_cause_move AFTER UPDATE OF signal_id ON root_causes
WHEN OLD.signal_id IS NOT NEW.signal_id
BEGIN
    UPDATE tally_recurrable SET signals = signals - 1
    WHERE process = (SELECT coalesce(process, '') FROM signals WHERE id = OLD.signal_id
                     AND state = 'closed')
      AND EXISTS (SELECT 1 FROM measurements WHERE signal_id = OLD.signal_id)
      AND NOT EXISTS (SELECT 1 FROM root_causes WHERE signal_id = OLD.signal_id);
    INSERT INTO tally_recurrable (process, signals)
    SELECT coalesce(process, ''), 1 FROM signals WHERE id = NEW.signal_id AND state = 'closed'
      AND EXISTS (SELECT 1 FROM measurements WHERE signal_id = NEW.signal_id)
      AND (SELECT count(*) FROM root_causes WHERE signal_id = NEW.signal_id) = 1
    ON CONFLICT (process) DO UPDATE SET signals = signals + 1;
END;

CREATE TRIGGER tally_recurrable_measurement_insert AFTER INSERT ON measurements
WHEN (SELECT state FROM signals WHERE id = NEW.signal_id) = 'closed'
 AND EXISTS (SELECT 1 FROM root_causes WHERE signal_id = NEW.signal_id)
 AND (SELECT count(*) FROM measurements WHERE signal_id = NEW.signal_id) = 1
BEGIN
    INSERT INTO tally_recurrable (process, signals)
    SELECT coalesce(process, ''), 1 FROM signals WHERE id = NEW.signal_id
    ON CONFLICT (process) DO UPDATE SET signals = signals + 1;
END;

CREATE TRIGGER tally_recurrable_measurement_delete AFTER DELETE ON measurements
WHEN (SELECT state FROM signals WHERE id = OLD.signal_id) = 'closed'
 AND EXISTS (SELECT 1 FROM root_causes WHERE signal_id = OLD.signal_id)
 AND NOT EXISTS (SELECT 1 FROM measurements WHERE signal_id = OLD.signal_id)
BEGIN
    UPDATE tally_recurrable SET signals = signals - 1
    WHERE process = (SELECT coalesce(process, '') FROM signals WHERE id = OLD.signal_id);
END;

CREATE TRIGGER tally_recurrable_measurement_move AFTER UPDATE OF signal_id ON measurements
WHEN OLD.signal_id IS NOT NEW.signal_id
BEGIN
    UPDATE tally_recurrable SET signals = signals - 1
    WHERE process = (SELECT coalesce(process, '') FROM signals WHERE id = OLD.signal_id
                     AND state = 'closed')
      AND EXISTS (SELECT 1 FROM root_causes WHERE signal_id = OLD.signal_id)
      AND NOT EXISTS (SELECT 1 FROM measurements WHERE signal_id = OLD.signal_id);
    INSERT INTO tally_recurrable (process, signals)
    SELECT coalesce(process, ''), 1 FROM signals WHERE id = NEW.signal_id AND state = 'closed'
      AND EXISTS (SELECT 1 FROM root_causes WHERE signal_id = NEW.signal_id)
      AND (SELECT count(*) FROM measurements WHERE signal_id = NEW.signal_id) = 1
    ON CONFLICT (process) DO UPDATE SET signals = signals + 1;
END;

-- `report effect`: the signals with an approved business case, few beside all measured ones.
CREATE INDEX signals_approved ON signals (approved_savings_per_year_cents)
    WHERE approved_savings_per_year_cents IS NOT NULL;
-- `report overdue` and `list --late`: a parked signal's latest park decision and its review day.
CREATE INDEX decisions_park ON decisions (signal_id, id, until) WHERE verdict = 'park';

CREATE TRIGGER tally_saved_update AFTER UPDATE OF saved_cents ON tally_effect
WHEN OLD.saved_cents IS NOT NEW.saved_cents
BEGIN
    UPDATE tally_months
    SET saved_cents = saved_cents - coalesce(OLD.saved_cents, 0) + coalesce(NEW.saved_cents, 0)
    WHERE month = (SELECT month FROM tally_saved WHERE signal_id = NEW.signal_id);
    UPDATE tally_saved SET saved_cents = coalesce(NEW.saved_cents, 0)
    WHERE signal_id = NEW.signal_id;
END;
)sql";

void fill_wait_tallies(Connection& db) {
    add_to_wait_tallies(db, TallyMarks{});
}

// Version 18: the unique index on signals.external_id gets a name. Made by the column's UNIQUE,
// it was SQLite's own index (sqlite_autoindex_signals_1), which nothing can drop; named, a first
// import leaves it out while its rows go in and builds it after them (see bulk_insert.cpp),
// which took 0.4-2.2 s off the rows of an import of 1,000,000 complaints. The index stays
// the same B-tree (the column's values and the rowid, unique, in the same order): only the stored
// schema text changes, by SQLite's documented procedure for changing a table's constraints, and
// the schema version goes up by one, so that every other connection reads the new text.
constexpr const char* k_unique_column_v17 = "external_id                      TEXT UNIQUE,";
constexpr const char* k_plain_column_v18 = "external_id                      TEXT,";
constexpr const char* k_drop_unique_column = R"sql(
UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2)
WHERE type = 'table' AND name = 'signals' AND instr(sql, ?1) > 0
)sql";
constexpr const char* k_name_external_id_index = R"sql(
UPDATE sqlite_schema
SET name = 'signals_external_id',
    sql = 'CREATE UNIQUE INDEX signals_external_id ON signals (external_id)'
WHERE type = 'index' AND name = 'sqlite_autoindex_signals_1' AND tbl_name = 'signals'
  AND sql IS NULL
)sql";
constexpr const char* k_autoindex_columns =
    "SELECT group_concat(name) FROM pragma_index_info('sqlite_autoindex_signals_1')";

constexpr const char* k_has_named_index = "SELECT count(*) FROM sqlite_schema WHERE type = "
                                          "'index' AND name = 'signals_external_id'";

void name_external_id_index(Connection& db) {
    // A file taken back to an earlier version by hand (the benchmark's databases are) may have
    // the named index already; later versions' steps run again over their work in the same way.
    Statement named = db.prepare(k_has_named_index);
    named.step();
    if (named.integer(0) == 1) {
        return;
    }
    // The index must be the column's and nothing else, or the new text would not describe it.
    Statement columns = db.prepare(k_autoindex_columns);
    if (!columns.step() || columns.optional_text(0) != "external_id") {
        refuse_changed_signals_table(db, "the unique external_id of schema version 17");
    }
    Statement version = db.prepare("PRAGMA schema_version");
    version.step();
    const std::int64_t cookie = version.integer(0);
    version.reset();
    int tables = 0;
    int indexes = 0;
    edit_stored_schema(db, [&] {
        db.prepare(k_drop_unique_column).bind_all(k_unique_column_v17, k_plain_column_v18).run();
        tables = db.changes();
        db.prepare(k_name_external_id_index).run();
        indexes = db.changes();
        db.exec(fmt::format("PRAGMA schema_version = {}", cookie + 1));
    });
    if (tables != 1 || indexes != 1) {
        refuse_changed_signals_table(db, "the text of schema version 17");
    }
}

constexpr Migration k_migrations[] = {
    {1, k_schema_v1},
    {2, k_schema_v2},
    {3, k_schema_v3, fill_step_stays},
    {4, k_schema_v4},
    {5, k_schema_v5, fill_tallies},
    {6, k_schema_v6},
    {7, k_schema_v7},
    {8, "", migrate_v8},
    {9, k_schema_v9},
    {10, k_schema_v10},
    {11, k_schema_v11, fill_wait_tallies},
    {12, ""}, // PostgreSQL's tallies of the signals (SQLite's of version 5); nothing here
    {13, ""}, // PostgreSQL's tallies of report overdue (SQLite's of version 5); nothing here
    {14, ""}, // PostgreSQL: the tally triggers planned only where a write touches; nothing here
    {15, ""}, // PostgreSQL's tallies of late signals and silent submitters; nothing here
    {16, ""}, // PostgreSQL: ascii_lower by lower() in the collation "C"; nothing here
    {17, ""}, // PostgreSQL: a submit's tallies written by the store, not its triggers; nothing here
    {18, "", name_external_id_index},
};

int newest_version() {
    return std::end(k_migrations)[-1].version;
}

void refuse_newer(const Connection& db, int version) {
    throw Refused(fmt::format("{} has schema version {}, written by a newer sileram; this one "
                              "knows up to version {}. Upgrade sileram to use it.",
                              db.file().string(), version, newest_version()));
}

} // namespace

void fill_step_stays(Connection& db) {
    db.exec(k_fill_step_stays);
}

std::span<const Migration> migrations() {
    return k_migrations;
}

int schema_version(Connection& db) {
    Statement& query = db.cached("PRAGMA user_version");
    query.step();
    const auto version = static_cast<int>(query.integer(0));
    query.reset();
    return version;
}

void require_readable(Connection& db) {
    const int version = schema_version(db);
    if (version > newest_version()) {
        refuse_newer(db, version);
    }
}

void migrate(Connection& db) {
    if (schema_version(db) == newest_version()) {
        return;
    }
    db.exec("BEGIN IMMEDIATE");
    try {
        // Read again under the write lock: another process may have migrated meanwhile.
        const int version = schema_version(db);
        if (version > newest_version()) {
            refuse_newer(db, version);
        }
        if (version == 0) {
            Statement tables =
                db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
            if (tables.step() && tables.integer(0) > 0) {
                throw Refused(fmt::format("{} holds tables but no sileram schema; it is not a "
                                          "sileram database. Give another file with --db.",
                                          db.file().string()));
            }
        }
        for (const Migration& m : k_migrations) {
            if (m.version > version) {
                db.exec(m.sql);
                if (m.then != nullptr) {
                    m.then(db);
                }
                db.exec(fmt::format("PRAGMA user_version = {}", m.version));
            }
        }
        db.exec("COMMIT");
    } catch (...) {
        // SQLite has rolled back by itself after a full disk or an I/O error; a ROLLBACK then
        // fails, and its error must not replace the one that tells what went wrong.
        if (sqlite3_get_autocommit(db.handle()) == 0) {
            try {
                db.exec("ROLLBACK");
            } catch (...) {
                // The first error is the one to report; the file is rolled back when closed.
            }
        }
        throw;
    }
}

} // namespace sileram::storage::sqlite
