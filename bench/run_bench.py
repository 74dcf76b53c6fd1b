#!/usr/bin/env python3
"""Times every `sileram report` and `list` against the equivalent hand-written query run by the
sqlite3 shell, on a generated database, and prints the figures and the ratios. It also checks
sileram's figures (its --json output) against what the same hand-written queries return, and
exits 1 when any differ: the timings compare equal work only if the answers are equal.

Usage: run_bench.py PATH/TO/sileram [N] [--db EXISTING_DB] [--runs R]

Without --db it creates a database of N signals (default 20,000) with make_db.py in a temporary
folder. Each command runs R times (default 3) as a fresh process, both for sileram and for
`sqlite3 -readonly`, and the best wall time counts (process start included on both sides). The
targets (1M signals): each report <= 300 ms, `report all` <= 1 s as text and as a page, list <=
50 ms. The timings are printed, not
asserted (they depend on the machine); the figures are asserted.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

NOW = "2026-11-23T12:00:00Z"
OPEN = ("('analysed','prioritised','parked','root-caused','planned','approved','in-progress',"
        "'implemented')")
SUMS = ("count(*), sum(contacts), sum(contacts*satisfaction_impact), "
        "sum(contacts*cost_per_contact_cents)")

# The same work each report does, written by hand for the sqlite3 shell.
HAND = {
    "impact": f"""
SELECT contacts >= 1000, satisfaction_impact >= 3, {SUMS} FROM signals
 WHERE contacts IS NOT NULL AND state IN {OPEN} GROUP BY 1, 2;
SELECT id, title, state, contacts, satisfaction_impact FROM signals
 WHERE contacts IS NOT NULL AND state IN {OPEN}
 ORDER BY contacts * satisfaction_impact DESC, id LIMIT 20;""",
    "impact --by process": f"""
SELECT contacts >= 1000, satisfaction_impact >= 3, {SUMS} FROM signals
 WHERE contacts IS NOT NULL AND state IN {OPEN} GROUP BY 1, 2;
SELECT process, {SUMS} FROM signals WHERE contacts IS NOT NULL AND state IN {OPEN}
 GROUP BY process;
SELECT id, title, state, contacts, satisfaction_impact FROM signals
 WHERE contacts IS NOT NULL AND state IN {OPEN}
 ORDER BY contacts * satisfaction_impact DESC, id LIMIT 20;""",
    "funnel": """
SELECT state, step, count(*) FROM signals GROUP BY 1, 2;
SELECT step, count(*), max(seconds) FROM step_stays WHERE seconds IS NOT NULL GROUP BY step;
SELECT step, count(*), min(entered_at), signal_id FROM step_stays WHERE left_at IS NULL
 GROUP BY step;
SELECT substr(submitted_at, 1, 7), count(*) FROM signals
 WHERE submitted_at >= '2025-11-01' GROUP BY 1;
SELECT substr(entered_at, 1, 7), count(*) FROM step_stays WHERE step = 10
 AND entered_at >= '2025-11-01' GROUP BY 1;""",
    "effect": """
WITH latest AS (SELECT signal_id, max(id) AS id FROM measurements GROUP BY signal_id)
SELECT count(*), sum(s.contacts - m.contacts),
       sum((s.contacts - m.contacts) * s.cost_per_contact_cents),
       sum((s.contacts * s.cost_per_contact_cents * 12 * s.expected_reduction_hundredths + 5000)
           / 10000),
       sum((SELECT sum(cost_cents) FROM actions a WHERE a.signal_id = s.id
            AND a.status <> 'cancelled'))
FROM latest JOIN measurements m ON m.id = latest.id JOIN signals s ON s.id = latest.signal_id;
WITH latest AS (SELECT signal_id, max(id) AS id FROM measurements GROUP BY signal_id)
SELECT s.id, s.title, s.contacts, m.contacts FROM latest
 JOIN measurements m ON m.id = latest.id JOIN signals s ON s.id = latest.signal_id
 ORDER BY (s.contacts - m.contacts) * s.cost_per_contact_cents DESC LIMIT 20;""",
    "fields": f"""
SELECT count(*) FROM signals;
SELECT channel, {SUMS} FROM signals GROUP BY channel ORDER BY 2 DESC;
SELECT product, {SUMS} FROM signals GROUP BY product ORDER BY 2 DESC;
SELECT process, {SUMS} FROM signals GROUP BY process ORDER BY 2 DESC;
SELECT min(customer), {SUMS} FROM signals WHERE customer IS NOT NULL
 GROUP BY customer COLLATE NOCASE ORDER BY 2 DESC;""",
    "customers": """
SELECT g.*, c.revenue_cents FROM (
  SELECT min(customer) AS name, count(*), sum(contacts),
         sum(submitted_at >= '2026-08-25'),
         sum(submitted_at >= '2026-08-25' AND contacts * satisfaction_impact >= 5000)
  FROM signals WHERE customer IS NOT NULL GROUP BY customer COLLATE NOCASE) g
LEFT JOIN customers c ON c.name = g.name;
SELECT sum(revenue_cents) FROM customers;""",
    "overdue": """
SELECT count(*) FROM actions a JOIN signals s ON s.id = a.signal_id
 WHERE a.status IN ('planned', 'in-progress') AND a.due IS NOT NULL AND a.due < '2026-11-23'
 AND s.state IN ('approved', 'in-progress');
SELECT a.signal_id, s.title, a.title, a.due FROM actions a JOIN signals s ON s.id = a.signal_id
 WHERE a.status IN ('planned', 'in-progress') AND a.due IS NOT NULL AND a.due < '2026-11-23'
 AND s.state IN ('approved', 'in-progress') ORDER BY a.due LIMIT 20;
SELECT count(*) FROM signals WHERE state <> 'closed' AND updated_at < '2026-11-09T12:00:00Z';
SELECT id, title, state, updated_at FROM signals
 WHERE state <> 'closed' AND updated_at < '2026-11-09T12:00:00Z' ORDER BY updated_at LIMIT 20;
SELECT min(submitted_by), count(*), min(submitted_at) FROM signals
 WHERE state <> 'closed' AND submitted_at < '2026-10-24T12:00:00Z'
 GROUP BY submitted_by COLLATE NOCASE;""",
    "response": """
SELECT count(*), count(f.signal_id) FROM signals s LEFT JOIN (
  SELECT DISTINCT signal_id FROM history
  WHERE event IN ('accept', 'reject', 'duplicate', 'needs-info')) f ON f.signal_id = s.id;""",
    "trend": """
SELECT substr(submitted_at, 1, 7), count(*) FROM signals WHERE submitted_at >= '2025-11-01'
 GROUP BY 1;
SELECT substr(at, 1, 7), count(*) FROM history WHERE to_state = 'closed'
 AND coalesce(from_state, '') <> 'closed' AND at >= '2025-11-01' GROUP BY 1;""",
    # `list` shows the open signals by default.
    "list": "SELECT id, title, state, step, process, contacts * satisfaction_impact, submitted_at "
            "FROM signals WHERE state NOT IN ('closed', 'rejected', 'duplicate', 'dropped') "
            "ORDER BY id LIMIT 50;",
    "list --state analysed --sort -score": """
SELECT id, title, state, step, process, contacts * satisfaction_impact, submitted_at
 FROM signals WHERE state = 'analysed'
 ORDER BY coalesce(contacts * satisfaction_impact, -1) DESC, id DESC LIMIT 50;""",
}

COMMANDS = {
    "impact": ["report", "impact"],
    "impact --by process": ["report", "impact", "--by", "process"],
    "funnel": ["report", "funnel"],
    "effect": ["report", "effect"],
    "fields": ["report", "fields"],
    "customers": ["report", "customers"],
    "overdue": ["report", "overdue"],
    "response": ["report", "response"],
    "recurrence": ["report", "recurrence"],
    "trend": ["report", "trend"],
    "scope": ["report", "scope"],
    # Every report in one document (target: 1 s at 1,000,000 signals).
    "all": ["report", "all"],
    "all --html": ["report", "all", "--html"],
    "list": ["list", "--limit", "50"],
    "list --state analysed --sort -score": ["list", "--state", "analysed", "--sort", "-score",
                                            "--limit", "50"],
    # Filtered reports read the signals, not the tallies: shown for their time, no target.
    "impact --channel phone": ["report", "impact", "--channel", "phone"],
    "funnel --channel phone": ["report", "funnel", "--channel", "phone"],
    "fields --since 2026-01-01": ["report", "fields", "--since", "2026-01-01"],
    "overdue --process billing": ["report", "overdue", "--process", "billing"],
}
TARGET_MS = {"list": 50, "list --state analysed --sort -score": 50, "all": 1000,
             "all --html": 1000}


def hand_results(db, name):
    """The rows of each statement of HAND[name], run on `db` opened read-only."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [con.execute(sql).fetchall() for sql in HAND[name].split(";") if sql.strip()]
    finally:
        con.close()


def ids(rows, key="id"):
    return [row[key] for row in rows]


def same(differences, what, ours, hand):
    if ours != hand:
        differences.append(f"{what}: sileram {ours!r}, hand-written query {hand!r}")


def cents(amount):
    """A money figure of sileram's JSON (a number of euros) in cents."""
    return None if amount is None else round(amount * 100)


def check_totals_by_value(differences, what, ours_rows, hand_rows):
    """Groups of a report (value, signals, contacts, ...) against (value, count, sum(contacts)):
    each shown group as the query has it, none missing unless the report cut the list."""
    hand = {row[0]: (row[1], row[2] or 0) for row in hand_rows}
    for row in ours_rows:
        value = row["value"]
        if value not in hand:
            differences.append(f"{what}: sileram shows {value!r}, which the query does not have")
            continue
        same(differences, f"{what} {value!r} (signals, contacts)",
             (row["signals"], row["contacts"]), hand[value])


def check(name, ours, hand):
    """The differences between sileram's --json output `ours` for the command `name` and the
    results `hand` of HAND[name]; empty when they agree."""
    d = []
    if name in ("impact", "impact --by process"):
        quadrants = hand[0]
        same(d, "impact: open signals with figures", ours["summary"]["signals"],
             sum(r[2] for r in quadrants))
        same(d, "impact: contacts", ours["summary"]["contacts"], sum(r[3] for r in quadrants))
        same(d, "impact: score", ours["totals"]["quadrants"]["score"],
             sum(r[4] for r in quadrants))
        same(d, "impact: cost per period (cents)", cents(ours["summary"]["cost_per_period"]),
             sum(r[5] for r in quadrants))
        same(d, "impact: signals per quadrant",
             sorted(q["signals"] for q in ours["quadrants"] if q["signals"]),
             sorted(r[2] for r in quadrants))
        ranked = hand[-1]
        same(d, "impact: the highest scores", ids(ours["signals"]),
             [r[0] for r in ranked][:len(ours["signals"])])
        same(d, "impact: rows of the ranking", len(ours["signals"]) > 0, len(ranked) > 0)
        if name == "impact --by process":
            check_totals_by_value(d, "impact by process", ours["groups"], hand[1])
    elif name == "funnel":
        same(d, "funnel: signals", ours["summary"]["signals"], sum(r[2] for r in hand[0]))
        same(d, "funnel: signals per state and step",
             sorted((r["step"], r["state"], r["signals"]) for r in ours["states"]),
             sorted((r[1], r[0], r[2]) for r in hand[0]))
    elif name == "effect":
        total = hand[0][0]
        same(d, "effect: measured signals", ours["summary"]["signals"], total[0])
        same(d, "effect: contacts saved", ours["summary"]["contacts_saved"], total[1] or 0)
        same(d, "effect: saved per period (cents)", cents(ours["summary"]["saved_per_period"]),
             total[2] or 0)
        same(d, "effect: expected per year (cents)", cents(ours["summary"]["expected_per_year"]),
             total[3] or 0)
        same(d, "effect: cost of the actions (cents)", cents(ours["summary"]["cost"]),
             total[4] or 0)
        same(d, "effect: the largest savings", ids(ours["signals"]),
             [r[0] for r in hand[1]][:len(ours["signals"])])
    elif name == "fields":
        same(d, "fields: signals", ours["summary"]["signals"], hand[0][0][0])
        for field, rows in zip(("channel", "product", "process"), hand[1:4]):
            check_totals_by_value(d, f"fields by {field}",
                                  [r for r in ours[field] if r["value"] is not None], rows)
    elif name == "customers":
        same(d, "customers: customers with signals", ours["summary"]["customers"], len(hand[0]))
        same(d, "customers: their signals", ours["summary"]["signals"],
             sum(r[1] for r in hand[0]))
    elif name == "overdue":
        same(d, "overdue: actions past their due date", ours["summary"]["overdue_actions"],
             hand[0][0][0])
        same(d, "overdue: stale signals", ours["summary"]["stale_signals"], hand[2][0][0])
        same(d, "overdue: the first overdue actions",
             [(r["signal"], r["due"]) for r in ours["actions"]],
             [(r[0], r[3]) for r in hand[1]][:len(ours["actions"])])
    elif name == "response":
        same(d, "response: signals", ours["summary"]["signals"], hand[0][0][0])
        same(d, "response: responded", ours["summary"]["responded"], hand[0][0][1])
    elif name == "trend":
        same(d, "trend: signals in per month",
             [(m["month"], m["signals_in"]) for m in ours["months"] if m["signals_in"]],
             sorted(tuple(r) for r in hand[0]))
        same(d, "trend: closed per month",
             [(m["month"], m["closed"]) for m in ours["months"] if m["closed"]],
             sorted(tuple(r) for r in hand[1]))
    elif name.startswith("list"):
        same(d, name, ids(ours), [r[0] for r in hand[0]])
    return d


def best_of(argv, runs, env):
    """The best wall time of `runs` runs in ms; best_of.stdout is the last run's output."""
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - started) * 1000
        best_of.stdout = p.stdout
        if p.returncode != 0:
            raise SystemExit(f"{' '.join(argv[:4])}… failed: {p.stderr.decode()[:500]}")
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    args = sys.argv[1:]
    if not args:
        sys.stderr.write(__doc__)
        sys.exit(2)
    binary = os.path.abspath(args.pop(0))
    db, runs, n = None, 3, 20_000
    while args:
        a = args.pop(0)
        if a == "--db":
            db = args.pop(0)
        elif a == "--runs":
            runs = int(args.pop(0))
        else:
            n = int(a)
    tmp = None
    if db is None:
        tmp = tempfile.mkdtemp(prefix="sileram-bench-")
        db = os.path.join(tmp, "bench.db")
        here = os.path.dirname(os.path.abspath(__file__))
        subprocess.run([sys.executable, os.path.join(here, "make_db.py"), binary, db, str(n)],
                       check=True)
    sqlite = shutil.which("sqlite3")
    env = dict(os.environ, SILERAM_NOW=NOW, NO_COLOR="1", TZ="UTC")
    env.pop("SILERAM_CONFIG", None)
    # A first read migrates nothing but warms the page cache, as a second run of a user would.
    subprocess.run([binary, "--db", db, "report", "funnel"], env=env, stdout=subprocess.DEVNULL,
                   check=True)
    print(f"{'command':<40} {'sileram ms':>11} {'sqlite3 ms':>11} {'ratio':>6} {'target':>7}")
    differences = []
    try:
        for name, command in COMMANDS.items():
            ours = best_of([binary, "--db", db, *command], runs, env)
            # A page has no --json of its own: its time counts twice.
            ours_json = (ours if "--html" in command else
                         best_of([binary, "--db", db, *command, "--json"], runs, env))
            if name in HAND:
                differences += check(name, json.loads(best_of.stdout), hand_results(db, name))
            hand = (best_of([sqlite, "-readonly", db, HAND[name]], runs, env)
                    if sqlite and name in HAND else None)
            target = TARGET_MS.get(name, None if " --" in name and name not in HAND else 300)
            ratio = f"{ours / hand:6.2f}" if hand else "     -"
            hand_text = f"{hand:11.1f}" if hand else "          -"
            verdict = ("   -" if target is None
                       else f"{target:>5}ms " + ("ok" if max(ours, ours_json) <= target else "MISSED"))
            print(f"{name:<40} {ours:11.1f} {hand_text} {ratio} {verdict}"
                  f"  (--json {ours_json:.1f} ms)")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    for difference in differences:
        print(f"DIFFERENT: {difference}")
    if differences:
        sys.exit(f"{len(differences)} figures of sileram differ from the hand-written queries")
    print(f"the figures of {sum(name in HAND for name in COMMANDS)} commands agree with the "
          f"hand-written queries")


if __name__ == "__main__":
    main()
