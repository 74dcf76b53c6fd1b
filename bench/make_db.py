#!/usr/bin/env python3
"""Creates a benchmark database of N signals spread along the ten steps.

Usage: make_db.py PATH/TO/sileram DB_FILE [N] [--now ISO]

`sileram init --db DB_FILE` creates the schema; this script then fills every table in bulk with
Python's sqlite3 module, as sileram itself would have written it: signals at every state in
realistic shares (most still early in the process, a third closed), impact figures, decisions,
root causes, actions (some overdue), measurements, feedback, a history row per transition with
its time, the step stays the history trigger keeps, and a customers table with revenues. Indexes
and the trigger are dropped during the load and created again from their own SQL afterwards, so
the schema is exactly sileram's. Deterministic: the same N gives the same database.

Beyond 100,000 signals (BASE) Python writes the first 100,000 only, and SQL copies them
(INSERT ... SELECT, ids shifted by 100,000 per copy, with their history, step stays, actions,
measurements and the rest) until there are N: 1,000,000 signals take a couple of minutes. The
report tallies (tables `tally_*`, kept by triggers) are then dropped and the schema version set
back to the one before them, so that the next sileram command runs the migration that fills them
from the data.
"""
import datetime as dt
import os
import random
import sqlite3
import subprocess
import sys

NOW = dt.datetime(2026, 11, 23, 12, 0, 0)
SPAN_DAYS = 730
BASE = 100_000

CHANNELS = ["phone", "email", "chat", "letter", "social"]
PROCESSES = ["ordering", "delivery", "billing", "support", "cancellation"]
PRODUCTS = [f"product {i:02d}" for i in range(1, 31)]
WORDS = ("factuur onduidelijk levering te laat wachttijd klantenservice btw-regel app crasht "
         "wachtwoord vergeten opzegging lukt niet pakket beschadigd bezorger kwam niet "
         "dubbele afschrijving privacy één café über naïef storing monteur afspraak").split()

# Final state and its share of the signals.
FINAL = [
    ("submitted", 8), ("accepted", 5), ("rejected", 4), ("duplicate", 2), ("analysed", 9),
    ("parked", 3), ("dropped4", 3), ("prioritised", 5), ("root-caused", 4), ("planned", 4),
    ("dropped7", 1), ("approved", 3), ("in-progress", 6), ("implemented", 3), ("measured", 6),
    ("closed-main", 26), ("closed-off", 8),
]
MAIN = ["submitted", "accepted", "analysed", "prioritised", "root-caused", "planned", "approved",
        "in-progress", "implemented", "measured", "closed"]
STEP = {"submitted": 1, "accepted": 2, "rejected": 2, "duplicate": 2, "analysed": 3,
        "prioritised": 4, "parked": 4, "root-caused": 5, "planned": 6, "approved": 7,
        "in-progress": 8, "implemented": 8, "measured": 9, "closed": 10}
EVENT = {"accepted": "accept", "rejected": "reject", "duplicate": "duplicate",
         "analysed": "analyse", "prioritised": "prioritise", "parked": "park",
         "dropped": "drop", "root-caused": "root-cause", "planned": "plan",
         "approved": "approve", "in-progress": "progress", "implemented": "finish",
         "measured": "measure", "closed": "close"}


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def path_for(final, rnd):
    """The states a signal passes, in order, ending at its final state."""
    if final == "closed-main":
        return MAIN
    if final == "closed-off":
        kind = rnd.choice(["rejected", "duplicate", "dropped4", "dropped7"])
        return path_for(kind, rnd) + ["closed"]
    if final in ("rejected", "duplicate"):
        return ["submitted", final]
    if final == "parked":
        return MAIN[:3] + ["parked"]
    if final == "dropped4":
        return MAIN[:3] + ["dropped"]
    if final == "dropped7":
        return MAIN[:6] + ["dropped"]
    return MAIN[:MAIN.index(final) + 1]


def copy_signals(con, offset, count):
    """Copies signals 1..count, and every row that belongs to them, as signals offset+1.."""
    for table in ("signals", "signal_fields", "submitters", "decisions", "root_causes",
                  "root_cause_items", "actions", "measurements", "feedback", "history",
                  "step_stays"):
        columns = [(r[1], r[5]) for r in con.execute(f"PRAGMA table_info({table})")]
        names, values = [], []
        for name, primary in columns:
            key = "id" if table == "signals" else "signal_id"
            if name == key:
                value = f"{name} + {offset}"
            elif name == "id" and primary:
                continue  # a fresh rowid, in the same order
            elif name == "external_id":
                value = f"'ext-' || (id + {offset})"
            elif name == "duplicate_of":
                value = f"duplicate_of + {offset}"
            elif name == "message_id":
                value = f"'<' || (signal_id + {offset}) || substr(message_id, instr(message_id, '.'))"
            else:
                value = name
            names.append(name)
            values.append(value)
        key = "id" if table == "signals" else "signal_id"
        order = "id" if any(n == "id" and p for n, p in columns) else "rowid"
        if table in ("signal_fields", "root_cause_items"):
            order = key
        con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} "
                    f"FROM {table} WHERE {key} <= {count} ORDER BY {order}")


TALLIES_VERSION = 5


def retally(binary, db):
    """Drops the report tallies so that sileram's migration fills them from the data."""
    con = sqlite3.connect(db, isolation_level=None)
    objects = con.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'tally%' "
                          "AND type IN ('table', 'trigger', 'view')").fetchall()
    if not objects:
        return
    for order in ("trigger", "view", "table"):
        for kind, name in objects:
            if kind == order:
                con.execute(f'DROP {kind.upper()} "{name}"')
    # Schema version 5 made the tallies; it and the versions after it run again (their indexes
    # are created only if missing).
    # Version 11 adds two indexes (besides its tallies): one of them is on a column of version 8.
    for index in ("signals_approved", "decisions_park"):
        con.execute(f"DROP INDEX IF EXISTS {index}")
    # Version 8 adds the approved case's columns (empty here): drop them so that it can add them.
    for column in ("approved_at", "approved_reduction_hundredths",
                   "approved_satisfaction_hundredths", "approved_savings_per_year_cents",
                   "approved_cost_cents"):
        con.execute(f"ALTER TABLE signals DROP COLUMN {column}")
    # Version 9 adds the projects (none here) and a project column to signals and actions.
    for index in ("signals_project", "actions_project"):
        con.execute(f"DROP INDEX {index}")
    for table in ("signals", "actions"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN project")
    con.execute("DROP TABLE projects")
    con.execute(f"PRAGMA user_version = {TALLIES_VERSION - 1}")
    con.close()
    subprocess.run([binary, "--db", db, "list", "--limit", "1"], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, SILERAM_NOW=iso(NOW)))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    binary, db = args[0], args[1]
    n = int(args[2]) if len(args) > 2 else 1_000_000
    rnd = random.Random(42)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    subprocess.run([binary, "init", "--db", db], check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, SILERAM_NOW=iso(NOW)))

    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -200000")
    objects = con.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN "
                          "('index', 'trigger') AND sql IS NOT NULL").fetchall()
    for kind, name, _ in objects:
        con.execute(f'DROP {kind.upper()} "{name}"')

    customers = [f"Klant {i:05d} BV" for i in range(1, max(50, n // 50) + 1)]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(customers))]
    finals = [f for f, _ in FINAL]
    final_weights = [w for _, w in FINAL]
    submitters_pool = [f"medewerker{i}@example.nl" for i in range(max(20, n // 200))]

    signals, fields, subs, decisions, roots, items, actions = [], [], [], [], [], [], []
    measures, feedback, history, stays = [], [], [], []
    con.execute("BEGIN")

    def flush():
        con.executemany("INSERT INTO signals (id, title, description, state, step, submitted_by, "
                        "submitted_at, updated_at, external_id, channel, product, process, customer, "
                        "triage_reason, duplicate_of, contacts, satisfaction_impact, "
                        "cost_per_contact_cents, satisfaction_hundredths, "
                        "expected_reduction_hundredths, expected_satisfaction_hundredths, "
                        "closing_summary) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        signals)
        con.executemany("INSERT INTO signal_fields VALUES (?,?,?)", fields)
        con.executemany("INSERT INTO submitters (signal_id, email, joined_at, via) VALUES (?,?,?,?)",
                        subs)
        con.executemany("INSERT INTO decisions (signal_id, gate, verdict, reason, until, decided_by,"
                        " decided_at) VALUES (?,?,?,?,?,?,?)", decisions)
        con.executemany("INSERT INTO root_causes VALUES (?,?,?,?,?,?,?,?)", roots)
        con.executemany("INSERT INTO root_cause_items VALUES (?,?,?,?)", items)
        con.executemany("INSERT INTO actions (signal_id, number, parent_number, title, owner, due,"
                        " cost_cents, status, progress, created_at, done_at)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?)", actions)
        con.executemany("INSERT INTO measurements (signal_id, contacts, satisfaction_hundredths,"
                        " note, measured_by, measured_at) VALUES (?,?,?,?,?,?)", measures)
        con.executemany("INSERT INTO feedback (signal_id, recipient, outcome, status, queued_at,"
                        " sent_at, message_id, attempts) VALUES (?,?,?,?,?,?,?,?)", feedback)
        con.executemany("INSERT INTO history (signal_id, at, by, event, from_state, to_state,"
                        " detail) VALUES (?,?,?,?,?,?,?)", history)
        con.executemany("INSERT INTO step_stays (signal_id, step, entered_at, left_at, seconds)"
                        " VALUES (?,?,?,?,?)", stays)
        for rows in (signals, fields, subs, decisions, roots, items, actions, measures, feedback,
                     history, stays):
            rows.clear()

    for sid in range(1, min(n, BASE) + 1):
        final = rnd.choices(finals, final_weights)[0]
        states = path_for(final, rnd)
        # Later states need older signals: a closed signal went through months of work.
        age_days = rnd.uniform(1, SPAN_DAYS) if len(states) < 4 else rnd.uniform(30, SPAN_DAYS)
        submitted = NOW - dt.timedelta(days=age_days, seconds=rnd.randrange(86400))
        gap = dt.timedelta(days=age_days) / (len(states) + 1)
        times = [submitted]
        for _ in states[1:]:
            times.append(times[-1] + gap * rnd.uniform(0.3, 1.7))
        times = [min(t, NOW) for t in times]
        state = "closed" if states[-1] == "closed" else states[-1]
        step = STEP.get(state, 0)
        if state == "dropped":
            step = 7 if "planned" in states else 4
        title = " ".join(rnd.choices(WORDS, k=rnd.randint(3, 8))).capitalize()
        desc = " ".join(rnd.choices(WORDS, k=rnd.randint(10, 30)))
        by = rnd.choice(submitters_pool)
        customer = None
        if rnd.random() < 0.7:
            customer = rnd.choices(customers, weights)[0]
            if rnd.random() < 0.05:
                customer = customer.upper()  # typed differently: matched ignoring case
        analysed = "analysed" in states
        contacts = rnd.choice([20, 50, 120, 300, 800, 1500, 4000, 12000]) if analysed else None
        sat_impact = rnd.randint(1, 5) if analysed else None
        cpc = rnd.choice([500, 1000, 1500, 2500]) if analysed else None
        sat = rnd.randint(50, 80) * 10 if analysed else None
        planned = "planned" in states
        reduction = rnd.choice([1000, 2500, 4000, 6000]) if planned else None
        signals.append((sid, title, desc, state, step, by, iso(submitted), iso(times[-1]),
                        f"ext-{sid}", rnd.choice(CHANNELS), rnd.choice(PRODUCTS),
                        rnd.choice(PROCESSES), customer,
                        "geen klantsignaal" if "rejected" in states else None,
                        max(1, sid - 1) if "duplicate" in states and sid > 1 else None,
                        contacts, sat_impact, cpc, sat, reduction,
                        50 if planned else None,
                        "afgerond" if state == "closed" else None))
        if rnd.random() < 0.1:
            fields.append((sid, "region", rnd.choice(["noord", "oost", "zuid", "west"])))
        emails = [by]
        subs.append((sid, by, iso(submitted), "submit"))
        if rnd.random() < 0.05:
            other = rnd.choice(submitters_pool)
            if other != by:
                emails.append(other)
                subs.append((sid, other, iso(times[min(1, len(times) - 1)]), "join"))
        actor = "teamlead"
        previous = None
        stay_start, stay_step = None, None
        for i, (st, at) in enumerate(zip(states, times)):
            event = "submit" if i == 0 else EVENT[st]
            history.append((sid, iso(at), actor if i else by, event, previous, st, ""))
            st_step = STEP.get(st, 7 if (st == "dropped" and "planned" in states) else 4)
            if st_step != stay_step:
                if stay_start is not None:
                    stays.append((sid, stay_step, iso(stay_start), iso(at),
                                  int((at - stay_start).total_seconds())))
                stay_start, stay_step = at, st_step
            previous = st
            if st in ("prioritised", "parked") or (st == "dropped" and "planned" not in states):
                verdict = {"prioritised": "go", "parked": "park", "dropped": "drop"}[st]
                decisions.append((sid, "prioritise", verdict, "", None, actor, iso(at)))
            if st == "approved" or (st == "dropped" and "planned" in states):
                decisions.append((sid, "go-no-go", "go" if st == "approved" else "drop", "",
                                  None, actor, iso(at)))
            if st == "root-caused":
                roots.append((sid, "oorzaak " + title, "", "", "5x waarom", "", actor, iso(at)))
                items.append((sid, "why", 1, "omdat"))
            if st == "measured":
                after = int(contacts * rnd.uniform(0.3, 1.05))
                measures.append((sid, after, sat + rnd.randint(-5, 10) * 10, "", actor, iso(at)))
        stays.append((sid, stay_step, iso(stay_start), None, None))
        if planned:
            done_states = ("implemented", "measured", "closed")
            plan_at = times[states.index("planned")]
            for number in range(1, rnd.randint(1, 3) + 1):
                due = (plan_at + dt.timedelta(days=rnd.randint(10, 120))).date().isoformat()
                if state in done_states:
                    status, progress, done_at = "done", 100, iso(times[-1])
                elif state == "in-progress":
                    status = rnd.choice(["in-progress", "done", "planned"])
                    progress = {"done": 100, "in-progress": rnd.randint(10, 90), "planned": 0}[status]
                    done_at = iso(times[-1]) if status == "done" else None
                else:
                    status, progress, done_at = "planned", 0, None
                actions.append((sid, number, None, f"Actie {number} voor {sid}", "team-" +
                                rnd.choice(PROCESSES), due, rnd.choice([50000, 200000, 1500000]),
                                status, progress, iso(plan_at), done_at))
        if state == "closed":
            outcome = {"rejected": "rejected", "duplicate": "duplicate", "dropped": "dropped"}.get(
                states[-2], "closed")
            for email in emails:
                feedback.append((sid, email, outcome, "sent", iso(times[-1]), iso(times[-1]),
                                 f"<{sid}.{email}@sileram>", 1))
        if len(history) > 200_000:
            flush()
    flush()
    cust_rows = []
    for i, name in enumerate(customers):
        if rnd.random() < 0.9:
            revenue = int(rnd.lognormvariate(14, 1.5)) * 100
            cust_rows.append((name, revenue, rnd.choice(["smb", "enterprise", "public"]),
                              iso(NOW)))
    con.executemany("INSERT INTO customers VALUES (?,?,?,?)", cust_rows)
    for start in range(BASE, n, BASE):
        copy_signals(con, start, min(BASE, n - start))
    con.execute("COMMIT")
    for kind, name, sql in objects:
        con.execute(sql)
    con.execute("PRAGMA journal_mode = WAL")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("signals", "history", "step_stays", "actions", "measurements",
                        "customers", "submitters", "feedback")}
    con.close()
    retally(binary, db)
    size = os.path.getsize(db) / 1e6
    print(f"{db}: {size:.0f} MB; " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
