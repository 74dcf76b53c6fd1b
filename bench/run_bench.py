#!/usr/bin/env python3
"""Times every `sileram report` and `list` against the equivalent hand-written query run by the
sqlite3 shell, on a generated database, and prints the figures and the ratios.

Usage: run_bench.py PATH/TO/sileram [N] [--db EXISTING_DB] [--runs R]

Without --db it creates a database of N signals (default 20,000) with make_db.py in a temporary
folder. Each command runs R times (default 3) as a fresh process, both for sileram and for
`sqlite3 -readonly`, and the best wall time counts (process start included on both sides). The
targets (1M signals): each report <= 300 ms, list <= 50 ms. Nothing is asserted: it prints.
"""
import os
import shutil
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
    "list": "SELECT id, title, state, step, process, contacts * satisfaction_impact, submitted_at "
            "FROM signals ORDER BY id LIMIT 50;",
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
    "list": ["list", "--limit", "50"],
    "list --state analysed --sort -score": ["list", "--state", "analysed", "--sort", "-score",
                                            "--limit", "50"],
    # Filtered reports read the signals, not the tallies: shown for their time, no target.
    "impact --channel phone": ["report", "impact", "--channel", "phone"],
    "funnel --channel phone": ["report", "funnel", "--channel", "phone"],
    "fields --since 2026-01-01": ["report", "fields", "--since", "2026-01-01"],
    "overdue --process billing": ["report", "overdue", "--process", "billing"],
}
TARGET_MS = {"list": 50, "list --state analysed --sort -score": 50}


def best_of(argv, runs, env):
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - started) * 1000
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
    try:
        for name, command in COMMANDS.items():
            ours = best_of([binary, "--db", db, *command], runs, env)
            ours_json = best_of([binary, "--db", db, *command, "--json"], runs, env)
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


if __name__ == "__main__":
    main()
