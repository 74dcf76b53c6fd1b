"""Several users on one file at once: concurrent writers and readers lose nothing, a lock held
past the busy timeout is exit 75 with a clear message, and a backup taken while others write is
one consistent snapshot.

SILERAM_CONCURRENCY_SUBMITS sets the submits per writer (default 250: 8 writers make 2,000)."""
import json
import os
import shutil
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import harness

WRITERS = 8
SUBMITS = int(os.environ.get("SILERAM_CONCURRENCY_SUBMITS", "250"))


class Concurrency(harness.SileramTestCase):
    # SQLite's one writer at a time and its busy timeout; tests/pg/test_postgres.py has the
    # concurrency of a server database.
    FILE_DATABASE = True

    def write_many(self, writer, count, failures):
        for n in range(count):
            rc, out, err = self.fx.run("submit", f"Writer {writer} signal {n}", "--by",
                                       f"agent{writer}@example.org", "--channel", "phone",
                                       "--quiet")
            if rc != 0 or not out.strip().isdigit():
                failures.append(f"writer {writer} submit {n}: exit {rc}: {err.strip()}")

    def read_until(self, stop, failures):
        reads = 0
        while not stop.is_set():
            for args in (("list", "--json", "--limit", "20", "--sort", "-id"), ("list", "--state", "submitted")):
                rc, _, err = self.fx.run(*args)
                if rc != 0:
                    failures.append(f"reader {' '.join(args)}: exit {rc}: {err.strip()}")
                reads += 1
        return reads

    def test_writers_and_readers_lose_nothing(self):
        self.ok("init")
        failures = []
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=WRITERS + 2) as pool:
            readers = [pool.submit(self.read_until, stop, failures) for _ in range(2)]
            writers = [pool.submit(self.write_many, w, SUBMITS, failures) for w in range(WRITERS)]
            for w in writers:
                w.result()
            stop.set()
            reads = sum(r.result() for r in readers)
        self.assertEqual(failures, [])
        self.assertGreater(reads, 0)
        signals = self.fx.js("list")
        self.assertEqual(len(signals), WRITERS * SUBMITS)
        titles = {s["title"] for s in signals}
        for w in range(WRITERS):
            for n in range(SUBMITS):
                self.assertIn(f"Writer {w} signal {n}", titles)
        con = sqlite3.connect(self.fx.db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(con.execute("SELECT count(*) FROM history").fetchone()[0], WRITERS * SUBMITS)
        con.close()

    def test_a_lock_held_past_the_busy_timeout_is_exit_75(self):
        self.ok("init")
        sid = self.submit()
        holder = sqlite3.connect(self.fx.db, isolation_level=None, timeout=1)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            with self.unchanged(check_bytes=False):
                rc, out, err = self.fx.run("triage", sid, "--accept")
            waited = time.monotonic() - started
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        self.assertEqual(rc, 75, err)
        self.assertEqual(out, "")
        self.assertIn("busy", err)
        self.assertIn("try again", err)
        self.assertGreaterEqual(waited, 4.5, "it should wait for the busy timeout first")
        self.assertEqual(self.state(sid), "submitted")
        self.ok("triage", sid, "--accept")  # once the lock is gone the same command goes through
        self.assertEqual(self.state(sid), "accepted")

    def test_json_error_for_a_busy_database(self):
        self.ok("init")
        holder = sqlite3.connect(self.fx.db, isolation_level=None, timeout=1)
        holder.execute("BEGIN IMMEDIATE")
        try:
            rc, _, err = self.fx.run("submit", "Titel", "--by", harness.EXAMPLE_BY, "--json")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        self.assertEqual(rc, 75)
        self.assertIn('"code":75', err.replace(" ", ""))


class LogBetweenCommands(harness.SileramTestCase):
    """When a command ends, its changes are in the file itself (the write-ahead log is gone or
    empty), so copying sileram.db between commands loses nothing."""
    FILE_DATABASE = True

    def log_size(self):
        try:
            return os.path.getsize(self.fx.db + "-wal")
        except FileNotFoundError:
            return 0

    def test_the_log_is_empty_after_each_writing_command(self):
        for i in range(3):
            self.submit(f"Klacht {i} over de bezorging")
            self.assertEqual(self.log_size(), 0)
        self.fx.js("submit", "--from", "-", stdin="title,submitted_by\nUit een bestand,b@example.org\n")
        self.assertEqual(self.log_size(), 0)
        copy = os.path.join(self.fx.tmp, "copy.db")
        shutil.copyfile(self.fx.db, copy)
        with sqlite3.connect(copy) as db:
            self.assertEqual(db.execute("SELECT count(*) FROM signals").fetchone()[0], 4)
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")


class Backup(harness.SileramTestCase):
    def test_backup_while_others_write_is_one_consistent_snapshot(self):
        self.ok("init")
        failures = []
        copy = os.path.join(self.fx.tmp, "copy.db")
        with ThreadPoolExecutor(max_workers=4) as pool:
            writers = [pool.submit(Concurrency.write_many, self, w, 40, failures) for w in range(3)]
            time.sleep(0.3)  # let the writers get going; the backup must not wait for them
            rc, out, err = self.fx.run("backup", copy)
            for w in writers:
                w.result()
        self.assertEqual(failures, [])
        self.assertEqual(rc, 0, err)
        self.assertIn("integrity ok", out)
        con = sqlite3.connect(copy)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        # A snapshot: every signal in the copy has its history row, none half-written.
        signals = con.execute("SELECT count(*) FROM signals").fetchone()[0]
        history = con.execute("SELECT count(*) FROM history").fetchone()[0]
        orphans = con.execute("SELECT count(*) FROM signals s WHERE NOT EXISTS "
                              "(SELECT 1 FROM history h WHERE h.signal_id = s.id)").fetchone()[0]
        con.close()
        self.assertEqual(signals, history)
        self.assertEqual(orphans, 0)
        self.assertLessEqual(signals, 120)
        rc, out, _ = self.fx.run("--db", copy, "list", "--json", db=False)
        self.assertEqual(rc, 0)
        self.assertEqual(len(json.loads(out)), signals)

    def test_backup_refuses_an_existing_file_and_a_missing_database(self):
        self.ok("init")
        self.submit()
        copy = self.fx.write("taken.db", "not empty")
        self.assert_refused(1, ["backup", copy], "exists already")
        with open(copy) as f:
            self.assertEqual(f.read(), "not empty")
        missing = os.path.join(self.fx.tmp, "none.db")
        rc, _, err = self.fx.run("--db", missing, "backup", os.path.join(self.fx.tmp, "b.db"), db=False)
        self.assertEqual(rc, 1)
        self.assertIn("no database", err)
        self.assertFalse(os.path.exists(missing))
        self.assert_refused(2, ["backup", os.path.join(self.fx.tmp, "nodir", "b.db")], "does not exist")


if __name__ == "__main__":
    harness.main()
