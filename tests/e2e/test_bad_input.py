#!/usr/bin/env python3
"""Bad input, refused steps and broken surroundings. Each case: the documented exit code, nothing on
stdout, a message on stderr that names the problem, and a database that is byte-for-byte what it
was (rows and file). Usage: python3 test_bad_input.py PATH/TO/sileram

(A NUL cannot be passed in argv, so that rule of SPEC.md is left to the import tests.)"""
import json
import os
import sqlite3
import unittest

import harness
from harness import EXAMPLE_BY, SileramTestCase


def build_signals(test):
    """Signals at the steps the bad values aim at: submitted, accepted, root-caused, approved."""
    return {
        "submitted": test.walk("submitted", "Nog niet bekeken"),
        "accepted": test.walk("accepted", "Geaccepteerd"),
        "root-caused": test.walk("root-caused", "Oorzaak bekend"),
        "approved": test.walk("approved", "Goedgekeurd"),
    }


class Values(SileramTestCase):
    """Bad values for the commands of the ten steps."""

    def setUp(self):
        super().setUp()
        self.ids = self.from_template(build_signals)
        self.S, self.A = self.ids["submitted"], self.ids["accepted"]
        self.R, self.P = self.ids["root-caused"], self.ids["approved"]

    def test_not_an_email_address(self):
        for bad in ("not-an-email", "agent@localhost", "two@@example.nl", "a b@example.nl"):
            with self.subTest(bad=bad):
                err = self.assert_refused(2, ["submit", "Titel", "--by", bad], bad)
                self.assertIn("e-mail", err)

    def test_unknown_id(self):
        self.assert_refused(1, ["show", "99"], "99")
        self.assert_refused(1, ["triage", "99", "--accept"], "99")
        self.assert_refused(1, ["measure", "99", "--contacts", "5"], "99")

    def test_not_an_id(self):
        self.assert_refused(2, ["show", "abc"], "abc")
        self.assert_refused(2, ["show", "0"], "'0'")

    def test_wrong_step_names_the_next_command(self):
        err = self.assert_refused(1, ["root-cause", self.S, "--cause", "x"], "triage")
        self.assertIn("step 1", err)
        self.assertIn("submitted", err)
        err = self.assert_refused(1, ["measure", self.A, "--contacts", "5"], f"impact {self.A}")
        self.assertIn("accepted", err)
        self.assert_refused(1, ["act", self.A, "--plan", "te vroeg"], f"impact {self.A}")
        self.assert_refused(1, ["close", self.P], f"act {self.P}")
        self.assert_refused(1, ["triage", self.A, "--accept"], "accepted")

    def test_satisfaction_impact_out_of_range(self):
        for bad in ("0", "6", "2.5"):
            with self.subTest(bad=bad):
                self.assert_refused(2, ["impact", self.A, "--contacts", "100", "--satisfaction-impact", bad],
                                    "--satisfaction-impact", bad)

    def test_negative_contacts(self):
        self.assert_refused(2, ["impact", self.A, "--contacts", "-5", "--satisfaction-impact", "3"],
                            "--contacts", "-5")
        self.assert_refused(2, ["impact", self.A, "--contacts=-5", "--satisfaction-impact", "3"],
                            "--contacts", "-5")

    def test_non_numeric_contacts(self):
        for bad in ("abc", "12.5", "1e3", "12,000"):
            with self.subTest(bad=bad):
                self.assert_refused(2, ["impact", self.A, "--contacts", bad, "--satisfaction-impact", "3"],
                                    "--contacts", bad)

    def test_contacts_beyond_64_bits(self):
        for bad in ("18446744073709551616", "9223372036854775808", "99999999999999999999999"):
            with self.subTest(bad=bad):
                self.assert_refused(2, ["impact", self.A, "--contacts", bad, "--satisfaction-impact", "3"],
                                    "--contacts", bad)
        self.assert_refused(2, ["measure", self.A, "--contacts", "18446744073709551616"],
                            "--contacts", "18446744073709551616")

    def test_contacts_beyond_the_range_of_the_figures(self):
        # Fits 64 bits, but the score (x 4) and the money (x EUR 10) do not.
        big = str(2 ** 62)
        self.assert_refused(2, ["impact", self.A, "--contacts", big, "--satisfaction-impact", "4",
                                "--cost-per-contact", "0"], "--contacts")
        self.assert_refused(2, ["impact", self.A, "--contacts", big, "--satisfaction-impact", "1"])

    def test_impossible_date(self):
        for bad in ("2026-02-30", "2026-13-01", "2026-12-1", "tomorrow", "01-12-2026"):
            with self.subTest(bad=bad):
                self.assert_refused(2, ["act", self.R, "--plan", "Actie", "--due", bad], "--due", bad)
        self.assert_refused(2, ["list", "--since", "2026-02-30"], "--since", "2026-02-30")

    def test_title_too_long(self):
        self.assert_refused(2, ["submit", "x" * 301, "--by", EXAMPLE_BY], "title", "301", "300")
        self.assert_refused(2, ["submit", "é" * 301, "--by", EXAMPLE_BY], "title", "301")

    def test_title_of_300_characters_is_fine(self):
        sid = self.submit("é" * 300, EXAMPLE_BY)  # characters, not bytes
        self.assertEqual(self.show(sid)["title"], "é" * 300)

    def test_empty_title(self):
        self.assert_refused(2, ["submit", "", "--by", EXAMPLE_BY], "TITLE")
        self.assert_refused(2, ["submit", "   ", "--by", EXAMPLE_BY], "title", "empty")

    def test_title_with_a_line_break(self):
        for bad in ("Eerste regel\nTweede regel", "Eerste regel\r\nTweede", "Eerste\rTweede"):
            with self.subTest(bad=bad):
                self.assert_refused(2, ["submit", bad, "--by", EXAMPLE_BY], "title", "line break")

    def test_a_message_quoting_a_line_break_is_one_line(self):
        """A message quoting a value with a line break or CR shows it escaped and stays one
        line on stderr."""
        for bad in ("Eerste regel\nTweede regel", "Eerste\rTweede"):
            with self.subTest(bad=bad):
                err = self.assert_refused(2, ["submit", bad, "--by", EXAMPLE_BY], "line break")
                self.assertEqual(err.count("\n"), 1, err)
                self.assertNotIn("\r", err)

    def test_field_value_with_a_line_break(self):
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY, "--channel", "tele\nfoon"],
                            "channel", "line break")
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY, "--field", "team=a\nb"],
                            "team", "line break")

    def test_bad_field_name(self):
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY, "--field", "Team Naam=x"],
                            "Team Naam")
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY, "--field", "zonder-is-teken"],
                            "--field", "KEY=VALUE")

    def test_description_too_long(self):
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY, "-d", "x" * 20001],
                            "description", "20001", "20000")

    def test_description_of_20000_characters_is_fine(self):
        sid = self.submit("Titel", EXAMPLE_BY, "-d", "ë" * 20000)
        self.assertEqual(len(self.show(sid)["description"]), 20000)

    def test_money_with_three_decimals(self):
        self.assert_refused(2, ["act", self.R, "--plan", "Actie", "--cost", "10.001"], "--cost", "10.001")
        self.assert_refused(2, ["impact", self.A, "--contacts", "10", "--satisfaction-impact", "1",
                                "--cost-per-contact", "0.125"], "--cost-per-contact", "0.125")
        self.assert_refused(2, ["act", self.R, "--plan", "Actie", "--cost", "1,50"], "--cost", "1,50")
        self.assert_refused(2, ["act", self.R, "--plan", "Actie", "--cost=-5"], "--cost", "-5")

    def test_progress_out_of_range(self):
        self.assert_refused(2, ["act", self.P, "--progress", "1=101"], "--progress", "101")
        self.assert_refused(2, ["act", self.P, "--progress", "1=-1"], "--progress", "-1")
        self.assert_refused(2, ["act", self.P, "--progress", "1"], "--progress", "ACTION=PCT")
        self.assert_refused(1, ["act", self.P, "--progress", "9=50"], "9")

    def test_satisfaction_off_the_scale(self):
        self.assert_refused(2, ["impact", self.A, "--contacts", "10", "--satisfaction-impact", "1",
                                "--satisfaction", "11"], "--satisfaction", "11")

    def test_expected_reduction_beyond_100(self):
        self.assert_refused(2, ["act", self.R, "--expect-reduction", "101"], "--expect-reduction", "101")

    def test_a_measurement_beyond_the_money_range_writes_nothing(self):
        """measure --contacts 9223372036854775807 gives savings too large to count: exit 2
        naming --contacts, nothing stored, and the signal still shows."""
        self.ok("act", self.P, "--done", "2")
        self.ok("act", self.P, "--done", "1")
        self.assertEqual(self.state(self.P), "implemented")
        self.assert_refused(2, ["measure", self.P, "--contacts", "9223372036854775807"], "--contacts")
        self.assertEqual(self.state(self.P), "implemented")

    def test_action_costs_beyond_the_money_range_are_refused(self):
        """act --plan refuses a cost that takes the actions of a signal over their bound
        (40,000,000 together): exit 2, nothing stored, and the signal still shows."""
        self.ok("act", self.R, "--plan", "Duur", "--cost", "39999999.99")
        with self.unchanged():
            rc, out, err = self.fx.run("act", self.R, "--plan", "Nog duurder", "--cost", "0.02")
        self.assertEqual(rc, 2, f"exit {rc}: {err}")
        self.assertIn("--cost 0.02", err)
        self.assertIn("at most 40000000 together", err)
        self.ok("act", self.R, "--plan", "Net genoeg", "--cost", "0.01")

    def test_json_error_format(self):
        cases = [(["show", "99"], 1, "99"),
                 (["submit", "Titel", "--by", "not-an-email"], 2, "not-an-email"),
                 (["root-cause", self.S, "--cause", "x"], 1, "triage")]
        for args, code, needle in cases:
            with self.subTest(args=args):
                with self.unchanged():
                    rc, out, err = self.fx.run(*args, "--json")
                self.assertEqual((rc, out), (code, ""))
                error = json.loads(err)["error"]
                self.assertEqual(error["code"], code)
                self.assertIn(needle, error["message"])


class CommandLine(SileramTestCase):
    """Mistyped commands, options and fields."""

    def setUp(self):
        super().setUp()
        self.submit("Titel", EXAMPLE_BY, "--channel", "phone", "--field", "team=blue")

    def test_unknown_command(self):
        err = self.assert_refused(2, ["lst"], "lst", "did you mean", db=False)
        self.assertIn("list", err.split("did you mean", 1)[1])
        err = self.assert_refused(2, ["trage", "1", "--accept"], "trage", "did you mean", db=False)
        self.assertIn("triage", err.split("did you mean", 1)[1])

    def test_unknown_command_json(self):
        rc, out, err = self.fx.run("lst", "--json", db=False)
        self.assertEqual((rc, out), (2, ""))
        error = json.loads(err)["error"]
        self.assertEqual(error["code"], 2)
        self.assertIn("did you mean", error["message"])
        self.assertIn("list", error["message"])

    def test_unknown_command_after_a_global_option(self):
        """`sileram --db FILE lst` suggests `list`: the value of --db, --as or --config is never
        taken for the command."""
        err = self.assert_refused(2, ["lst"], "lst")  # run() puts --db FILE first
        self.assertIn("did you mean list", err)

    def test_parse_errors_after_a_global_option(self):
        """A command-line error behind a global option with a value names the real problem
        (--reject without REASON, an unknown --bogus), not the option's value as a command."""
        self.assert_refused(2, ["triage", "1", "--reject"], "--reject")
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY, "--bogus", "x"], "--bogus")
        self.assert_refused(2, ["show"], "id")

    def test_missing_option_value(self):
        self.assert_refused(2, ["triage", "1", "--db", self.db, "--reject"], "--reject", db=False)

    def test_unknown_option(self):
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY, "--bogus", "x", "--db", self.db],
                            "--bogus", db=False)

    def test_unknown_list_field(self):
        err = self.assert_refused(2, ["list", "--chanel", "phone"], "--chanel", "did you mean")
        self.assertIn("--channel", err.split("did you mean", 1)[1])
        err = self.assert_refused(2, ["list", "--taem", "blue"], "--taem", "did you mean")
        self.assertIn("--team", err.split("did you mean", 1)[1])

    def test_bad_list_options(self):
        self.assert_refused(2, ["list", "--state", "closd"], "closd", "closed")
        self.assert_refused(2, ["list", "--class", "huge"], "huge")
        self.assert_refused(2, ["list", "--step", "11"], "--step", "11")
        self.assert_refused(2, ["list", "--sort", "colour"], "colour")
        self.assert_refused(2, ["list", "--limit", "-1"], "--limit")


class Config(SileramTestCase):
    """Config errors name the file, the line and the key; a configured field is enforced."""

    def setUp(self):
        super().setUp()
        self.submit("Bestaand signaal", EXAMPLE_BY)

    def test_unknown_key(self):
        # Found as $XDG_CONFIG_HOME/sileram/config.toml, without --config.
        path = self.fx.write("xdg/sileram/config.toml", '[impact]\ncurrency = "EUR"\nhihg = 5000\n')
        err = self.assert_refused(2, ["list"], path, ":3", "impact.hihg")
        self.assertIn("did you mean impact.high", err)

    def test_unknown_section(self):
        path = self.fx.write("c.toml", '[fieldz]\nchannel = ["phone"]\n')
        self.assert_refused(2, ["--config", path, "list"], path, ":1", "fieldz")

    def test_wrong_type(self):
        path = self.fx.write("c.toml", '[impact]\n\nhigh = "lots"\n')
        self.assert_refused(2, ["--config", path, "list"], path, ":3", "impact.high")
        path = self.fx.write("d.toml", '# fields\n[fields]\nchannel = "phone"\n')
        self.assert_refused(2, ["--config", path, "list"], path, ":3", "fields.channel")

    def test_value_out_of_range(self):
        path = self.fx.write("c.toml", '[impact]\nmedium = 10\nhigh = -5\n')
        self.assert_refused(2, ["--config", path, "list"], path, ":3", "impact.high")
        path = self.fx.write("d.toml", '[impact]\nperiod = "fortnight"\n')
        self.assert_refused(2, ["--config", path, "list"], path, ":2", "impact.period", "fortnight")
        path = self.fx.write("e.toml", '[impact]\ncost_per_contact = 10.005\n')
        self.assert_refused(2, ["--config", path, "list"], path, ":2", "impact.cost_per_contact")

    def test_toml_syntax_error(self):
        path = self.fx.write("c.toml", '[impact]\ncost_per_contact = 10.0\nhigh = = 5\n')
        self.assert_refused(2, ["--config", path, "list"], path, ":3")

    def test_toml_syntax_error_names_the_key(self):
        """A TOML syntax error names the file, the line and the key defined on that line."""
        path = self.fx.write("c.toml", '[impact]\ncost_per_contact = 10.0\nhigh = = 5\n')
        self.assert_refused(2, ["--config", path, "list"], path, ":3", "high")

    def test_config_errors_with_a_writing_command(self):
        path = self.fx.write("c.toml", '[impact]\nhigh = "lots"\n')
        self.assert_refused(2, ["--config", path, "submit", "Titel", "--by", EXAMPLE_BY],
                            path, ":2", "impact.high")

    def test_missing_config_file(self):
        path = os.path.join(self.tmp, "nergens.toml")
        self.assert_refused(2, ["--config", path, "list"], path)
        self.assert_refused(2, ["list"], path, env_extra={"SILERAM_CONFIG": path})

    def test_configured_field_is_required_and_limited(self):
        path = self.fx.write("sileram.toml", '[fields]\nchannel = ["phone", "email", "chat"]\n')
        self.assert_refused(2, ["--config", path, "submit", "Titel", "--by", EXAMPLE_BY],
                            "channel", "required")
        err = self.assert_refused(2, ["--config", path, "submit", "Titel", "--by", EXAMPLE_BY,
                                      "--channel", "phon"], "channel", "phon", "did you mean")
        self.assertIn("phone", err.split("did you mean", 1)[1])
        sid = self.submit("Titel", EXAMPLE_BY, "--config", path, "--channel", "phone")
        self.assertEqual(self.show(sid)["fields"], {"channel": "phone"})
        # ./sileram.toml in the working folder is found without --config.
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY], "channel", "required")


class Surroundings(SileramTestCase):
    """The clock, and files that are not (this version's) database."""
    FILE_DATABASE = True  # files that are not a database (tests/pg has the PostgreSQL cases)

    def test_sileram_now_garbage(self):
        self.submit()
        for bad in ("garbage", "2026-02-30", "2026-11-23T25:00:00Z", "23-11-2026"):
            with self.subTest(bad=bad):
                self.assert_refused(2, ["list"], "SILERAM_NOW", bad, env_extra={"SILERAM_NOW": bad})
        self.assert_refused(2, ["submit", "Titel", "--by", EXAMPLE_BY], "SILERAM_NOW",
                            env_extra={"SILERAM_NOW": "garbage"})

    def test_database_of_a_newer_schema(self):
        self.ok("init")
        self.submit()
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA user_version = 999")
        con.commit()
        con.close()
        for args in (["list"], ["show", "1"], ["submit", "Titel", "--by", EXAMPLE_BY],
                     ["triage", "1", "--accept"], ["init"]):
            with self.subTest(args=args):
                err = self.assert_refused(1, args, "newer", "999")
                self.assertIn(self.db, err)
        self.assertEqual(self.fx.db_snapshot()["user_version"], 999)

    def test_a_file_that_is_not_a_database(self):
        with open(self.db, "w") as f:
            f.write("id,title\n1,Dit is een CSV-bestand en geen database, echt niet\n" * 20)
        for args in (["list"], ["show", "1"], ["export"], ["submit", "Titel", "--by", EXAMPLE_BY]):
            with self.subTest(args=args):
                err = self.assert_refused(1, args, "not")
                self.assertIn("database", err)
                self.assertIn(os.path.basename(self.db), err)

    def foreign_database(self):
        con = sqlite3.connect(self.db)
        con.execute("CREATE TABLE klanten (id INTEGER PRIMARY KEY, naam TEXT)")
        con.execute("INSERT INTO klanten (naam) VALUES ('Jansen')")
        con.commit()
        con.close()

    def test_an_sqlite_file_of_another_program(self):
        self.foreign_database()
        for args in (["submit", "Titel", "--by", EXAMPLE_BY], ["list"], ["show", "1"]):
            with self.subTest(args=args):
                self.assert_refused(1, args, "not a sileram database", check_bytes=False)

    def test_an_sqlite_file_of_another_program_is_left_untouched(self):
        """Another program's SQLite file is refused without a byte of it changed (no switch to
        WAL journal mode before the check)."""
        self.foreign_database()
        self.assert_refused(1, ["list"], "not a sileram database")
        self.assert_refused(1, ["submit", "Titel", "--by", EXAMPLE_BY], "not a sileram database")
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("PRAGMA journal_mode").fetchone()[0], "delete")
        con.close()

    def test_database_in_a_missing_folder(self):
        path = os.path.join(self.tmp, "bestaat-niet", "s.db")
        with self.unchanged(path):
            rc, out, err = self.fx.run("--db", path, "submit", "Titel", "--by", EXAMPLE_BY, db=False)
        self.assertEqual((rc, out), (2, ""))
        self.assertIn("bestaat-niet", err)
        self.assertFalse(os.path.exists(os.path.dirname(path)))


if __name__ == "__main__":
    harness.main()
