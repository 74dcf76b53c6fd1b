#include "migrations.hpp"

#include "sileram/errors.hpp"

#include <fmt/format.h>

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

constexpr Migration k_migrations[] = {
    {1, k_schema_v1},
    {2, k_schema_v2},
    {4, k_schema_v4},
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
                db.exec(fmt::format("PRAGMA user_version = {}", m.version));
            }
        }
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

} // namespace sileram::storage::sqlite
