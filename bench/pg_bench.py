#!/usr/bin/env python3
"""Benchmark of sileram on PostgreSQL, with the SQLite figures of the same run beside them.

    python3 bench/pg_bench.py PATH/TO/sileram [--rows N] [--runs R] [--writers W] [--keep DIR]
                              [--only reports]

It starts its own throwaway PostgreSQL cluster (tests/pg/cluster.py) and stops it at the end.
On N generated signals (default 1,000,000; bench/gen_signals.py) it measures, on both databases:
  - the import, `sileram submit --from` of the CSV; on PostgreSQL against the baseline `psql
    \\copy` of the same CSV into a plain table plus the same full-text index build (a GIN index
    over the words of title and description, with a text search configuration made the way
    sileram makes its own: a copy of `simple`), as a ratio (target <= 2.0);
  - `submit` with its duplicate check, `list` and `show`: the median of R fresh processes
    (target <= 30 ms each);
  - every report on a database whose signals are spread over the ten steps (bench/make_db.py
    writes it as SQLite; `sileram copy` moves it into PostgreSQL): the best of R runs
    (target <= 300 ms each). The JSON of each report must be the same on both databases;
  - W concurrent submitting processes (default 200): signals per second, p50 and p99 latency,
    and that every signal is stored (zero lost, no errors).
With --keep the CSV and the spread database are kept in DIR and used again by a later run with
the same N (they take minutes at a million rows); --only reports measures just the copy and the
reports (e.g. after a change to the report queries), on a new cluster; --only import measures
just the import on PostgreSQL and its baseline (not the SQLite import). With --keep and --reuse
the cluster is left running after the run and a later run with --reuse measures on it again
(without copying a million signals again; a newer sileram migrates the kept database first); stop
it with `python3 tests/pg/cluster.py stop DIR/cluster.json`.
Timings are printed, not asserted (they depend on the machine); the answers are asserted: it
exits 1 when a signal is lost, a command fails, or a report differs between the databases.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER = os.path.join(HERE, "..", "tests", "pg", "cluster.py")
NOW = "2026-11-23T12:00:00Z"
REPORTS = ["impact", "impact --by process", "funnel", "effect", "fields", "customers", "overdue",
           "response", "recurrence", "trend", "scope", "all"]
TARGETS = {"ratio": 2.0, "command_ms": 30.0, "report_ms": 300.0, "all_ms": 1000.0}
FAILURES = []


def run(argv, env, check=True, **kwargs):
    p = subprocess.run(argv, env=env, capture_output=True, **kwargs)
    if check and p.returncode != 0:
        sys.exit(f"{' '.join(map(str, argv))}: exit {p.returncode}\n"
                 f"{p.stderr.decode(errors='replace')[:2000]}")
    return p


def timed(argv, env):
    start = time.perf_counter()
    p = run(argv, env)
    return time.perf_counter() - start, p


def psql(env, database, sql):
    return run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
               env).stdout.decode().strip()


def median_ms(argv_for, runs, env):
    return statistics.median(timed(argv_for(i), env)[0] for i in range(runs)) * 1000


def best_ms(argv, runs, env):
    return min(timed(argv, env)[0] for _ in range(runs)) * 1000


def import_figures(sileram, csv_path, rows, sqlite_db, pg_uri, env):
    """Seconds of sileram's import on both databases (PostgreSQL only without `sqlite_db`) and of
    the psql baseline."""
    figures = {}
    for name, db in (("sqlite", sqlite_db), ("postgresql", pg_uri)):
        if db is None:
            continue
        run([sileram, "--db", db, "init"], env)
        seconds, p = timed([sileram, "--db", db, "submit", "--from", csv_path, "--json",
                            "--timings"], env)
        result = json.loads(p.stdout)
        figures[name + " phases"] = p.stderr.decode(errors="replace")
        if result.get("rejected") or result.get("new") != rows:
            FAILURES.append(f"import on {name}: {result}, expected {rows} new signals")
        figures[name] = seconds
    psql(env, "postgres", "CREATE DATABASE bench_plain")
    start = time.perf_counter()
    psql(env, "bench_plain",
         "CREATE TABLE plain (title text, description text, submitted_by text, channel text, "
         "product text, process text, customer text, submitted_at text, external_id text UNIQUE)")
    psql(env, "bench_plain", f"\\copy plain FROM '{csv_path}' WITH (FORMAT csv, HEADER true)")
    # The same text search work as sileram's: its configuration is a copy of `simple`
    # (migrations.cpp, sileram.search), made here the same way.
    psql(env, "bench_plain",
         "CREATE TEXT SEARCH CONFIGURATION plain_search (COPY = pg_catalog.simple); "
         "CREATE INDEX plain_search ON plain USING gin "
         "(to_tsvector('plain_search', title || ' ' || description))")
    figures["psql"] = time.perf_counter() - start
    return figures


def command_figures(sileram, db, runs, env):
    """Median milliseconds of submit (with its duplicate check), list and show on `db`."""
    return {
        "submit": median_ms(lambda i: [sileram, "--db", db, "submit",
                                       f"Factuur dubbel afgeschreven na verhuizing {i}",
                                       "--by", f"bench{i}@example.org", "--quiet"], runs, env),
        # A page, as a person reads it: without --limit a pipe gets every open signal (1,000,000
        # lines here), which is an export, not a list.
        "list": median_ms(lambda _: [sileram, "--db", db, "list", "--limit", "50"], runs, env),
        "show": median_ms(lambda i: [sileram, "--db", db, "show", str(1000 + i)], runs, env),
    }


def report_figures(sileram, sqlite_db, pg_uri, runs, env):
    """Best milliseconds of every report on both databases; the JSON must be equal."""
    figures = {}
    for report in REPORTS:
        argv = ["report"] + report.split()
        outputs = {}
        for name, db in (("sqlite", sqlite_db), ("postgresql", pg_uri)):
            outputs[name] = run([sileram, "--db", db] + argv + ["--json"], env).stdout
            figures[(report, name)] = best_ms([sileram, "--db", db] + argv, runs, env)
        if json.loads(outputs["sqlite"]) != json.loads(outputs["postgresql"]):
            FAILURES.append(f"report {report}: the JSON differs between SQLite and PostgreSQL")
    return figures


def concurrent_figures(sileram, db, writers, env):
    """W processes submit at once: (signals per second, p50 ms, p99 ms, failures)."""
    def one(i):
        start = time.perf_counter()
        p = run([sileram, "--db", db, "submit", f"Gelijktijdig signaal {i} over de levering",
                 "--by", f"writer{i}@example.org", "--external-id", f"CONC-{i}", "--quiet"],
                env, check=False)
        return p.returncode, time.perf_counter() - start, p.stderr.decode(errors="replace")

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=writers) as pool:
        results = list(pool.map(one, range(writers)))
    elapsed = time.perf_counter() - start
    failed = [r for r in results if r[0] != 0]
    latencies = sorted(r[1] for r in results)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    return writers / elapsed, statistics.median(latencies) * 1000, p99 * 1000, failed


def stored_count(db, env, prefix):
    """How many signals with an external id starting with `prefix` the database holds."""
    sql = f"SELECT count(*) FROM signals WHERE external_id LIKE '{prefix}%'"
    if db.startswith("postgresql:"):
        return int(psql(env, db.rsplit("/", 1)[1], "SET search_path = sileram; " + sql))
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sileram")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--writers", type=int, default=200,
                    help="concurrent submitters (the test cluster allows 250 connections)")
    ap.add_argument("--keep", help="folder for the CSV and databases (kept); else a temporary one")
    ap.add_argument("--only", choices=["reports", "import"],
                    help="measure only the copy and the reports on the spread database, or only "
                         "the import on PostgreSQL against psql")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: use the cluster and databases a former --reuse run left in "
                         "DIR (running), and leave them running")
    args = ap.parse_args()
    if args.reuse and not args.keep:
        ap.error("--reuse needs --keep")
    sileram = os.path.abspath(args.sileram)
    work = args.keep or tempfile.mkdtemp(prefix="sileram-pg-bench-")
    os.makedirs(work, exist_ok=True)
    state = os.path.join(work, "cluster.json")
    if not (args.reuse and cluster_running(state)):
        run([sys.executable, CLUSTER, "start", state], dict(os.environ))
    try:
        with open(state) as f:
            server = json.load(f)
        env = dict(os.environ, PGHOST=server["host"], PGPORT=str(server["port"]),
                   PGUSER=server["user"], PGPASSWORD=server["password"], SILERAM_NOW=NOW,
                   SILERAM_USER="bench@example.org", TZ="UTC", NO_COLOR="1")
        env.pop("SILERAM_DB", None)
        measure(args, sileram, work, env)
    finally:
        if not args.reuse:
            run([sys.executable, CLUSTER, "stop", state], dict(os.environ), check=False)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        print("\n".join(FAILURES), file=sys.stderr)
        sys.exit(1)


def cluster_running(state):
    """Whether the cluster described by the state file `state` runs."""
    if not os.path.exists(state):
        return False
    with open(state) as f:
        pid = json.load(f)["pid"]
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def made_before(path, n):
    """Whether `path` was made for `n` rows by an earlier run (with --keep); else it is removed."""
    marker = path + ".rows"
    if os.path.exists(path) and os.path.exists(marker):
        with open(marker) as f:
            if f.read().strip() == str(n):
                return True
    for stale in (path, marker):
        if os.path.exists(stale):
            os.remove(stale)
    return False


def mark_made(path, n):
    with open(path + ".rows", "w") as f:
        f.write(f"{n}\n")


def measure(args, sileram, work, env):
    n = args.rows
    print(f"sileram on PostgreSQL and SQLite, {n:,} signals, {os.cpu_count()} cores", flush=True)
    if args.only != "reports":
        measure_import(args, sileram, work, env)
    if args.only == "import":
        return
    spread_db, spread_pg = spread_databases(args, sileram, work, env)
    if args.only != "reports":
        print(f"\ncommand (median of {args.runs})     SQLite ms  PostgreSQL ms  target")
        commands = {name: command_figures(sileram, db, args.runs, env)
                    for name, db in (("sqlite", spread_db), ("postgresql", spread_pg))}
        for command in ("submit", "list", "show"):
            print(f"  {command:<28} {commands['sqlite'][command]:9.1f} "
                  f"{commands['postgresql'][command]:14.1f}  <= {TARGETS['command_ms']:.0f}",
                  flush=True)

    reports = report_figures(sileram, spread_db, spread_pg, args.runs, env)
    print(f"\nreport (best of {args.runs})            SQLite ms  PostgreSQL ms  target")
    for report in REPORTS:
        target = TARGETS["all_ms"] if report == "all" else TARGETS["report_ms"]
        print(f"  {report:<28} {reports[(report, 'sqlite')]:9.1f} "
              f"{reports[(report, 'postgresql')]:14.1f}  <= {target:.0f}")
    sys.stdout.flush()
    if args.only == "reports":
        return

    print(f"\n{args.writers} concurrent submitters    signals/s  p50 ms  p99 ms  lost  errors")
    for name, db in (("SQLite", spread_db), ("PostgreSQL", spread_pg)):
        rate, p50, p99, failed = concurrent_figures(sileram, db, args.writers, env)
        lost = args.writers - stored_count(db, env, "CONC-")
        print(f"  {name:<28} {rate:9.1f} {p50:7.0f} {p99:7.0f} {lost:5d} {len(failed):7d}")
        if lost or failed:
            FAILURES.append(f"{name}: {lost} signals lost, {len(failed)} submits failed: "
                            f"{[f[2][:200] for f in failed[:3]]}")


def measure_import(args, sileram, work, env):
    n = args.rows
    csv_path = os.path.join(work, "signals.csv")
    if not made_before(csv_path, n):
        run([sys.executable, os.path.join(HERE, "gen_signals.py"), str(n), csv_path], env)
        mark_made(csv_path, n)
    for old in ("import.db", "import.db-wal", "import.db-shm"):
        if os.path.exists(os.path.join(work, old)):
            os.remove(os.path.join(work, old))
    psql(env, "postgres", "CREATE DATABASE bench_import")
    sqlite_db = None if args.only == "import" else os.path.join(work, "import.db")
    imported = import_figures(sileram, csv_path, n, sqlite_db, "postgresql:///bench_import", env)
    ratio = imported["postgresql"] / imported["psql"]
    print(f"\nimport of {n:,} rows             seconds")
    if "sqlite" in imported:
        print(f"  sileram on SQLite            {imported['sqlite']:8.1f}")
    print(f"  sileram on PostgreSQL        {imported['postgresql']:8.1f}")
    print(f"  psql \\copy + GIN index       {imported['psql']:8.1f}")
    print(f"  ratio PostgreSQL / psql      {ratio:8.2f}   (target <= {TARGETS['ratio']})")
    print("  phases of the import on PostgreSQL (--timings):")
    for line in imported["postgresql phases"].splitlines():
        print(f"    {line}")
    sys.stdout.flush()


def spread_databases(args, sileram, work, env):
    """The spread database (SQLite, made by make_db.py, kept with --keep) and its copy in
    PostgreSQL."""
    n = args.rows
    # make_db.py writes the pristine one; each run measures (and submits into) a copy of it.
    made = os.path.join(work, "spread-made.db")
    if not made_before(made, n):
        run([sys.executable, os.path.join(HERE, "make_db.py"), sileram, made, str(n),
             "--now", NOW], env)
        run([sileram, "--db", made, "list", "--limit", "1"], env)  # runs pending migrations
        mark_made(made, n)
    spread_db = os.path.join(work, "spread.db")
    spread_pg = "postgresql:///bench_spread"
    if args.reuse and os.path.exists(spread_db) and psql(
            env, "postgres", "SELECT count(*) FROM pg_database WHERE datname = 'bench_spread'") == "1":
        for db in (spread_db, spread_pg):  # runs pending migrations, timed: a kept database
            seconds, _ = timed([sileram, "--db", db, "list", "--limit", "1"], env)
            print(f"first open of the kept {db}: {seconds:.1f} s", flush=True)
        return spread_db, spread_pg
    for old in (spread_db + "-wal", spread_db + "-shm"):
        if os.path.exists(old):
            os.remove(old)
    shutil.copyfile(made, spread_db)
    run([sileram, "--db", spread_db, "list", "--limit", "1"], env)  # runs pending migrations
    if args.reuse:
        psql(env, "postgres", "DROP DATABASE IF EXISTS bench_spread")
    psql(env, "postgres", "CREATE DATABASE bench_spread")
    copy_seconds, _ = timed([sileram, "copy", spread_db, spread_pg], env)
    print(f"\ncopy of the spread database SQLite -> PostgreSQL: {copy_seconds:.1f} s", flush=True)
    return spread_db, spread_pg


if __name__ == "__main__":
    main()
