#!/usr/bin/env python3
"""`report impact --as-of` and `report funnel --as-of` against a hand-written SQL query over the
history that computes the same figures, on SQLite and (unless --no-pg) PostgreSQL.

    python3 bench/as_of_bench.py PATH/TO/sileram [--rows N] [--runs R] [--as-of DAY] [--db FILE]
                                 [--no-pg] [--keep DIR]

bench/make_db.py writes N signals (default 100,000) spread over the ten steps and two years;
`sileram copy` moves them into a throwaway PostgreSQL cluster (tests/pg/cluster.py). For each
database it times the best of R runs (default 5) of
  - sileram report impact --as-of DAY --json and sileram report funnel --as-of DAY --json (a whole
    process: start, connection, rebuilding the past, the report), and
  - the hand-written queries: the last history row of each signal before the end of DAY, its
    state and whether it was analysed by then, summed as the impact report's totals (signals,
    contacts, score, cost); for the funnel, what the report shows: the signals per state, the
    step stays ended by then (count, longest) and open then per step, and per month the signals
    in and the stays of step 10 begun (in-process),
and prints both timings and their ratio (target <= 3). It exits 1 when a figure differs.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER = os.path.join(HERE, "..", "tests", "pg", "cluster.py")
NOW = "2026-11-23T12:00:00Z"
TARGET_RATIO = 3.0
IMPACT_STATES = ("analysed", "prioritised", "parked", "root-caused", "planned", "approved",
                 "in-progress", "implemented")

# {end}: the quoted end of the day; {states}: the impact states.
LAST = ("WITH last AS (SELECT signal_id, max(id) AS id, "
        "max(CASE WHEN event = 'analyse' THEN id END) AS analysed FROM history "
        "WHERE at < {end} GROUP BY signal_id) ")
HAND_IMPACT = LAST + (
    "SELECT count(*), coalesce(sum(s.contacts), 0), "
    "coalesce(sum(s.contacts * s.satisfaction_impact), 0), "
    "coalesce(sum(s.contacts * s.cost_per_contact_cents), 0) "
    "FROM last l JOIN history h ON h.id = l.id JOIN signals s ON s.id = l.signal_id "
    "WHERE h.to_state IN {states} AND l.analysed IS NOT NULL AND s.contacts IS NOT NULL")
# The funnel's figures as of the day: the signals per state (from each one's last history row),
# the step stays ended by then per step (count, longest), those still open then per step (count),
# and per month since {since} the signals that came in and the stays of step 10 that began.
HAND_FUNNEL = [
    LAST + "SELECT h.to_state, count(*) FROM last l JOIN history h ON h.id = l.id GROUP BY 1 "
           "ORDER BY 1",
    # One pass over the stays begun by then for both.
    "SELECT step, count(CASE WHEN left_at < {end} THEN 1 END), "
    "max(CASE WHEN left_at < {end} THEN seconds END), "
    "count(CASE WHEN left_at IS NULL OR left_at >= {end} THEN 1 END) "
    "FROM step_stays WHERE entered_at < {end} GROUP BY 1 ORDER BY 1",
    "SELECT substr(submitted_at, 1, 7), count(*) FROM signals WHERE submitted_at >= {since} "
    "AND submitted_at < {end} GROUP BY 1 ORDER BY 1",
    "SELECT substr(entered_at, 1, 7), count(*) FROM step_stays WHERE step = 10 "
    "AND entered_at >= {since} AND entered_at < {end} GROUP BY 1 ORDER BY 1",
]

FAILURES = []


def run(argv, env, check=True):
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:5])}… failed: {p.stderr.decode()[:800]}")
    return p


def best(fn, runs):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), result


def month_a_year_before(day):
    """The first of the month a year before `day`: where the funnel's months begin."""
    return f"{int(day[:4]) - 1:04d}-{day[5:7]}-01T00:00:00Z"


def end_of(day):
    """The end of a UTC day (the benchmark runs in UTC)."""
    import datetime as dt
    d = dt.date.fromisoformat(day) + dt.timedelta(days=1)
    return d.isoformat() + "T00:00:00Z"


def hand_sqlite(db):
    def query(sql):
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    return query


def hand_pg(env, database):
    import_psql = ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                   "-d", database, "-c"]

    def query(sql):
        out = run(import_psql + ["SET search_path TO sileram; " + sql], env).stdout.decode()
        rows = []
        for line in out.strip().splitlines():
            rows.append(tuple(int(v) if v.lstrip("-").isdigit() else v for v in line.split("\t")))
        return rows
    return query


def measure(label, sileram, db, query, day, runs, env):
    end = "'" + end_of(day) + "'"
    states = "(" + ", ".join(f"'{s}'" for s in IMPACT_STATES) + ")"
    rows = []

    ours_ms, out = best(lambda: run([sileram, "--db", db, "report", "impact", "--as-of", day,
                                     "--json", "--limit", "20"], env).stdout, runs)
    hand_ms, hand = best(lambda: query(HAND_IMPACT.format(end=end, states=states)), runs)
    impact = json.loads(out)
    signals, contacts, score, cost_cents = (int(v) for v in hand[0])
    total = impact["totals"]["quadrants"]
    ours = (impact["summary"]["signals"], impact["summary"]["contacts"], total["score"],
            round(float(impact["summary"]["cost_per_period"]) * 100))
    if ours != (signals, contacts, score, cost_cents):
        FAILURES.append(f"{label} impact --as-of {day}: sileram {ours}, hand "
                        f"{(signals, contacts, score, cost_cents)}")
    rows.append(("impact", ours_ms, hand_ms))

    ours_ms, out = best(lambda: run([sileram, "--db", db, "report", "funnel", "--as-of", day,
                                     "--json"], env).stdout, runs)
    since = "'" + month_a_year_before(day) + "'"
    hand_ms, hand = best(lambda: [query(sql.format(end=end, since=since)) for sql in HAND_FUNNEL],
                         runs)
    funnel = json.loads(out)
    per_state = {}
    for s in funnel["states"]:  # a dropped signal is counted at step 4 or 7
        per_state[s["state"]] = per_state.get(s["state"], 0) + s["signals"]
    states, stays, entered, left = hand

    def differs(what, ours, theirs):
        if ours != theirs:
            FAILURES.append(f"{label} funnel --as-of {day}, {what}: sileram {ours}, hand {theirs}")
    differs("signals per state", sorted(per_state.items()),
            sorted((str(state), int(n)) for state, n in states))
    differs("longest stay per step",
            {s["step"]: s["longest_days"] for s in funnel["steps"] if s["longest_days"] is not None},
            {int(step): round(int(longest) / 86400, 1) for step, ended, longest, _ in stays
             if int(ended)})
    differs("signals in a step then",
            {s["step"]: s["signals"] for s in funnel["steps"] if s["signals"]},
            {int(step): int(n) for step, _, _, n in stays if int(n)})
    months = {m["month"]: (m["entered"], m["left"]) for m in funnel["months"]}
    hand_months = {}
    for month, n in entered:
        hand_months[month] = (int(n), 0)
    for month, n in left:
        hand_months[month] = (hand_months.get(month, (0, 0))[0], int(n))
    differs("entered and left per month", months, hand_months)
    rows.append(("funnel", ours_ms, hand_ms))

    print(f"\n{label}: --as-of {day}          sileram ms   hand SQL ms   ratio  (target <= "
          f"{TARGET_RATIO:.0f})")
    for name, ours_ms, hand_ms in rows:
        ratio = ours_ms / hand_ms if hand_ms > 0 else float("inf")
        print(f"  report {name:<22} {ours_ms:10.1f} {hand_ms:13.1f} {ratio:7.2f}"
              f"{'' if ratio <= TARGET_RATIO else '   over target'}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sileram")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--as-of", default="2026-06-30", dest="as_of")
    ap.add_argument("--db", help="an existing bench/make_db.py database (else one is made)")
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--keep", help="folder for the databases (kept); else a temporary one")
    args = ap.parse_args()
    sileram = os.path.abspath(args.sileram)
    work = args.keep or tempfile.mkdtemp(prefix="sileram-as-of-bench-")
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, SILERAM_NOW=NOW, TZ="UTC", NO_COLOR="1")
    env.pop("SILERAM_DB", None)
    env.pop("SILERAM_CONFIG", None)
    try:
        db = args.db
        if db is None:
            db = os.path.join(work, "bench.db")
            run([sys.executable, os.path.join(HERE, "make_db.py"), sileram, db, str(args.rows),
                 "--now", NOW], env)
        run([sileram, "--db", db, "list", "--limit", "1"], env)  # runs pending migrations
        print(f"sileram report --as-of against hand-written SQL over the history, "
              f"{os.cpu_count()} cores")
        measure("SQLite", sileram, db, hand_sqlite(db), args.as_of, args.runs, env)
        if not args.no_pg:
            state = os.path.join(work, "cluster.json")
            run([sys.executable, CLUSTER, "start", state], dict(os.environ))
            try:
                with open(state) as f:
                    server = json.load(f)
                pg_env = dict(env, PGHOST=server["host"], PGPORT=str(server["port"]),
                              PGUSER=server["user"], PGPASSWORD=server["password"])
                run(["psql", "-X", "-q", "-d", "postgres", "-c", "CREATE DATABASE bench_as_of"],
                    pg_env)
                uri = "postgresql:///bench_as_of"
                run([sileram, "copy", db, uri], pg_env)
                run(["psql", "-X", "-q", "-d", "bench_as_of", "-c", "ANALYZE"], pg_env)
                measure("PostgreSQL", sileram, uri, hand_pg(pg_env, "bench_as_of"), args.as_of,
                        args.runs, pg_env)
            finally:
                run([sys.executable, CLUSTER, "stop", state], dict(os.environ), check=False)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        print("\n".join(FAILURES), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
