#!/usr/bin/env python3
"""The bounds of the figures and of the import files: every value at its bound is taken and adds up
to the cent in every report, one above is refused with exit 2 naming the option and the limit; a
broken import file stops early with its row and reason, in flat memory.
Usage: python3 test_bounds.py PATH/TO/sileram"""
import decimal
import os
import sqlite3
import subprocess
import sys
import tempfile

import harness
from harness import EXAMPLE_BY, SileramTestCase

# Simulated signals per real one at the bounds: two real ones make a billion.
SCALE = 500_000_000
CONFIG = "[impact]\nperiod = \"year\"\n"  # per year = per period: the sums of a billion fit


def money_text(cents):
    """1,235 for EUR 1,234.50, as the text reports show money: whole units, half up, the
    currency once in the heading."""
    return f"{(cents + 50) // 100:,}"


def build_at_bounds(t):
    """An open signal and a measured one at the money bounds, one with an overdue action."""
    t.fx.write("sileram.toml", CONFIG)
    run = lambda *a: t.ok("--config", "sileram.toml", *a, "--quiet")
    ids = {}
    ids["open"] = run("submit", "Open", "--by", EXAMPLE_BY, "--channel", "phone",
                      "--customer", "Acme BV").strip()
    run("triage", ids["open"], "--accept")
    run("impact", ids["open"], "--contacts", "4000", "--satisfaction-impact", "5",
        "--cost-per-contact", "10000", "--satisfaction", "1")
    ids["measured"] = run("submit", "Gemeten", "--by", EXAMPLE_BY, "--channel", "phone",
                          "--customer", "Acme BV").strip()
    m = ids["measured"]
    run("triage", m, "--accept")
    run("impact", m, "--contacts", "4000", "--satisfaction-impact", "5", "--cost-per-contact",
        "10000", "--satisfaction", "1")
    run("impact", m, "--go", "--reason", "duur")
    run("root-cause", m, "--cause", "alles")
    run("act", m, "--plan", "Alles", "--cost", "40000000", "--due", "2026-01-01")
    run("act", m, "--expect-reduction", "100", "--expect-satisfaction", "9")
    run("act", m, "--go", "--reason", "loont")
    run("act", m, "--done", "1")
    run("measure", m, "--contacts", "0", "--satisfaction", "10")
    ids["late"] = run("submit", "Te laat", "--by", EXAMPLE_BY).strip()
    late = ids["late"]
    run("triage", late, "--accept")
    run("impact", late, "--contacts", "1", "--satisfaction-impact", "1", "--cost-per-contact",
        "0.01")
    run("impact", late, "--go", "--reason", "klein")
    run("root-cause", late, "--cause", "iets")
    run("act", late, "--plan", "Alles", "--cost", "40000000", "--due", "2026-01-01")
    run("act", late, "--expect-reduction", "1")
    run("act", late, "--go", "--reason", "ok")
    t.ok("customer", "set", "Acme BV", "--revenue", "46116860184273879.03")
    return ids


class MoneyAtTheBounds(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.ids = self.from_template(build_at_bounds)
        self.fx.write("sileram.toml", CONFIG)

    def report(self, *args):
        return self.fx.js("--config", "sileram.toml", "report", *args)

    def csv_cell(self, args, section, column, row=0):
        import csv
        import io
        out = self.ok("--config", "sileram.toml", "report", *args, "--csv", "--section", section)
        return list(csv.DictReader(io.StringIO(out, newline="")))[row][column]

    def scale_tallies(self):
        """Every tallied signal counts SCALE times: a billion signals at the bounds."""
        con = sqlite3.connect(self.db)
        with con:
            con.execute("UPDATE tally_impact SET signals = signals * ?", (SCALE,))
            con.execute("UPDATE tally_states SET signals = signals * ?", (SCALE,))
            con.execute("UPDATE tally_fields SET signals = signals * ?1, contacts = contacts * ?1, "
                        "score = score * ?1, cost_cents = cost_cents * ?1", (SCALE,))
        con.close()

    def integer_tallies(self):
        """Tallies that SQLite stored as something other than an integer (a float loses cents).
        PostgreSQL keeps no tallies, and its columns are bigint: nothing to count there."""
        if self.fx.pg is not None:
            return (0, 0)
        con = sqlite3.connect(self.db)
        try:
            return con.execute(
                "SELECT (SELECT count(*) FROM tally_fields WHERE typeof(cost_cents) <> 'integer' "
                "OR typeof(contacts) <> 'integer' OR typeof(score) <> 'integer'), "
                "(SELECT count(*) FROM tally_effect WHERE typeof(saved_cents) <> 'integer' "
                "OR typeof(expected_base) <> 'integer' OR typeof(cost_cents) <> 'integer')"
            ).fetchone()
        finally:
            con.close()

    def test_every_report_of_the_real_signals_to_the_cent(self):
        impact = self.report("impact")
        self.assertEqual(impact["summary"]["signals"], 2)  # the open one and the late one
        self.assertEqual(self.csv_cell(["impact"], "signals", "cost_per_year"), "40000000.00")
        effect = self.report("effect")["summary"]
        self.assertEqual((effect["saved_per_year"], effect["expected_per_year"], effect["cost"]),
                         (40000000.0, 40000000.0, 40000000.0))
        self.assertEqual(self.csv_cell(["effect"], "signals", "saved_per_year"), "40000000.00")
        self.assertEqual(self.report("overdue")["summary"]["overdue_actions"], 1)
        self.assertEqual(self.integer_tallies(), (0, 0))

    @harness.file_database  # scales SQLite's report tallies to a billion signals
    def test_every_report_of_a_billion_signals_to_the_cent(self):
        before = {kind: self.report(kind) for kind in
                  ("impact", "funnel", "effect", "fields", "customers", "overdue")}
        self.scale_tallies()
        impact = self.report("impact")
        per_period = (SCALE * 4_000_000_000 + SCALE * 1)  # the open one and the late one, in cents
        self.assertEqual(impact["summary"]["signals"], 2 * SCALE)
        self.assertEqual(decimal.Decimal(str(impact["summary"]["cost_per_year"])),
                         decimal.Decimal(per_period) / 100)
        text = self.ok("--config", "sileram.toml", "report", "impact",
                       env_extra={"COLUMNS": "200"})
        self.assertIn(money_text(per_period), text)
        # The quadrant "act first" holds the open signal alone: SCALE × 40,000,000.00.
        self.assertEqual(self.csv_cell(["impact"], "quadrants", "quadrant"), "act first")
        self.assertEqual(self.csv_cell(["impact"], "quadrants", "cost_per_year"),
                         "20000000000000000.00")
        fields = self.report("fields")
        phone = [v for v in fields["channel"] if v["value"] == "phone"][0]
        self.assertEqual(phone["signals"], 2 * SCALE)
        # The open and the measured signal: 2 × SCALE × 40,000,000.00 = 4·10^18 cents.
        self.assertEqual(self.csv_cell(["fields"], "channel", "cost_per_year"),
                         "40000000000000000.00")
        customers = self.report("customers")
        self.assertEqual(customers["customers"][0]["signals"], 2 * SCALE)
        funnel = self.report("funnel")
        self.assertEqual(funnel["summary"]["signals"], 3 * SCALE)
        self.assertEqual(self.report("effect"), before["effect"])  # one row per measured signal
        overdue = self.report("overdue")
        self.assertEqual(overdue["actions"], before["overdue"]["actions"])
        self.assertEqual(overdue["summary"]["overdue_actions"], 1)
        # One more signal at the bounds on top: the triggers add it as integers.
        new = self.ok("--config", "sileram.toml", "submit", "Nog een", "--by", EXAMPLE_BY,
                      "--channel", "phone", "--quiet").strip()
        self.ok("--config", "sileram.toml", "triage", new, "--accept")
        self.ok("--config", "sileram.toml", "impact", new, "--contacts", "10000000",
                "--satisfaction-impact", "5", "--cost-per-contact", "4")
        self.assertEqual(self.integer_tallies(), (0, 0))
        phone = [v for v in self.report("fields")["channel"] if v["value"] == "phone"][0]
        self.assertEqual(phone["signals"], 2 * SCALE + 1)
        self.assertEqual(self.csv_cell(["fields"], "channel", "cost_per_year"),
                         "40000000040000000.00")

    def test_one_above_each_bound_is_refused(self):
        a = self.ok("submit", "Te groot", "--by", EXAMPLE_BY, "--quiet").strip()
        self.ok("triage", a, "--accept")
        cases = [
            (["impact", a, "--contacts", "10000001", "--satisfaction-impact", "1",
              "--cost-per-contact", "0"], ["--contacts 10000001 is too large", "10000000"]),
            (["impact", a, "--contacts", "1", "--satisfaction-impact", "1",
              "--cost-per-contact", "10000.01"], ["--cost-per-contact 10000.01", "10000"]),
            (["impact", a, "--contacts", "4001", "--satisfaction-impact", "1",
              "--cost-per-contact", "10000"], ["--contacts 4001", "40000000"]),
            (["act", self.ids["late"], "--plan", "Meer", "--cost", "0.01"],
             ["--cost 0.01", "40000000"]),
        ]
        for args, needles in cases:
            with self.subTest(args=args):
                self.assert_refused(2, args, *needles)
        self.assert_refused(2, ["--config", "sileram.toml", "measure", self.ids["measured"],
                                "--contacts", "4001"], "--contacts 4001", "40000000")
        self.fx.write("dear.toml", "[impact]\ncost_per_contact = 10000.01\n")
        self.assert_refused(2, ["--config", "dear.toml", "list"], "impact.cost_per_contact",
                            "10000")
        self.fx.write("wide.toml", "[impact]\nsatisfaction_scale = [0, 1000.01]\n")
        self.assert_refused(2, ["--config", "wide.toml", "list"], "impact.satisfaction_scale",
                            "1000")


class NumbersAndDates(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.R = self.walk("root-caused", "Oorzaak bekend")
        self.A = self.walk("accepted", "Geaccepteerd")

    def test_a_number_too_large_is_called_too_large(self):
        err = self.assert_refused(2, ["act", self.R, "--plan", "x", "--cost", "99999999999999999"],
                                  "--cost", "too large")
        self.assertNotIn("not a number", err)
        self.assert_refused(2, ["act", self.R, "--plan", "x", "--cost", "40000000.01"],
                            "--cost 40000000.01 is too large", "40000000")
        self.assert_refused(2, ["impact", self.A, "--contacts", "99999999999999999999",
                                "--satisfaction-impact", "1"], "--contacts", "too large")
        self.assert_refused(2, ["show", "99999999999999999999"], "too large")
        self.assert_refused(2, ["impact", self.A, "--contacts", "1", "--satisfaction-impact", "1",
                                "--cost-per-contact", "99999999999999999"], "too large")
        self.fx.write("customers.csv", "name,revenue\nAcme,99999999999999999999\n")
        self.assert_refused(2, ["customer", "import", "customers.csv"], "row 2", "revenue",
                            "too large")

    def test_expected_satisfaction_bounded_by_the_scale(self):
        # The scale is 1-10: a score moves by at most 9.
        self.assert_refused(2, ["act", self.R, "--expect-satisfaction", "100"],
                            "--expect-satisfaction 100", "-9 to 9")
        self.assert_refused(2, ["act", self.R, "--expect-satisfaction", "-9.01"],
                            "--expect-satisfaction -9.01")
        self.ok("act", self.R, "--expect-satisfaction", "9")

    def test_dates_outside_1970_to_2199_are_refused(self):
        for bad in ("9999-12-31", "0000-01-01", "1969-12-31", "2200-01-01"):
            with self.subTest(bad=bad):
                self.assert_refused(2, ["act", self.R, "--plan", "x", "--due", bad], "--due",
                                    bad, "1970 to 2199")
                self.assert_refused(2, ["list", "--since", bad], "--since", bad, "1970 to 2199")
                self.assert_refused(2, ["report", "impact", "--until", bad], "--until", bad)
        p = self.walk("analysed", "Parkeren")
        self.assert_refused(2, ["impact", p, "--park", "later", "--until", "9999-12-31"],
                            "--until", "9999-12-31")
        self.ok("act", self.R, "--plan", "x", "--due", "2199-12-31")
        self.ok("list", "--since", "1970-01-01")
        self.fx.write("old.csv", "title,submitted_by,submitted_at\n"
                                 "Goed,a@example.nl,2026-01-01\n"
                                 "Oud,a@example.nl,0000-01-01\n")
        with self.unchanged(check_bytes=False):
            rc, out, err = self.fx.run("submit", "--from", "old.csv")
        self.assertEqual(rc, 2, err)
        self.assertIn("row 3", err)
        self.assertIn("submitted_at", err)
        self.assertIn("1970 to 2199", err)


# Runs a command through a small Python of its own, which forks it, waits for it and writes its
# peak RSS (KiB) into a file: argv[1] the file, argv[2:] the command.
PEAK_MEMORY_RUNNER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
"""


def run_with_peak_memory(argv, cwd, env):
    """Runs argv to its end: (exit code, stdout, stderr, its peak RSS in KiB). Linux counts in a
    process's peak the memory of the process that forked it, as it stood at the fork (the old
    address space that exec replaced): forked from this test, with psycopg2 and its libraries
    loaded, every command "peaked" at 41 MiB in a fresh Debian root. So a bare Python (about
    5 MiB) forks it instead. (RUSAGE_CHILDREN has the same floor, and holds an earlier test's
    children too.)"""
    with tempfile.TemporaryDirectory() as folder:
        peak_file = os.path.join(folder, "peak")
        p = subprocess.run([sys.executable, "-S", "-c", PEAK_MEMORY_RUNNER, peak_file, *argv],
                           cwd=cwd, env=env, capture_output=True, timeout=harness.TIMEOUT_SECONDS)
        with open(peak_file, encoding="ascii") as f:
            return p.returncode, p.stdout, p.stderr, int(f.read())


class BrokenImportFiles(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.submit("Er al", EXAMPLE_BY)  # a database to leave unchanged

    def test_an_unclosed_quote_in_a_large_file_stops_early_in_flat_memory(self):
        path = os.path.join(self.tmp, "broken.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("title,submitted_by,description\n")
            f.write("Goed,a@example.nl,fijn\n")
            f.write('"Nooit dicht,a@example.nl,x\n')
            line = "Regel,a@example.nl," + "y" * 200 + "\n"
            while f.tell() < 50 * 1024 * 1024:
                f.write(line * 1000)
        # Each import's own peak memory: far below the 50 MB of the file (the reader that
        # collected the rest of the file into one field took about 197 MiB). AddressSanitizer's
        # shadow memory and quarantine (the sanitized run sets ASAN_OPTIONS) add about 10 MiB.
        limit_mib = 80 if "ASAN_OPTIONS" in os.environ else 40
        for extra in ([], ["--skip-invalid", "rejects.csv"]):
            with self.subTest(extra=extra):
                argv = [harness.BIN, "--db", self.db, "submit", "--from", path, *extra]
                with self.unchanged(check_bytes=False):
                    rc, out, err, peak_kib = run_with_peak_memory(argv, self.tmp, self.fx.env)
                err = err.decode()
                self.assertEqual(rc, 2, err)
                self.assertEqual(out, b"")
                self.assertIn("row 3, column title", err)
                self.assertIn("longer than 1048576 bytes", err)
                self.assertIn("nothing imported", err)
                self.assertFalse(os.path.exists(os.path.join(self.tmp, "rejects.csv")))
                self.assertLess(peak_kib, limit_mib * 1024, f"peak RSS {peak_kib} KiB")

    def test_a_json_line_without_end_stops_at_the_cap(self):
        path = os.path.join(self.tmp, "long.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"title": "Goed", "submitted_by": "a@example.nl"}\n')
            f.write('{"title": "' + "z" * (6 * 1024 * 1024))
        with self.unchanged(check_bytes=False):
            rc, out, err = self.fx.run("submit", "--from", path, "--skip-invalid", "rejects.jsonl")
        self.assertEqual(rc, 2, err)
        self.assertIn("row 2: the line is longer than 4194304 bytes", err)

    def test_rejects_that_cannot_be_written_exit_75_and_import_nothing(self):
        self.fx.write("rows.csv", "title,submitted_by\nGoed,a@example.nl\nSlecht,geen-adres\n")
        with self.unchanged(check_bytes=False):
            rc, out, err = self.fx.run("submit", "--from", "rows.csv", "--skip-invalid",
                                       "/dev/full")
        self.assertEqual(rc, 75, err)
        self.assertIn("/dev/full", err)
        self.assertIn("No space left on device", err)
        self.assertIn("nothing imported", err)
        self.assertTrue(os.path.exists("/dev/full") and not os.path.isfile("/dev/full"))
        self.assertFalse(os.path.exists("/dev/full.part"))


if __name__ == "__main__":
    harness.main()
