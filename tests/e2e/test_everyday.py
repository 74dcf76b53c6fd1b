#!/usr/bin/env python3
"""Everyday use of SPEC.md: a missing database is refused by every command but init and submit,
`list` shows open signals by default with --all and --state groups, long output on a terminal
goes through the pager, piped output is never cut, and the JSON shapes (booleans, objects of
counts, empty lists) with --csv and --json refusing each other.
Usage: python3 test_everyday.py PATH/TO/sileram"""
import json
import os
import pty
import select
import subprocess
import unittest

import harness
from harness import SileramTestCase

# Every command that reads or changes a database, with arguments that would otherwise be valid.
READING_AND_CHANGING = [
    ["list"], ["show", "1"], ["report", "funnel"], ["report", "impact"], ["export"],
    ["backup", "copy.db"], ["customer", "list"], ["triage", "1", "--accept"],
    ["impact", "1", "--contacts", "5", "--satisfaction-impact", "2"],
    ["close", "1"], ["close", "--send"], ["close", "--send", "--dry-run"],
    ["customer", "set", "Acme", "--revenue", "10"], ["submit", "x", "--by", "a@b.nl", "--join", "1"],
]


def run_on_terminal(fx, args, env_extra, columns=80):
    """Runs sileram with stdout and stdin on a pseudo-terminal; returns (exit code, what the
    terminal showed)."""
    env = dict(fx.env)
    env.update(env_extra)
    env.setdefault("COLUMNS", str(columns))
    master, slave = pty.openpty()
    p = subprocess.Popen([harness.BIN, "--db", fx.db, *args], cwd=fx.tmp, env=env,
                         stdin=slave, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], harness.TIMEOUT_SECONDS)
        if not ready:
            p.kill()
            raise AssertionError(f"sileram {args} on a terminal printed nothing for a while")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: every writer has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    rc = p.wait(timeout=harness.TIMEOUT_SECONDS)
    p.stderr.close()
    return rc, shown.decode("utf-8", errors="replace").replace("\r\n", "\n")


class MissingDatabase(SileramTestCase):
    # A missing file; tests/pg/test_postgres.py has the same for a database without the schema.
    FILE_DATABASE = True

    def test_every_reading_or_changing_command_refuses_a_missing_database(self):
        for args in READING_AND_CHANGING:
            with self.subTest(args=args):
                err = self.assert_refused(1, args, f"no database at {self.db}", "sileram init")
                self.assertIn("--db", err)
                self.assertFalse(os.path.exists(self.db), f"{args} created the database")
                self.assertEqual(sorted(os.listdir(self.fx.tmp)), ["xdg"] if os.path.exists(
                    os.path.join(self.fx.tmp, "xdg")) else [], f"{args} left a file behind")

    def test_a_mistyped_db_in_a_cron_line_is_refused(self):
        typo = os.path.join(self.fx.tmp, "signal.db")
        rc, out, err = self.fx.run("--db", typo, "close", "--send", db=False)
        self.assertEqual(rc, 1, err)
        self.assertIn(f"no database at {typo}", err)
        self.assertFalse(os.path.exists(typo))
        self.assertFalse(os.path.exists(typo + ".send-lock"))

    def test_the_refusal_is_json_with_json(self):
        rc, out, err = self.fx.run("list", "--json")
        self.assertEqual(rc, 1)
        self.assertIn("no database at", json.loads(err)["error"]["message"])

    def test_submit_creates_the_database_and_says_so(self):
        rc, out, err = self.fx.run("submit", "Factuur onduidelijk", "--by", "a@example.nl")
        self.assertEqual(rc, 0, err)
        self.assertIn(f"created a new database at {self.db}", err)
        rc, out, err = self.fx.run("submit", "Nog een", "--by", "a@example.nl")
        self.assertNotIn("created", err)

    def test_init_on_a_terminal_says_what_comes_next(self):
        rc, shown = run_on_terminal(self.fx, ["init"], {})
        self.assertEqual(rc, 0, shown)
        self.assertIn(f"Created the database {self.db}", shown)
        self.assertIn("sileram submit", shown)
        self.assertNotIn("[impact]", shown)
        self.assertTrue(os.path.exists(self.db))

    def test_init_redirected_writes_the_sample_config(self):
        out = self.ok("init")
        self.assertIn("[impact]", out)
        self.assertEqual(self.ok("init", "--sample-config"), out)


class ListDefaults(SileramTestCase):
    def seed(self):
        return {"closed": self.walk("closed"),
                "rejected": self.walk("rejected", title="Geen signaal"),
                "open": self.submit("Pakket beschadigd"),
                "analysed": self.walk("analysed", title="Incasso mislukt")}

    def ids(self, *args):
        return [s["id"] for s in self.fx.js("list", *args)]

    def test_open_signals_by_default_and_all_with_all(self):
        ids = self.from_template(ListDefaults.seed)
        open_ids = sorted(int(ids[k]) for k in ("open", "analysed"))
        self.assertEqual(self.ids(), open_ids)
        self.assertEqual(self.ids("--all"), sorted(int(v) for v in ids.values()))
        self.assertEqual(self.ids("--state", "closed"),
                         sorted([int(ids["closed"]), int(ids["rejected"])]))
        self.assertEqual(self.ids("--state", "open"), open_ids)

    def test_state_is_repeatable_and_takes_a_comma_list(self):
        ids = self.from_template(ListDefaults.seed)
        both = sorted([int(ids["open"]), int(ids["analysed"])])
        self.assertEqual(self.ids("--state", "submitted,analysed"), both)
        self.assertEqual(self.ids("--state", "submitted", "--state", "analysed"), both)
        self.assertEqual(self.ids("--state", "open, rejected"),
                         sorted([int(ids["open"]), int(ids["analysed"]), int(ids["rejected"])]))

    def test_a_bad_state_or_all_with_state_is_usage(self):
        self.from_template(ListDefaults.seed)
        self.assert_refused(2, ["list", "--state", "opne"], "'opne'", "open")
        self.assert_refused(2, ["list", "--state", "open", "--all"], "--all")

    def test_a_limit_says_how_many_there_are(self):
        self.from_template(ListDefaults.seed)
        out = self.ok("list", "--all", "--limit", "2")
        self.assertIn("2 of 4 signals shown", out)
        self.assertIn("4 signals", self.ok("list", "--all", "--limit", "4"))
        self.assertNotIn(" of ", self.ok("list", "--all", "--limit", "4"))


class Pager(SileramTestCase):
    def fake_pager(self):
        record = os.path.join(self.fx.tmp, "paged.txt")
        script = self.fx.write("pager.sh", f"#!/bin/sh\ncat > '{record}'\n")
        os.chmod(script, 0o755)
        return script, record

    def test_a_terminal_gets_long_output_through_the_pager(self):
        for i in range(30):
            self.submit(f"Signaal nummer {i}")
        script, record = self.fake_pager()
        for variable in ("SILERAM_PAGER", "PAGER"):
            with self.subTest(variable=variable):
                if os.path.exists(record):
                    os.remove(record)
                rc, shown = run_on_terminal(self.fx, ["list"], {variable: script})
                self.assertEqual(rc, 0, shown)
                with open(record, encoding="utf-8") as f:
                    paged = f.read()
                self.assertIn("Signaal nummer 29", paged)
                self.assertIn("30 signals", paged)
                self.assertNotIn("Signaal nummer", shown)

    def test_no_pager_and_a_pipe_print_directly(self):
        self.submit("Signaal")
        script, record = self.fake_pager()
        rc, shown = run_on_terminal(self.fx, ["list", "--no-pager"], {"PAGER": script})
        self.assertEqual(rc, 0)
        self.assertIn("Signaal", shown)
        self.assertFalse(os.path.exists(record))
        rc, out, err = self.fx.run("list", env_extra={"PAGER": script})
        self.assertIn("Signaal", out)
        self.assertFalse(os.path.exists(record))

    def test_a_pager_that_does_not_exist_still_shows_the_output(self):
        self.submit("Signaal")
        rc, shown = run_on_terminal(self.fx, ["list"], {"PAGER": "/nonexistent/pager"})
        self.assertEqual(rc, 0)
        self.assertIn("Signaal", shown)


class PipedOutput(SileramTestCase):
    LONG = ("Incasso mislukt bij klanten met een buitenlands rekeningnummer omdat het "
            "formulier het IBAN-veld afkapt op achttien tekens en niemand dat merkt")

    def test_a_pipe_without_columns_cuts_nothing(self):
        sid = self.submit(self.LONG)
        self.assertGreater(len(self.LONG), 120)
        out = self.ok("list")
        self.assertIn(self.LONG, out)
        self.assertNotIn("…", out)
        self.assertIn(self.LONG, self.ok("show", sid))

    def test_columns_still_cuts_a_pipe(self):
        self.submit(self.LONG)
        out = self.ok("list", env_extra={"COLUMNS": "80"})
        self.assertNotIn(self.LONG, out)
        self.assertIn("…", out)


def display_width(line):
    """Display columns of a line: East Asian wide characters count 2, combining marks 0."""
    import unicodedata
    width = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


class Widths(SileramTestCase):
    TITLE = "Klanten begrijpen de btw-regel op de factuur niet en bellen massaal de klantenservice"

    def seed(self):
        ids = {"closed": self.walk("closed", title=self.TITLE, extra=(
            "--channel", "phone", "--process", "billing", "--customer", "Café Ïda Groothandel"))}
        ids["late"] = self.walk("in-progress", title="Opzeggen lukt niet online, de knop doet niets",
                                by="agent3@example.nl", extra=("--process", "cancellation"))
        ids["analysed"] = self.walk("analysed", title="Pakket kwam beschadigd aan bij de klant thuis",
                                    by="agent2@example.nl", extra=("--process", "delivery"))
        ids["parked"] = self.walk("parked", title="Wachtwoord vergeten werkt niet")
        self.ok("customer", "set", "Café Ïda Groothandel", "--revenue", "1000000")
        return ids

    def check_fits(self, args, columns, title=None):
        out = self.ok(*args, env_extra={"COLUMNS": str(columns), "SILERAM_NOW": "2027-03-01T12:00:00Z"})
        for line in out.splitlines():
            self.assertLessEqual(display_width(line), columns,
                                 f"sileram {' '.join(args)} at {columns}: {line!r}")
        if title:
            # The title keeps at least 20 columns: its first 19 characters and the ellipsis.
            self.assertIn(title[:19], out, f"sileram {' '.join(args)} at {columns}:\n{out}")
        return out

    def test_every_report_list_and_show_fit_60_80_and_120_columns(self):
        ids = self.from_template(Widths.seed)
        cases = [(["list", "--all"], self.TITLE), (["show", ids["late"]], None),
                 (["report", "impact", "--by", "process"], "Pakket kwam beschadigd aan"),
                 (["report", "funnel"], None), (["report", "effect"], self.TITLE),
                 (["report", "fields"], None), (["report", "customers"], None),
                 (["report", "overdue"], "Opzeggen lukt niet online")]
        for columns in (60, 80, 120):
            for args, title in cases:
                with self.subTest(args=args, columns=columns):
                    self.check_fits(args, columns, title)

    def test_a_narrow_table_names_what_it_left_out(self):
        self.from_template(Widths.seed)
        out = self.check_fits(["report", "impact"], 60)
        self.assertIn("Left out at this width:", out)
        self.assertIn("cost/year", out.split("Left out at this width:")[1])
        self.assertIn("--json and --csv have every column", out)
        wide = self.ok("report", "impact", env_extra={"COLUMNS": "200"})
        self.assertNotIn("Left out", wide)

    def test_money_shows_the_currency_once_and_whole_units(self):
        self.from_template(Widths.seed)
        out = self.ok("report", "impact")
        self.assertIn("cost/period EUR", out)
        self.assertIn("120,000", out)
        self.assertNotIn("120,000.00", out)
        self.assertNotRegex(out.split("Open signals by impact score")[1], r"EUR \d")

    def test_the_quadrants_are_a_grid(self):
        self.from_template(Widths.seed)
        out = self.ok("report", "impact")
        grid = out.split("Contacts x satisfaction impact")[1]
        header = grid.splitlines()[1]
        self.assertIn("high satisfaction impact", header)
        self.assertIn("low satisfaction impact", header)
        self.assertRegex(grid, r"many contacts\s+act first\s+delegate")
        self.assertRegex(grid, r"few contacts\s+plan\s+avoid")


class JsonShapes(SileramTestCase):
    def test_customer_flags_are_booleans(self):
        self.walk("analysed", extra=("--customer", "Acme BV"))
        self.ok("customer", "set", "Acme BV", "--revenue", "1000")
        rows = self.fx.js("report", "customers")["customers"]
        self.assertEqual(len(rows), 1)
        self.assertIn(rows[0]["care"], (True, False))
        self.assertIs(type(rows[0]["disproportionate"]), bool)

    def test_funnel_states_are_an_object_of_counts(self):
        self.walk("analysed")
        self.walk("parked", title="Later")
        self.submit("Nieuw")
        report = self.fx.js("report", "funnel")
        steps = {s["step"]: s for s in report["steps"]}
        self.assertEqual(steps[4]["states"], {"parked": 1})
        self.assertEqual(steps[3]["states"], {"analysed": 1})
        self.assertEqual(steps[5]["states"], {})
        csv = self.ok("report", "funnel", "--csv")
        self.assertIn("parked 1", csv)

    def test_empty_lists_are_lists(self):
        sid = self.submit()
        shown = self.show(sid)
        for key in ("submitters", "decisions", "actions", "measurements", "feedback", "history"):
            self.assertIsInstance(shown[key], list, key)
        self.assertEqual(self.fx.js("list", "--state", "closed"), [])
        for report in ("impact", "funnel", "effect", "fields", "customers", "overdue"):
            with self.subTest(report=report):
                self.assert_no_null_lists(self.fx.js("report", report))

    def assert_no_null_lists(self, value, path="$"):
        if isinstance(value, dict):
            for key, item in value.items():
                self.assert_no_null_lists(item, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.assert_no_null_lists(item, f"{path}[{i}]")

    def test_csv_and_json_refuse_each_other(self):
        self.submit()
        for args in (["list", "--csv"], ["report", "funnel", "--csv"], ["export", "--csv"],
                     ["customer", "list", "--csv"]):
            with self.subTest(args=args):
                rc, out, err = self.fx.run(*args, "--json")
                self.assertEqual(rc, 2, err)
                self.assertEqual(out, "")
                self.assertIn("--csv and --json", json.loads(err)["error"]["message"])


if __name__ == "__main__":
    harness.main()
