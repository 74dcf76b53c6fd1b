#!/usr/bin/env python3
"""The main path end to end: one signal through the ten steps with the worked example of SPEC.md,
what show, list and export make of it, submit's output, global options, init, and reading a
database that does not exist. Usage: python3 test_path.py PATH/TO/sileram"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
import unittest

import harness
from harness import EXAMPLE_BY, EXAMPLE_TITLE, NOW, SileramTestCase

SECOND_BY = "agent2@example.nl"
STEPS = {"submitted": 1, "accepted": 2, "analysed": 3, "prioritised": 4, "root-caused": 5,
         "planned": 6, "approved": 7, "in-progress": 8, "implemented": 8, "measured": 9,
         "closed": 10}


def close_to(a, b, eps=0.005):
    return isinstance(a, (int, float)) and abs(a - b) < eps


class WorkedExample(SileramTestCase):
    """The invoice example: 12,000 calls a month at EUR 10, satisfaction 6.9, then 7,000 and 7.2."""

    def closed_example(self):
        sid = self.submit(EXAMPLE_TITLE, EXAMPLE_BY, "-d", "Klanten begrijpen de btw-regel niet",
                          "--channel", "phone", "--process", "billing")
        self.advance(sid, "measured")
        self.ok("submit", "Factuur onduidelijk", "--by", SECOND_BY, "--join", sid)
        self.advance(sid, "closed")
        return sid

    def test_each_step_moves_state_and_step(self):
        sid = self.submit()
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("submitted", 1))
        self.assertEqual(d["submitted_by"], EXAMPLE_BY)
        self.assertEqual(d["submitted_at"], NOW)
        for state, commands in harness.MAIN_PATH:
            for command in commands:
                self.ok(*[part.replace("{id}", sid) for part in command])
            d = self.show(sid)
            self.assertEqual((d["state"], d["step"]), (state, STEPS[state]),
                             f"after {commands[-1][0]}")

    def test_impact_figures(self):
        sid = self.walk("analysed")
        impact = self.show(sid)["impact"]
        self.assertEqual(impact["contacts"], 12000)
        self.assertEqual(impact["satisfaction_impact"], 4)
        self.assertTrue(close_to(impact["cost_per_contact"], 10), impact)
        self.assertTrue(close_to(impact["satisfaction"], 6.9), impact)
        self.assertEqual(impact["score"], 48000)
        self.assertEqual(impact["class"], "high")
        self.assertTrue(close_to(impact["cost_per_period"], 120000), impact)
        self.assertTrue(close_to(impact["cost_per_year"], 1440000), impact)

    def test_sections_not_reached_are_null_or_empty(self):
        d = self.show(self.submit())
        for key in ("triage", "impact", "root_cause", "business_case"):
            self.assertIsNone(d[key], key)
        for key in ("decisions", "actions", "measurements", "feedback"):
            self.assertEqual(d[key], [], key)
        self.assertEqual(len(d["history"]), 1)

    def test_business_case(self):
        sid = self.walk("planned")
        d = self.show(sid)
        bc = d["business_case"]
        # 12,000 contacts x 40 % x EUR 10 x 12 months; cost 30,000 + the sub-activity's 2,000.
        self.assertTrue(close_to(bc["expected_reduction"], 40), bc)
        self.assertTrue(close_to(bc["expected_savings_per_year"], 576000), bc)
        self.assertTrue(close_to(bc["cost"], 32000), bc)
        self.assertTrue(close_to(bc["roi"], 17.0, 0.01), bc)
        self.assertTrue(close_to(bc["payback_months"], 32000 * 12 / 576000, 0.01), bc)
        actions = d["actions"]
        self.assertEqual([(a["id"], a["parent"], a["title"], a["owner"], a["due"], a["cost"], a["status"])
                          for a in actions],
                         [(1, None, "Nieuwe factuurlayout", "billing-team", "2027-01-15", 30000, "planned"),
                          (2, 1, "Tekst btw-regel herschrijven", "", None, 2000, "planned")])
        self.assertEqual([a["progress"] for a in actions], [0, 0])

    def test_decisions_record_gate_verdict_reason_by_at(self):
        sid = self.walk("approved")
        decisions = self.show(sid)["decisions"]
        self.assertEqual([(x["gate"], x["verdict"], x["reason"]) for x in decisions],
                         [("prioritise", "go", "raakt alle klanten"),
                          ("go-no-go", "go", "business case positief")])
        self.assertTrue(all(x["by"] == harness.USER and x["at"] == NOW for x in decisions), decisions)

    def test_execution_tracks_actions_to_done(self):
        sid = self.walk("in-progress")
        actions = self.show(sid)["actions"]
        self.assertEqual([(a["status"], a["progress"]) for a in actions],
                         [("in-progress", 50), ("planned", 0)])
        self.advance(sid, "implemented")
        actions = self.show(sid)["actions"]
        self.assertEqual([(a["status"], a["progress"]) for a in actions], [("done", 100), ("done", 100)])

    def test_measurement(self):
        sid = self.walk("measured")
        ms = self.show(sid)["measurements"]
        self.assertEqual(len(ms), 1)
        m = ms[0]
        self.assertEqual(m["at"], NOW)
        self.assertEqual(m["contacts"], 7000)
        self.assertTrue(close_to(m["satisfaction"], 7.2), m)
        self.assertEqual(m["contacts_saved"], 5000)
        self.assertTrue(close_to(m["saved_per_period"], 50000), m)
        self.assertTrue(close_to(m["saved_per_year"], 600000), m)
        self.assertTrue(close_to(m["satisfaction_delta"], 0.3, 0.0001), m)

    def test_close_queues_feedback_per_submitter(self):
        sid = self.closed_example()
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("closed", 10))
        self.assertEqual(sorted(s["email"] for s in d["submitters"]), [EXAMPLE_BY, SECOND_BY])
        feedback = d["feedback"]
        self.assertEqual(sorted(f["to"] for f in feedback), [EXAMPLE_BY, SECOND_BY])
        self.assertTrue(all(f["status"] == "queued" and f["sent_at"] is None for f in feedback), feedback)

    def test_history_has_every_step_with_by_at_from_to(self):
        sid = self.closed_example()
        history = self.show(sid)["history"]
        for h in history:
            self.assertEqual(h["by"], harness.USER, h)
            self.assertEqual(h["at"], NOW, h)
            self.assertIn("event", h)
        self.assertIsNone(history[0]["from"])
        self.assertEqual(history[0]["to"], "submitted")
        for before, after in zip(history, history[1:]):
            self.assertEqual(after["from"], before["to"], f"history chain broken at {after}")
        reached = []
        for h in history:
            if not reached or reached[-1] != h["to"]:
                reached.append(h["to"])
        self.assertEqual(reached, harness.MAIN_STATES)
        self.assertGreaterEqual(len(history), 10)

    def test_show_text(self):
        sid = self.closed_example()
        rc, out, err = self.fx.run("show", sid)
        self.assertEqual((rc, err), (0, ""))
        for needle in (EXAMPLE_TITLE, "closed", "48,000", "12,000", "EUR 120,000.00",
                       "EUR 1,440,000.00", "EUR 576,000.00", "EUR 32,000.00", "EUR 50,000.00",
                       "Nieuwe factuurlayout", "Tekst btw-regel", "billing-team", "2027-01-15",
                       "BTW-regel staat los van het bedrag", "History", EXAMPLE_BY, SECOND_BY,
                       "Nieuwe factuur sinds januari"):
            self.assertIn(needle, out)
        history = out[out.index("History"):]
        for state in harness.MAIN_STATES:
            self.assertIn(state, history)
        self.assertNotIn("\x1b[", out, "colour despite NO_COLOR and no terminal")
        # Not a terminal and no COLUMNS: nothing is cut, so the longest history detail is whole.
        self.assertIn("Nieuwe factuur sinds januari", out)

    def test_show_text_separates_long_labels_from_their_values(self):
        sid = self.closed_example()
        out = self.ok("show", sid)
        self.assertRegex(out, re.compile(r"^Also raised by\s+" + re.escape(SECOND_BY), re.M))
        self.assertRegex(out, re.compile(r"^Business case\s+40%", re.M))

    def test_show_text_keeps_every_figure_at_the_default_width(self):
        # 100 columns when stdout is not a terminal; long lines may wrap but figures are never cut.
        sid = self.closed_example()
        words = " ".join(self.ok("show", sid).split())  # a wrapped line reads as one
        self.assertIn("0.7 months", words)   # payback 0.67 months
        self.assertIn("+0.30", words)        # satisfaction 6.9 -> 7.2
        self.assertIn("104%", words)         # 600,000 of the expected 576,000


class Submit(SileramTestCase):

    def test_quiet_prints_only_the_id(self):
        rc, out, err = self.fx.run("submit", "Eerste", "--by", EXAMPLE_BY, "--quiet")
        self.assertEqual((rc, out, err), (0, "1\n", ""))
        rc, out, err = self.fx.run("submit", "Tweede", "--by", EXAMPLE_BY, "-q")
        self.assertEqual((rc, out, err), (0, "2\n", ""))

    def test_text_names_the_id_and_the_next_command(self):
        out = self.ok("submit", EXAMPLE_TITLE, "--by", EXAMPLE_BY)
        self.assertIn("1", out)
        self.assertIn(EXAMPLE_TITLE, out)
        self.assertIn("sileram triage 1", out)

    def test_json_gives_id_state_similar(self):
        d = self.fx.js("submit", EXAMPLE_TITLE, "--by", EXAMPLE_BY)
        self.assertEqual(d["id"], 1)
        self.assertEqual(d["state"], "submitted")
        self.assertIsInstance(d["similar"], list)

    def test_fields_are_stored(self):
        sid = self.submit(EXAMPLE_TITLE, EXAMPLE_BY, "--channel", "phone", "--product", "energie",
                          "--process", "billing", "--customer", "K-17", "--field", "team=blauw",
                          "--external-id", "CRM-1")
        d = self.show(sid)
        self.assertEqual(d["fields"], {"channel": "phone", "product": "energie", "process": "billing",
                                       "customer": "K-17", "team": "blauw"})
        self.assertEqual([s["email"] for s in d["submitters"]], [EXAMPLE_BY])

    def test_shows_the_most_similar_open_signals(self):
        """SPEC: submit shows the most similar open signals (full-text, accent-insensitive), as
        `similar` with id, title, state and a score in --json."""
        first = int(self.submit(EXAMPLE_TITLE, EXAMPLE_BY, "-d", "Klanten bellen over de factuur"))
        self.submit("Bezorgtijden zijn onduidelijk", EXAMPLE_BY)
        d = self.fx.js("submit", "Factuur is onduidelijk", "--by", harness.EXAMPLE_BY)
        self.assertIn(first, [s["id"] for s in d["similar"]])
        hit = next(s for s in d["similar"] if s["id"] == first)
        self.assertEqual((hit["title"], hit["state"]), (EXAMPLE_TITLE, "submitted"))
        self.assertIn("score", hit)


class GlobalOptions(SileramTestCase):

    def test_options_after_the_subcommand(self):
        rc, out, err = self.fx.run("submit", EXAMPLE_TITLE, "--by", EXAMPLE_BY, "--db", self.db,
                                   "--as", "bob", "--quiet", db=False)
        self.assertEqual((rc, out, err), (0, "1\n", ""))
        rc, out, err = self.fx.run("show", "1", "--db", self.db, "--json", db=False)
        self.assertEqual(rc, 0, err)
        d = json.loads(out)
        self.assertEqual(d["id"], 1)
        self.assertEqual(d["history"][0]["by"], "bob")
        rc, out, err = self.fx.run("list", "--json", "--db", self.db, db=False)
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["id"] for r in json.loads(out)], [1])
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "sileram.db")),
                         "--db after the subcommand was ignored")

    def test_as_is_recorded_in_the_history(self):
        sid = self.submit()
        self.ok("triage", sid, "--accept", "--as", "carol")
        self.ok("--as", "dave", "impact", sid, "--contacts", "10", "--satisfaction-impact", "1")
        self.ok("impact", sid, "--go", env_extra={"SILERAM_USER": "erin"})
        d = self.show(sid)
        self.assertEqual([(h["to"], h["by"]) for h in d["history"]],
                         [("submitted", harness.USER), ("accepted", "carol"), ("analysed", "dave"),
                          ("prioritised", "erin")])
        self.assertEqual(d["decisions"][0]["by"], "erin")

    def test_db_from_the_environment(self):
        other = os.path.join(self.tmp, "elsewhere.db")
        self.ok("submit", EXAMPLE_TITLE, "--by", EXAMPLE_BY, db=False, env_extra={"SILERAM_DB": other})
        self.assertTrue(os.path.exists(other))
        self.assertFalse(os.path.exists(self.db))
        rows = self.fx.js("list", db=False, env_extra={"SILERAM_DB": other})
        self.assertEqual([r["title"] for r in rows], [EXAMPLE_TITLE])


class ListAndExport(SileramTestCase):
    """Four signals: 1 high (48,000), 2 medium (2,000), 3 low (300), 4 submitted two days later."""

    def setUp(self):
        super().setUp()
        self.submit('Factuur onduidelijk, "btw"', EXAMPLE_BY, "--channel", "phone", "--field", "team=blue")
        self.submit("Bezorging te laat", "b@example.nl", "--channel", "email", "--field", "team=red")
        self.submit("App crasht", "c@example.nl", "--channel", "phone", "--process", "support")
        self.ok("submit", "Later gemeld", "--by", "d@example.nl", "--channel", "chat", "--quiet",
                env_extra={"SILERAM_NOW": "2026-11-25T09:30:00Z"})
        for sid, contacts, impact in (("1", 12000, 4), ("2", 2000, 1), ("3", 300, 1)):
            self.ok("triage", sid, "--accept")
            self.ok("impact", sid, "--contacts", contacts, "--satisfaction-impact", impact)
        self.ok("impact", "1", "--go")

    def ids(self, *args):
        return [row["id"] for row in self.fx.js("list", *args)]

    def test_json_summary(self):
        rows = self.fx.js("list")
        self.assertEqual([r["id"] for r in rows], [1, 2, 3, 4])
        first = rows[0]
        self.assertEqual((first["title"], first["state"], first["step"]),
                         ('Factuur onduidelijk, "btw"', "prioritised", 4))
        self.assertEqual(first["submitted_by"], EXAMPLE_BY)
        self.assertEqual(first["score"], 48000)
        self.assertEqual(first["class"], "high")
        self.assertEqual(rows[3]["submitted_at"], "2026-11-25T09:30:00Z")

    def test_filter_state(self):
        self.assertEqual(self.ids("--state", "analysed"), [2, 3])
        self.assertEqual(self.ids("--state", "submitted"), [4])
        self.assertEqual(self.ids("--state", "closed"), [])

    def test_filter_step(self):
        self.assertEqual(self.ids("--step", "4"), [1])
        self.assertEqual(self.ids("--step", "1"), [4])

    def test_filter_class(self):
        self.assertEqual(self.ids("--class", "high"), [1])
        self.assertEqual(self.ids("--class", "medium"), [2])
        self.assertEqual(self.ids("--class", "low"), [3])

    def test_filter_standard_field(self):
        self.assertEqual(self.ids("--channel", "phone"), [1, 3])
        self.assertEqual(self.ids("--process", "support"), [3])
        self.assertEqual(self.ids("--channel", "phone", "--state", "analysed"), [3])

    def test_filter_custom_field(self):
        self.assertEqual(self.ids("--team", "blue"), [1])
        self.assertEqual(self.ids("--team", "red"), [2])
        self.assertEqual(self.ids("--team", "green"), [])

    def test_filter_since(self):
        self.assertEqual(self.ids("--since", "2026-11-24"), [4])
        self.assertEqual(self.ids("--since", "2026-11-25T09:30:00Z"), [4])
        self.assertEqual(self.ids("--since", "2026-11-25T09:30:01Z"), [])
        self.assertEqual(self.ids("--since", "2026-11-23"), [1, 2, 3, 4])

    def test_sort_and_limit(self):
        self.assertEqual(self.ids("--sort", "-score")[:3], [1, 2, 3])
        self.assertEqual(self.ids("--sort", "score", "--class", "low"), [3])
        self.assertEqual(self.ids("--sort", "-score", "--limit", "2"), [1, 2])
        self.assertEqual(self.ids("--sort", "-id", "--limit", "1"), [4])
        self.assertEqual(self.ids("--limit", "0"), [])

    def test_csv_is_rfc4180_with_a_header(self):
        rc, out, err = self.fx.run("list", "--csv")
        self.assertEqual((rc, err), (0, ""))
        raw = out.encode()
        self.assertTrue(raw.endswith(b"\r\n"), "CSV records end in CRLF")
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), "a bare LF in the CSV")
        rows = list(csv.reader(io.StringIO(out, newline="")))
        header = rows[0]
        for name in ("id", "title", "state", "step", "score", "class", "channel"):
            self.assertIn(name, header)
        records = [dict(zip(header, row)) for row in rows[1:]]
        self.assertTrue(all(len(row) == len(header) for row in rows), rows)
        self.assertEqual([r["id"] for r in records], ["1", "2", "3", "4"])
        self.assertEqual(records[0]["title"], 'Factuur onduidelijk, "btw"')
        self.assertIn('"Factuur onduidelijk, ""btw"""', out)
        self.assertEqual((records[0]["score"], records[0]["class"], records[0]["channel"]),
                         ("48000", "high", "phone"))
        rc, out, err = self.fx.run("list", "--csv", "--state", "analysed", "--sort", "-score")
        self.assertEqual([row[0] for row in csv.reader(io.StringIO(out, newline=""))][1:], ["2", "3"])

    def test_table(self):
        rc, out, err = self.fx.run("list")
        self.assertEqual((rc, err), (0, ""))
        lines = out.splitlines()
        self.assertIn("title", lines[0])
        self.assertIn("state", lines[0])
        self.assertIn("48,000", out)
        self.assertIn("Bezorging te laat", out)
        self.assertIn("4 signals", lines[-1])

    def test_export_json_lines_are_show_json(self):
        rc, out, err = self.fx.run("export")
        self.assertEqual((rc, err), (0, ""))
        lines = out.splitlines()
        self.assertEqual(len(lines), 4)
        self.assertTrue(out.endswith("\n"))
        for line in lines:
            d = json.loads(line)
            self.assertIsInstance(d, dict)
            self.assertEqual(d, self.show(d["id"]))

    def test_export_csv(self):
        rc, out, err = self.fx.run("export", "--csv")
        self.assertEqual((rc, err), (0, ""))
        self.assertTrue(out.endswith("\r\n"))
        rows = list(csv.reader(io.StringIO(out, newline="")))
        header = rows[0]
        for name in ("id", "title", "state", "step", "submitted_by", "score", "class", "channel"):
            self.assertIn(name, header)
        records = [dict(zip(header, row)) for row in rows[1:]]
        self.assertEqual(len(records), 4)
        self.assertTrue(all(len(row) == len(header) for row in rows))
        self.assertEqual((records[0]["title"], records[0]["state"], records[0]["score"]),
                         ('Factuur onduidelijk, "btw"', "prioritised", "48000"))
        self.assertEqual(records[3]["submitted_by"], "d@example.nl")


class Init(SileramTestCase):

    def test_init_creates_the_database_and_prints_a_sample_config(self):
        rc, out, err = self.fx.run("init")
        self.assertEqual(rc, 0, err)
        snapshot = self.fx.db_snapshot()
        self.assertIsNotNone(snapshot, "no database")
        self.assertGreaterEqual(snapshot["user_version"], 1)
        self.assertTrue(snapshot["tables"], "no tables created")
        # The full-text index's own tables (signals_fts_*) hold its settings from the start.
        self.assertTrue(all(rows == [] for name, rows in snapshot["tables"].items()
                            if not name.startswith("signals_fts")))
        self.assertIn(self.db, err)
        config = tomllib.loads(out)
        self.assertEqual(config["impact"]["high"], 5000)
        self.assertEqual(config["impact"]["medium"], 1000)
        self.assertEqual(config["impact"]["period"], "month")
        self.assertEqual(config["impact"]["currency"], "EUR")
        self.assertIn("#", out, "the sample config is commented")
        # The sample is a valid config for sileram itself.
        path = self.fx.write("sileram.toml", out)
        self.ok("list", "--config", path)
        self.ok("submit", "Met de voorbeeldconfig", "--by", EXAMPLE_BY)

    def test_init_json(self):
        d = self.fx.js("init")
        self.assertEqual(d["database"], self.db)
        self.assertIs(d["created"], True)
        self.assertIsInstance(d["schema_version"], int)
        self.assertEqual(d["schema_version"], self.fx.db_snapshot()["user_version"])
        self.submit()
        d = self.fx.js("init")
        self.assertIs(d["created"], False)
        self.assertEqual([r["id"] for r in self.fx.js("list")], [1], "init lost the data")

    def test_init_default_path_is_in_the_working_folder(self):
        self.ok("init", db=False)
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "sileram.db")))


class MissingDatabase(SileramTestCase):
    FILE_DATABASE = True

    def test_reading_commands_do_not_create_the_file(self):
        # A missing database is refused (exit 1, naming the path and init), never created.
        for args in (["list"], ["list", "--csv"], ["list", "--json"], ["show", "1"], ["export"]):
            rc, out, err = self.fx.run(*args)
            self.assertEqual((rc, out), (1, ""), err)
            self.assertIn("no database at", err)
            self.assertIn("sileram init", err)
        leftovers = [name for name in os.listdir(self.tmp) if name.startswith("signals.db")]
        self.assertEqual(leftovers, [], "a reading command created the database")


class DatabaseFiles(SileramTestCase):
    """What a reading command finds in the file system: it creates and writes nothing, and a
    database it cannot use is refused with the reason and what to do."""
    FILE_DATABASE = True

    def leftovers(self):
        return sorted(name for name in os.listdir(self.tmp) if name.startswith("signals.db"))

    def test_reading_a_file_of_0_bytes_reads_an_empty_database_and_writes_nothing(self):
        open(self.db, "wb").close()
        self.assertEqual(self.fx.js("list"), [])
        rc, out, err = self.fx.run("export")
        self.assertEqual((rc, out), (0, ""), err)
        for report in ("funnel", "impact", "fields"):
            rc, _, err = self.fx.run("report", report)
            self.assertEqual(rc, 0, err)
        rc, _, err = self.fx.run("show", "1")
        self.assertEqual(rc, 1, err)
        self.assertEqual(os.path.getsize(self.db), 0, "a reading command wrote into the file")
        self.assertEqual(self.leftovers(), ["signals.db"])
        # A writing command makes it a database.
        self.assertEqual(self.submit(), "1")
        self.assertEqual([s["id"] for s in self.fx.js("list")], [1])

    def run_as_a_user_who_may_not_write(self, *args):
        """Runs sileram with the folder read-only for it: root ignores permissions, so as root
        the command runs as `nobody` (the folder stays root's and 0755); otherwise the folder
        becomes 0555. Returns (rc, stdout, stderr)."""
        preexec = None
        binary = harness.BIN
        if os.geteuid() == 0:
            import pwd
            nobody = pwd.getpwnam("nobody")
            # The build may sit where `nobody` cannot reach it (a checkout in root's home, 0700):
            # it runs a copy from a folder of its own.
            folder = tempfile.mkdtemp(prefix="sileram-bin-")
            self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
            os.chmod(folder, 0o755)
            binary = shutil.copy(harness.BIN, os.path.join(folder, "sileram"))

            def preexec():
                os.setgid(nobody.pw_gid)
                os.setgroups([])
                os.setuid(nobody.pw_uid)
            os.chmod(self.tmp, 0o755)
        else:
            os.chmod(self.tmp, 0o555)
        self.addCleanup(os.chmod, self.tmp, 0o700)
        os.chmod(self.db, 0o644)
        p = subprocess.run([binary, "--db", self.db, *args], cwd=self.tmp, env=self.fx.env,
                           capture_output=True, text=True, preexec_fn=preexec,
                           timeout=harness.TIMEOUT_SECONDS)
        return p.returncode, p.stdout, p.stderr

    def test_a_database_in_a_read_only_folder_is_refused_naming_the_folder(self):
        """SQLite keeps a WAL database's -wal and -shm files beside it, and even a reader must
        create them. Reading the file anyway (SQLite's immutable mode) would ignore the locks of
        a writer who may write there, so the command refuses and says how to fix it."""
        self.submit()
        # Compared by its bytes: opening it through SQLite to compare rows would leave the -wal
        # and -shm files that the refused commands must not find.
        digest = self.fx.file_digest()
        self.assertEqual(self.leftovers(), ["signals.db"])
        for args in (["list"], ["show", "1"], ["submit", "Nog een", "--by", EXAMPLE_BY]):
            rc, out, err = self.run_as_a_user_who_may_not_write(*args)
            context = f"{args}: exit {rc}\nstdout: {out}\nstderr: {err}"
            self.assertEqual((rc, out), (1, ""), context)
            self.assertTrue(err.startswith("sileram: error: "), context)
            self.assertIn(f"the folder {self.tmp} is not writable", err, context)
            self.assertIn("signals.db-wal", err, context)
            self.assertIn("Make the folder writable", err, context)
        self.assertEqual(self.fx.file_digest(), digest)
        self.assertEqual(self.leftovers(), ["signals.db"])


if __name__ == "__main__":
    harness.main()
