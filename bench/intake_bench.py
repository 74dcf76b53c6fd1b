#!/usr/bin/env python3
"""Benchmark of sileram's intake: bulk import, the duplicate guard and full-text search.

    python3 bench/intake_bench.py PATH/TO/sileram [--rows N] [--runs N] [--import-runs N]
                                  [--csv FILE] [--keep DIR] [--db FILE]

On N generated signals (default 1,000,000; see gen_signals.py; or the rows of --csv FILE, say one
written by gen_cfpb.py) it measures:
  - `sileram submit --from --timings` of the CSV: wall time, rows/s, the seconds of each phase of
    the import, peak memory (RSS, via /usr/bin/time -v when present);
  - two sqlite3 shell baselines on the same CSV, in the same run: (b) `.import` into a plain
    table in WAL mode, then an FTS5 index over title and description rebuilt; (c) the same, plus
    sileram's other columns (added with their defaults, so no row is rewritten), a unique index on
    external_id and every secondary index sileram keeps on its signals, with sileram's own
    definitions; and the ratios of sileram to each (with --import-runs N, N rounds of the three
    imports and the median ratios);
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
TARGETS = {"ratio_b": 1.8, "ratio_c": 1.0, "submit_ms": 20.0, "search_ms": 50.0,
           "rss_mib": 64.0}


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


def phases_of(stderr):
    """The phases `submit --from --timings` printed: [(name, seconds, note)], in their order:
    the ones after each other, their total, then those beside them (note: their remark)."""
    return [(m.group(1).decode(), float(m.group(2)), (m.group(3) or b"").decode().strip()) for m in
            re.finditer(rb"^([a-z][a-z ()-]*):\s+([0-9.]+) s( +\(.*\))?$", stderr,
                         re.MULTILINE)]


# Columns of sileram's signals that a CSV row lacks, with the value every new signal has.
NEW_SIGNAL_VALUES = {"state": "'submitted'", "step": "1",
                     "updated_at": "'2026-12-03T00:00:00Z'"}


def baseline_c_sql(db):
    """SQL that turns baseline (b)'s plain table into one with sileram's columns and indexes:
    the columns added with their defaults (no row rewritten), then a unique index on external_id
    and every secondary index of sileram's signals, as sileram defines them."""
    import sqlite3
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        columns = con.execute("SELECT name, type FROM pragma_table_info('signals')").fetchall()
        # The secondary ones: the unique index on external_id is made below, whether the
        # database names it (schema version 18 on) or its column's UNIQUE made it (before).
        indexes = [r[0] for r in con.execute(
            "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'signals' "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name")]
    finally:
        con.close()
    csv_columns = {"title", "description", "submitted_by", "channel", "product", "process",
                   "customer", "submitted_at", "external_id", "id"}
    sql = []
    for name, kind in columns:
        if name not in csv_columns:
            default = NEW_SIGNAL_VALUES.get(name)
            sql.append(f"ALTER TABLE signals ADD COLUMN {name} {kind}"
                       + (f" NOT NULL DEFAULT {default}" if default else "") + ";")
    sql.append("CREATE UNIQUE INDEX signals_external_id ON signals (external_id);")
    # The plain table has no `id`: its rowid is what sileram's id names, and every index ends
    # with the rowid anyway, so a key column `id` is left out.
    sql += [re.sub(r",\s*id\b(?=\s*[,)])", "", index) + ";" for index in indexes]
    return "\n".join(sql) + "\n", len(indexes)


def import_and_compare(args, sileram, work, env):
    """Imports the CSV with sileram and with the sqlite3 shell twice (baselines b and c), prints
    the times, the ratios, sileram's phases and peak memory, and returns sileram's database."""
    if args.csv:
        csv_path = os.path.abspath(args.csv)
    else:
        csv_path = os.path.join(work, f"signals-{args.rows}.csv")
    if not os.path.exists(csv_path):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(HERE, "gen_signals.py"), str(args.rows),
                        csv_path], check=True)
        print(f"generated {args.rows:,} rows ({os.path.getsize(csv_path) / 2**20:.0f} MiB) "
              f"in {time.perf_counter() - t0:.1f} s")
    db = os.path.join(work, "sileram.db")
    base = os.path.join(work, "baseline.db")
    base_c = os.path.join(work, "baseline-c.db")
    fts_sql = ("CREATE VIRTUAL TABLE signals_fts USING fts5(title, description, "
               "content='signals', tokenize='unicode61 remove_diacritics 2');\n"
               "INSERT INTO signals_fts(signals_fts) VALUES('rebuild');\n")
    ratios_b = []
    ratios_c = []
    for run in range(1, args.import_runs + 1):
        for path in (db, base, base_c):
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
        # Each import starts with the other's writes on disk, not in its own fsyncs.
        os.sync()
        argv = [sileram, "--db", db, "submit", "--from", csv_path, "--quiet", "--timings"]
        if os.path.exists("/usr/bin/time"):
            argv = ["/usr/bin/time", "-v"] + argv
        ours, p = timed(argv, env)
        ours_cpu = timed.cpu
        rss = peak_rss_mib(p.stderr)
        phases = phases_of(p.stderr)
        c_sql, index_count = baseline_c_sql(db)
        shell = ["sqlite3", "-cmd", "PRAGMA journal_mode=WAL", "-cmd", ".mode csv"]
        os.sync()
        theirs_b, _ = timed(shell[:1] + [base] + shell[1:] + [
            "-cmd", f".import {csv_path} signals", fts_sql], env)
        theirs_b_cpu = timed.cpu
        os.sync()
        theirs_c, _ = timed(shell[:1] + [base_c] + shell[1:] + [
            "-cmd", f".import {csv_path} signals", c_sql + fts_sql], env)
        theirs_c_cpu = timed.cpu
        ratios_b.append(ours / theirs_b)
        ratios_c.append(ours / theirs_c)
        imported = json.loads(subprocess.run(
            [sileram, "--db", db, "report", "funnel", "--json"], env=env, check=True,
            stdout=subprocess.PIPE).stdout)["summary"]["signals"]
        expect_same("signals imported", imported,
                    query_all(base, "SELECT count(*) FROM signals")[0][0])
        label = f" (run {run} of {args.import_runs})" if args.import_runs > 1 else ""
        print(f"import, sileram submit --from{label}: {ours:7.2f} s wall, {ours_cpu:7.2f} s CPU "
              f"({args.rows / ours:,.0f} rows/s)"
              + (f", peak RSS {rss:.1f} MiB (target <= {TARGETS['rss_mib']:.0f})"
                 if rss is not None else ""))
        for name, seconds, note in phases:
            print(f"  {name + ':':<24} {seconds:7.2f} s" + (f" {note}" if note else ""))
        print(f"baseline (b), sqlite3 .import (WAL) + FTS5 rebuild{label}: {theirs_b:7.2f} s wall, "
              f"{theirs_b_cpu:7.2f} s CPU")
        print(f"baseline (c), (b) + unique external_id + sileram's {index_count} secondary "
              f"indexes{label}: {theirs_c:7.2f} s wall, {theirs_c_cpu:7.2f} s CPU")
        print(f"ratio to (b): {ours / theirs_b:.2f} wall, {ours_cpu / theirs_b_cpu:.2f} CPU "
              f"(target <= {TARGETS['ratio_b']}); ratio to (c): {ours / theirs_c:.2f} wall, "
              f"{ours_cpu / theirs_c_cpu:.2f} CPU (target <= {TARGETS['ratio_c']}); "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if len(ratios_b) > 1:
        print(f"ratios over {len(ratios_b)} rounds: to (b) median {statistics.median(ratios_b):.2f} "
              f"({min(ratios_b):.2f}-{max(ratios_b):.2f}), to (c) median "
              f"{statistics.median(ratios_c):.2f} ({min(ratios_c):.2f}-{max(ratios_c):.2f})")
    return db


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sileram")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=31)
    ap.add_argument("--import-runs", type=int, default=1,
                    help="imports by sileram and by the shell (b and c), in turns; the median "
                         "ratios are printed (the shell's own time varies by a fifth between runs)")
    ap.add_argument("--csv", help="import this CSV (sileram's column names) instead of "
                                  "generating one; --rows is then its row count, for rows/s")
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
