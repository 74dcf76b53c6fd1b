#!/usr/bin/env python3
"""Benchmark of sileram's intake: bulk import, the duplicate guard and full-text search.

    python3 bench/intake_bench.py PATH/TO/sileram [--rows N] [--runs N] [--import-runs N]
                                  [--keep DIR] [--db FILE]

On N generated signals (default 1,000,000; see gen_signals.py) it measures:
  - `sileram submit --from` of the CSV: wall time, rows/s, peak memory (RSS, via /usr/bin/time -v
    when present);
  - the sqlite3 shell baseline: `.import` of the same CSV into a plain table, then an FTS5 index
    over title and description rebuilt; and the ratio of the two (with --import-runs N, N pairs
    of imports and the median ratio);
  - `sileram submit` with the duplicate check on that database: median over --runs processes;
  - `sileram list --search WORDS --limit 50`: median over --runs processes.
Prints the figures and the targets; timings are not asserted (they depend on the machine), but
the answers are: the signals sileram imported must be the rows the shell imported, and each
`list --search` must find the signals that the same words find in the shell's search index (the
rows it imported; the signals `submit` added come after them). It exits 1 when they differ.
"""
import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {"ratio": 2.0, "submit_ms": 20.0, "search_ms": 50.0, "rss_mib": 64.0}


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv, env, stdin=None):
    """Runs argv; returns (wall seconds, completed process), and sets timed.cpu to the CPU
    seconds (user + system) it used, which a busy machine inflates less than wall time."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    p = subprocess.run(argv, env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    timed.cpu = cpu_seconds() - cpu
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)}: exit {p.returncode}\n{p.stderr.decode(errors='replace')}")
    return elapsed, p


DIFFERENCES = []


def expect_same(what, ours, hand):
    """Records a difference between a figure of sileram and the shell's query for it."""
    if ours != hand:
        DIFFERENCES.append(f"{what}: sileram {ours!r}, sqlite3 shell {hand!r}")


def query_all(db, sql, *args):
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def peak_rss_mib(stderr):
    m = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return int(m.group(1)) / 1024 if m else None


def import_and_compare(args, sileram, work, env):
    """Imports the generated CSV with sileram and with the sqlite3 shell, prints both and the
    ratio, and returns sileram's database."""
    csv_path = os.path.join(work, f"signals-{args.rows}.csv")
    if not os.path.exists(csv_path):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(HERE, "gen_signals.py"), str(args.rows),
                        csv_path], check=True)
        print(f"generated {args.rows:,} rows ({os.path.getsize(csv_path) / 2**20:.0f} MiB) "
              f"in {time.perf_counter() - t0:.1f} s")
    db = os.path.join(work, "sileram.db")
    base = os.path.join(work, "baseline.db")
    baseline_sql = ("CREATE VIRTUAL TABLE signals_fts USING fts5(title, description, "
                    "content='signals', tokenize='unicode61 remove_diacritics 2');\n"
                    "INSERT INTO signals_fts(signals_fts) VALUES('rebuild');\n")
    ratios = []
    for run in range(1, args.import_runs + 1):
        for path in (db, db + "-wal", db + "-shm", base):
            if os.path.exists(path):
                os.remove(path)
        # Each import starts with the other's writes on disk, not in its own fsyncs.
        os.sync()
        argv = [sileram, "--db", db, "submit", "--from", csv_path, "--quiet"]
        if os.path.exists("/usr/bin/time"):
            argv = ["/usr/bin/time", "-v"] + argv
        ours, p = timed(argv, env)
        ours_cpu = timed.cpu
        rss = peak_rss_mib(p.stderr)
        os.sync()
        theirs, _ = timed(["sqlite3", base, "-cmd", ".mode csv", "-cmd",
                           f".import {csv_path} signals", baseline_sql], env)
        theirs_cpu = timed.cpu
        ratios.append(ours / theirs)
        imported = json.loads(subprocess.run(
            [sileram, "--db", db, "report", "funnel", "--json"], env=env, check=True,
            stdout=subprocess.PIPE).stdout)["summary"]["signals"]
        expect_same("signals imported", imported,
                    query_all(base, "SELECT count(*) FROM signals")[0][0])
        label = f" (run {run} of {args.import_runs})" if args.import_runs > 1 else ""
        print(f"import, sileram submit --from{label}: {ours:7.2f} s wall, {ours_cpu:7.2f} s CPU "
              f"({args.rows / ours:,.0f} rows/s)"
              + (f", peak RSS {rss:.1f} MiB" if rss is not None else ""))
        print(f"import, sqlite3 .import + FTS5{label}:  {theirs:7.2f} s wall, "
              f"{theirs_cpu:7.2f} s CPU")
        print(f"ratio: {ours / theirs:.2f} wall, {ours_cpu / theirs_cpu:.2f} CPU "
              f"(target <= {TARGETS['ratio']}); load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} cores"
              + (f"; peak RSS target <= {TARGETS['rss_mib']:.0f} MiB" if rss is not None else ""))
    if len(ratios) > 1:
        print(f"ratio over {len(ratios)} paired runs: median {statistics.median(ratios):.2f}, "
              f"from {min(ratios):.2f} to {max(ratios):.2f} (target <= {TARGETS['ratio']})")
    return db


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sileram")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=31)
    ap.add_argument("--import-runs", type=int, default=1,
                    help="imports by sileram and by the shell, in turns; the median ratio is "
                         "printed (the shell's own time varies by a fifth between runs)")
    ap.add_argument("--keep", help="folder for the CSV and databases (kept); else a temporary one")
    ap.add_argument("--db", help="an existing database: measure only submit and list --search "
                                 "on it (it gets the submitted signals)")
    args = ap.parse_args()
    if args.import_runs < 1:
        ap.error("--import-runs must be at least 1")
    sileram = os.path.abspath(args.sileram)
    work = args.keep or tempfile.mkdtemp(prefix="sileram-bench-")
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, SILERAM_USER="bench", NO_COLOR="1", TZ="UTC")
    env.pop("SILERAM_DB", None)
    env.pop("SILERAM_CONFIG", None)
    try:
        if args.db:
            db = os.path.abspath(args.db)
        else:
            db = import_and_compare(args, sileram, work, env)
        base_db = os.path.join(work, "baseline.db")

        # Titles like the data: words drawn from the stored signals, so the guard has work to do.
        rng = random.Random(11)
        import sqlite3
        con = sqlite3.connect(db)
        n = con.execute("SELECT max(id) FROM signals").fetchone()[0]
        samples = []
        for _ in range(args.runs):
            title, description = con.execute(
                "SELECT title, description FROM signals WHERE id = ?",
                (rng.randint(1, n),)).fetchone()
            words = title.split()
            rng.shuffle(words)
            samples.append((" ".join(words[:8]) or "Factuur onduidelijk", description[:300]))
        search_words = []
        for _ in range(args.runs):
            title = con.execute("SELECT title FROM signals WHERE id = ?",
                                (rng.randint(1, n),)).fetchone()[0]
            words = [w for w in re.findall(r"\w+", title) if len(w) > 3] or ["factuur"]
            search_words.append(" ".join(rng.sample(words, min(2, len(words)))))
        con.close()

        # The baseline's database was written just before: without a sync its write-back would
        # land in the first submit's fsync (ext4 commits other files' data with it).
        os.sync()
        submit_times = []
        submit_cpu = []
        similar_counts = []
        for i, (title, description) in enumerate(samples):
            t, p = timed([sileram, "--db", db, "submit", title, "-d", description, "--by",
                          f"bench{i}@example.nl", "--json"], env)
            submit_times.append(t * 1000)
            submit_cpu.append(timed.cpu * 1000)
            similar_counts.append(p.stdout.count(b'"score"'))
        search_times = []
        search_cpu = []
        hits = []
        for words in search_words:
            t, p = timed([sileram, "--db", db, "list", "--search", words, "--limit", "50",
                          "--json"], env)
            search_times.append(t * 1000)
            search_cpu.append(timed.cpu * 1000)
            found = [row["id"] for row in json.loads(p.stdout)]
            hits.append(len(found))
            if not args.db:
                # The shell's index holds the imported rows, ids 1 to n in file order; the
                # signals `submit` added have larger ids and are left out of the comparison.
                match = " ".join(f'"{w}"' for w in words.split())
                hand = [r[0] for r in query_all(
                    base_db, "SELECT rowid FROM signals_fts WHERE signals_fts MATCH ? "
                    "ORDER BY rowid LIMIT 50", match)]
                imported = [i for i in found if i <= n]
                expect_same(f"list --search {words!r}", sorted(imported),
                            hand[:len(imported)] if len(found) == 50 else hand)
        print(f"submit with duplicate check: median {statistics.median(submit_times):.1f} ms, "
              f"max {max(submit_times):.1f} ms, median CPU {statistics.median(submit_cpu):.1f} ms "
              f"over {len(submit_times)} runs "
              f"(target <= {TARGETS['submit_ms']:.0f} ms); similar found: median "
              f"{statistics.median(similar_counts):.0f}")
        print(f"list --search (2 words, --limit 50): median {statistics.median(search_times):.1f} ms, "
              f"max {max(search_times):.1f} ms, median CPU {statistics.median(search_cpu):.1f} ms "
              f"over {len(search_times)} runs "
              f"(target <= {TARGETS['search_ms']:.0f} ms); rows: median {statistics.median(hits):.0f}")
        for difference in DIFFERENCES:
            print(f"DIFFERENT: {difference}")
        if DIFFERENCES:
            sys.exit(f"{len(DIFFERENCES)} answers of sileram differ from the sqlite3 shell's")
        print("the signals imported and the search results agree with the sqlite3 shell")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
