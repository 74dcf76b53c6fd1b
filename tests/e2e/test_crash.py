#!/usr/bin/env python3
"""Crashes: `submit --from` killed with SIGKILL at random moments. After every kill the file passes
PRAGMA integrity_check and holds all rows of the import or none of them; a run after the kills
imports the file completely. Usage: python3 test_crash.py PATH/TO/sileram

SILERAM_CRASH_ROWS sets the rows of the imported file (default 100,000) and SILERAM_CRASH_KILLS
the number of kills (default 20); the sanitized build uses fewer rows, not fewer kills."""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time

import harness
from harness import SileramTestCase

ROWS = int(os.environ.get("SILERAM_CRASH_ROWS", "100000"))
KILLS = int(os.environ.get("SILERAM_CRASH_KILLS", "20"))
CHANNELS = ["telefoon", "email", "chat", "brief", "social"]


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("external_id,title,description,submitted_by,channel\r\n")
        for n in range(rows):
            f.write(f'crash-{n},"Factuur {n} is onduidelijk, klant belt","Regel {n}\nmet ""quotes""",'
                    f"agent{n % 97}@example.nl,{CHANNELS[n % 5]}\r\n")


def count_and_check(db):
    con = sqlite3.connect(db)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        signals = con.execute("SELECT count(*) FROM signals").fetchone()[0]
        history = con.execute("SELECT count(*) FROM history").fetchone()[0]
    finally:
        con.close()
    return integrity, signals, history


class KilledImport(SileramTestCase):
    def import_file(self, db, csv):
        """A whole import, with room for a slow machine (the harness allows 30 s a command)."""
        return subprocess.run([harness.BIN, "--db", db, "submit", "--from", csv, "--quiet"],
                              cwd=self.fx.tmp, env=self.fx.env, capture_output=True, text=True,
                              timeout=900)

    def test_killed_imports_leave_all_rows_or_none(self):
        csv = os.path.join(self.fx.tmp, "signals.csv")
        write_csv(csv, ROWS)
        self.fx.js("submit", "Al bekend voor de import", "--by", "lead@example.nl")
        _, before, history_before = count_and_check(self.fx.db)
        pristine = os.path.join(self.fx.tmp, "pristine.db")
        shutil.copyfile(self.fx.db, pristine)  # sileram checkpointed and closed it: one file

        # One complete import into a copy tells how long an import takes on this machine.
        probe = os.path.join(self.fx.tmp, "probe.db")
        started = time.monotonic()
        done = self.import_file(probe, csv)
        duration = time.monotonic() - started
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(count_and_check(probe)[1], ROWS)

        rng = random.Random(20261201)
        outcomes = {"none": 0, "all": 0}
        for kill in range(KILLS):
            delay = rng.uniform(0.02, duration * 0.95)
            argv = [harness.BIN, "--db", self.fx.db, "submit", "--from", csv, "--quiet"]
            process = subprocess.Popen(argv, cwd=self.fx.tmp, env=self.fx.env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            process.wait()
            integrity, signals, history = count_and_check(self.fx.db)
            with self.subTest(kill=kill, delay=round(delay, 3)):
                self.assertEqual(integrity, "ok")
                self.assertIn(signals, (before, before + ROWS))
                if signals == before:
                    outcomes["none"] += 1
                    self.assertEqual(history, history_before)
                else:
                    # It finished before the kill landed: start the next round from before again.
                    outcomes["all"] += 1
                    self.assertEqual(history, history_before + ROWS)
                    for suffix in ("-wal", "-shm"):
                        if os.path.exists(self.fx.db + suffix):
                            os.remove(self.fx.db + suffix)
                    shutil.copyfile(pristine, self.fx.db)
        print(f"    {KILLS} kills over an import of {ROWS} rows taking {duration:.1f} s: "
              f"{outcomes['none']} left nothing, {outcomes['all']} had finished")
        self.assertGreaterEqual(outcomes["none"], KILLS // 2, "most kills must land mid-import")

        # After all that, the import runs through: every row once.
        done = self.import_file(self.fx.db, csv)
        self.assertEqual(done.returncode, 0, done.stderr)
        _, signals, _ = count_and_check(self.fx.db)
        self.assertEqual(signals, before + ROWS)


if __name__ == "__main__":
    harness.main()
