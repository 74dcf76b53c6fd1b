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


class SearchedPages(SileramTestCase):
    """`list --search` with a limit: the page is the head of the whole list, and "N of M" counts
    every match in the states asked, whether fewer or more signals are in the other states."""

    def seed(self):
        for i in range(5):
            self.submit(f"Factuur dubbel afgeschreven {i}")
        self.walk("closed", title="Factuur te laat verstuurd")
        self.walk("rejected", title="Factuur kwijtgeraakt")
        self.walk("analysed", title="Levering te laat")
        self.submit("Pakket beschadigd")

    def ids(self, *args):
        return [s["id"] for s in self.fx.js("list", *args)]

    def test_a_page_of_matches_is_the_head_of_all_and_counts_them_all(self):
        self.from_template(SearchedPages.seed)
        # The open ones (by default): fewer signals are in the other states; closed ones: more.
        for states in ([], ["--state", "closed"], ["--state", "closed,rejected"],
                       ["--state", "submitted"], ["--state", "open,rejected"], ["--all"]):
            for order in ([], ["--sort", "-id"]):
                with self.subTest(states=states, order=order):
                    args = ["--search", "factuur"] + states + order
                    every = self.ids(*args)
                    self.assertEqual(self.ids(*args, "--limit", "1"), every[:1])
                    if len(every) > 1:
                        self.assertIn(f"1 of {len(every)} signals shown",
                                      self.ok("list", *args, "--limit", "1"))
        self.assertEqual(len(self.ids("--search", "factuur")), 5)
        self.assertEqual(len(self.ids("--search", "factuur", "--all")), 7)
        self.assertEqual(len(self.ids("--search", "factuur", "--state", "closed")), 2)


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
        self.ok("project", "add", "Vernieuwing van het klantportaal voor zakelijke klanten",
                "--customer", "Café Ïda Groothandel", "--start", "2025-01-01")
        ids["asked"] = self.walk("analysed", title="Het portaal moet ook facturen als UBL exporteren",
                                 extra=("--process", "billing", "--customer",
                                        "Café Ïda Groothandel", "--project",
                                        "Vernieuwing van het klantportaal voor zakelijke klanten"))
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
                 (["report", "overdue"], "Opzeggen lukt niet online"),
                 (["report", "response"], None), (["report", "recurrence"], None),
                 (["report", "trend"], None), (["report", "scope"], "Het portaal moet ook"),
                 (["report", "all"], None), (["list", "--late"], None)]
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


class LocalTimes(SileramTestCase):
    """Times print in the local zone with its name; stored and JSON times stay UTC; --since and
    --until take today, yesterday, Nd and Nw counted in local days."""

    def submit_at(self, title, at):
        return self.ok("submit", title, "--by", harness.EXAMPLE_BY, "--quiet",
                       env_extra={"SILERAM_NOW": at}).strip()

    def test_show_prints_local_time_with_the_zone_name(self):
        sid = self.submit_at("Zomertijd", "2026-09-01T09:00:00Z")
        winter = self.submit_at("Wintertijd", "2026-12-01T09:00:00Z")
        amsterdam = {"TZ": "Europe/Amsterdam"}
        self.assertIn("2026-09-01 11:00 CEST", self.ok("show", sid, env_extra=amsterdam))
        self.assertIn("2026-12-01 10:00 CET", self.ok("show", winter, env_extra=amsterdam))
        self.assertIn("2026-09-01 09:00 UTC", self.ok("show", sid))
        shown = self.fx.js("show", sid, env_extra=amsterdam)
        self.assertEqual(shown["submitted_at"], "2026-09-01T09:00:00Z")
        self.assertEqual(self.fx.query("SELECT submitted_at FROM signals WHERE id = 1")[0][0],
                         "2026-09-01T09:00:00Z")

    def test_since_yesterday_and_days_ago_count_local_days(self):
        # 23:30 UTC on 21 November is already 22 November in Amsterdam.
        late = self.submit_at("Laat op de avond", "2026-11-21T23:30:00Z")
        early = self.submit_at("Vroeg", "2026-11-16T12:00:00Z")
        now = {"SILERAM_NOW": "2026-11-23T12:00:00Z"}

        def ids(*args, zone):
            rows = self.fx.js("list", "--all", *args, env_extra={**now, "TZ": zone})
            return sorted(str(r["id"]) for r in rows)

        self.assertEqual(ids("--since", "yesterday", zone="Europe/Amsterdam"), [late])
        self.assertEqual(ids("--since", "yesterday", zone="UTC"), [])
        self.assertEqual(ids("--since", "today", zone="Europe/Amsterdam"), [])
        self.assertEqual(ids("--since", "7d", zone="Europe/Amsterdam"), sorted([early, late]))
        self.assertEqual(ids("--since", "1w", zone="UTC"), sorted([early, late]))
        self.assertEqual(ids("--since", "6d", zone="UTC"), [late])
        report = self.fx.js("report", "funnel", "--since", "2w", "--until", "yesterday",
                            env_extra={**now, "TZ": "Europe/Amsterdam"})
        self.assertEqual(sum(s["signals"] for s in report["steps"] if s["step"] == 1), 2)
        rc, _, err = self.fx.run("list", "--since", "7x")
        self.assertEqual(rc, 2)
        self.assertIn("today, yesterday, 7d, 2w", err)

    def test_history_counts_have_thousands_separators(self):
        sid = self.walk("analysed")
        page = self.ok("show", sid, env_extra={"COLUMNS": "200"})
        self.assertIn("12,000 contacts", page)
        self.assertNotIn("12000 contacts", page)


class SubmitterDefault(SileramTestCase):
    def test_submitter_comes_from_the_environment_or_the_config(self):
        env = {"SILERAM_USER": "lead"}
        rc, _, err = self.fx.run("submit", "Zonder afzender", env_extra=env)
        self.assertEqual(rc, 2)
        self.assertIn("[user] email", err)
        self.fx.write("sileram.toml", '[user]\nemail = "anna@example.org"\n')
        sid = self.ok("submit", "Uit de config", "--quiet", env_extra=env).strip()
        self.assertEqual(self.show(sid)["submitted_by"], "anna@example.org")
        sid = self.ok("submit", "Uit de omgeving", "--quiet",
                      env_extra={**env, "SILERAM_EMAIL": "bob@example.org"}).strip()
        self.assertEqual(self.show(sid)["submitted_by"], "bob@example.org")
        sid = self.ok("submit", "Met --by", "--by", "cor@example.org", "--quiet",
                      env_extra={**env, "SILERAM_EMAIL": "bob@example.org"}).strip()
        self.assertEqual(self.show(sid)["submitted_by"], "cor@example.org")

    def test_a_bad_address_names_where_it_came_from(self):
        rc, _, err = self.fx.run("submit", "x", env_extra={"SILERAM_EMAIL": "not-an-address"})
        self.assertEqual(rc, 2)
        self.assertIn("$SILERAM_EMAIL", err)
        self.fx.write("sileram.toml", '[user]\nemail = "nobody"\n')
        rc, _, err = self.fx.run("submit", "x")
        self.assertEqual(rc, 2)
        self.assertIn("sileram.toml:2: user.email", err)

    def test_the_sample_config_documents_the_key(self):
        out = self.ok("init", "--sample-config", db=False)
        self.assertIn("[user]", out)
        self.assertIn("# email = ", out)


class Colour(SileramTestCase):
    """On a terminal: high class, overdue and late in red, states in their step's colour; never
    with NO_COLOR, a pipe or TERM=dumb; CLICOLOR_FORCE or FORCE_COLOR force it."""
    RED = "\x1b[91m"

    def seed(self):
        return {"high": self.walk("analysed", title="Hoog en rood"),
                "new": self.submit("Nieuw signaal")}

    def terminal(self, args, **env):
        env = {"NO_COLOR": "", "TERM": "xterm", **env}
        rc, shown = run_on_terminal(self.fx, [*args, "--no-pager"], env, columns=120)
        self.assertEqual(rc, 0, shown)
        return shown

    def test_a_terminal_gets_red_for_high_and_a_colour_per_step(self):
        ids = self.from_template(Colour.seed)
        shown = self.terminal(["list"])
        self.assertIn(self.RED + "high", shown)
        # analysed is step 3 (yellow), submitted step 1 (blue).
        self.assertIn("\x1b[33manalysed", shown)
        self.assertIn("\x1b[34msubmitted", shown)
        page = self.terminal(["show", ids["high"]])
        self.assertIn("\x1b[33manalysed (step 3 of 10)", page)
        self.assertRegex(page, r"\x1b\[91m[^\n]*\(high\)")
        self.assertNotIn("\\x1b", page)  # no escape shown as text
        report = self.terminal(["report", "impact"])
        self.assertIn(self.RED + "high", report)

    def test_overdue_actions_are_red(self):
        sid = self.walk("in-progress")
        later = {"SILERAM_NOW": "2027-12-01T12:00:00Z"}
        self.assertIn("OVERDUE", self.ok("show", sid, env_extra=later))
        page = self.terminal(["show", sid], **later)
        self.assertRegex(page, r"\x1b\[91m\d{4}-\d\d-\d\d OVERDUE")
        report = self.terminal(["report", "overdue"], **later)
        self.assertRegex(report, r"\x1b\[91m\d+")

    def test_never_with_no_color_a_pipe_or_a_dumb_terminal(self):
        self.from_template(Colour.seed)
        for env in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
            with self.subTest(env=env):
                self.assertNotIn("\x1b[", self.terminal(["list"], **env))
        rc, out, _ = self.fx.run("list", env_extra={"NO_COLOR": None})
        self.assertEqual(rc, 0)
        self.assertNotIn("\x1b[", out)

    def test_clicolor_force_and_force_color_colour_a_pipe_too(self):
        self.from_template(Colour.seed)
        for variable in ("CLICOLOR_FORCE", "FORCE_COLOR"):
            with self.subTest(variable=variable):
                out = self.ok("list", env_extra={"NO_COLOR": None, variable: "1"})
                self.assertIn(self.RED + "high", out)
                out = self.ok("list", env_extra={"NO_COLOR": None, variable: "0"})
                self.assertNotIn("\x1b[", out)
                # NO_COLOR wins over both.
                out = self.ok("list", env_extra={"NO_COLOR": "1", variable: "1"})
                self.assertNotIn("\x1b[", out)
        shown = self.terminal(["list"], TERM="dumb", CLICOLOR_FORCE="1")
        self.assertIn(self.RED + "high", shown)


class Help(SileramTestCase):
    def test_help_command_puts_its_own_options_before_the_global_ones(self):
        for args in (["help", "submit"], ["submit", "--help"]):
            with self.subTest(args=args):
                out = self.ok(*args, db=False)
                self.assertIn("Global options:", out)
                own, common = out.split("Global options:")
                self.assertIn("--by", own)
                self.assertNotIn("--db", own)
                self.assertIn("--db", common)

    def test_help_is_wrapped_to_the_width_without_breaking_words(self):
        for columns in (60, 80, 120):
            for args in (["--help"], ["help", "report"], ["list", "--help"],
                         ["report", "impact", "--help"]):
                with self.subTest(args=args, columns=columns):
                    out = self.ok(*args, db=False, env_extra={"COLUMNS": str(columns)})
                    for line in out.splitlines():
                        self.assertLessEqual(display_width(line), columns, repr(line))
        out = self.ok("list", "--help", db=False, env_extra={"COLUMNS": "60"})
        # A description wrapped at a space goes on under its own column.
        self.assertRegex(out, r"\n {30}\S")
        self.assertIn("comma list", " ".join(out.split()))

    def test_a_transposed_command_is_caught(self):
        rc, _, err = self.fx.run("lsit")
        self.assertEqual(rc, 2)
        self.assertIn("did you mean list?", err)

    def test_report_alone_lists_the_reports_and_each_has_a_help_page(self):
        self.submit()
        rc, _, err = self.fx.run("report")
        self.assertEqual(rc, 2)
        for name in ("impact", "fields", "funnel", "effect", "customers", "overdue",
                     "recurrence"):
            self.assertIn(name, err)
        self.assertIn("sileram report NAME --help",
                      " ".join(self.ok("report", "--help", db=False).split()))
        page = self.ok("report", "impact", "--help", db=False)
        self.assertIn("Report impact", page)
        self.assertIn("Section signals: Open signals by impact score", page)
        self.assertIn("cost/year (cost_per_year)", " ".join(page.split()))
        page = self.ok("report", "overdue", "--help", db=False)
        self.assertIn("Section silent", page)
        self.assertIn("days over (days_overdue)", " ".join(page.split()))


class CloseAndBusinessCase(SileramTestCase):
    def test_close_dry_run_shows_the_mails_and_changes_nothing(self):
        sid = self.walk("measured")
        self.ok("submit", "--join", sid, "--by", "tweede@example.nl")
        with self.unchanged():
            out = self.ok("close", sid, "--summary", "Nieuwe factuur sinds januari", "--dry-run")
            d = self.fx.js("close", sid, "--summary", "Nieuwe factuur sinds januari", "--dry-run")
        self.assertIn(f"would queue a mail to {harness.EXAMPLE_BY}", out)
        self.assertIn("would queue a mail to tweede@example.nl", out)
        self.assertIn("Subject:", out)
        self.assertIn("Nieuwe factuur sinds januari", out)
        self.assertIn(f"closing signal {sid} would queue 2 mails; nothing changed", out)
        self.assertEqual(d["would_queue"], 2)
        self.assertEqual(self.state(sid), "measured")
        self.assertEqual(self.show(sid)["feedback"], [])
        # Without --summary a measured signal is refused, dry run or not.
        self.assert_refused(2, ["close", sid, "--dry-run"], "--summary")

    def test_roi_reads_as_a_multiple_of_the_cost(self):
        sid = self.walk("root-caused")
        self.ok("act", sid, "--plan", "Nieuwe factuur", "--owner", "billing", "--due",
                "2027-01-15", "--cost", "30000")
        out = self.ok("act", sid, "--expect-reduction", "40")
        self.assertRegex(out, r"returns \d+\.\d× its cost")
        self.assertRegex(out, r"pays back in \d+\.\d months")
        self.assertNotRegex(out, r"ROI \d")
        page = self.ok("show", sid, env_extra={"COLUMNS": "200"})
        self.assertRegex(page, r"returns \d+\.\d× its cost")


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
        for report in ("impact", "funnel", "effect", "fields", "customers", "overdue",
                       "recurrence"):
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
