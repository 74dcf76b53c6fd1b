#!/usr/bin/env python3
"""`sileram report` and `sileram customer` on a seeded database with a pinned clock: each report
gives the same numbers as text, CSV and JSON; the figures follow from the seeded signals (the
worked example of SPEC.md among them); bad input is refused with exit 2 and names what and where.
Usage: python3 test_reports.py PATH/TO/sileram"""
import csv
import io
import re
import unittest

import harness
from harness import SileramTestCase

EARLY = "2026-10-01T09:00:00Z"  # a month and a half before the pinned clock


def seed(t):
    """The signals every test starts from; returns their ids by name."""
    ids = {}
    ids["closed"] = t.walk("closed", extra=("--channel", "phone", "--process", "billing",
                                            "--customer", "Acme BV"))
    ids["analysed"] = t.walk("analysed", title="Pakket kwam beschadigd aan",
                             by="agent2@example.nl",
                             extra=("--channel", "email", "--process", "delivery",
                                    "--customer", "acme bv"))
    # Approved with an action that was due on 1 November: overdue.
    late = t.submit("Opzeggen lukt niet online", "agent3@example.nl", "--channel", "chat",
                    "--process", "cancellation", "--customer", "Café Ïda")
    t.advance(late, "root-caused")
    t.ok("act", late, "--plan", "Opzegknop herstellen", "--owner", "web-team", "--due",
         "2026-11-01", "--cost", "1500")
    t.ok("act", late, "--expect-reduction", "50")
    t.ok("act", late, "--go")
    ids["late"] = late
    # Submitted long ago and never touched: stale, and its submitter has heard nothing.
    ids["stale"] = t.fx.run("submit", "Wachtwoord vergeten werkt niet", "--by",
                            "agent4@example.nl", "--customer", "Beta NV", "--channel", "phone",
                            "--quiet", env_extra={"SILERAM_NOW": EARLY})[1].strip()
    ids["rejected"] = t.walk("rejected", title="Geen signaal", by="agent5@example.nl")
    t.ok("customer", "set", "ACME BV", "--revenue", "1000000", "--segment", "smb")
    t.ok("customer", "set", "Beta NV", "--revenue", "9000000", "--segment", "enterprise")
    return ids


def numbers(text):
    """Every number in a text, as floats, separators and currency removed."""
    return [float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)]


class Reports(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.ids = self.from_template(seed)

    def report(self, *args):
        """(text, JSON, rows of the CSV of the first section) of one report."""
        text = self.ok("report", *args, env_extra={"COLUMNS": "200"})
        data = self.fx.js("report", *args)
        rows = list(csv.DictReader(io.StringIO(self.ok("report", *args, "--csv"), newline="")))
        return text, data, rows

    def assert_same_numbers(self, section, data, rows, text):
        """The CSV rows are the JSON rows of `section`, and each row's numbers are in the text."""
        self.assertEqual(len(rows), len(data[section]) + (1 if section in data["totals"] else 0))
        for row, obj in zip(rows, data[section]):
            for key, value in obj.items():
                if value is None:
                    self.assertEqual(row[key], "", key)
                elif isinstance(value, bool):
                    self.assertEqual(row[key], "true" if value else "false", key)
                elif isinstance(value, dict):  # counts per name: "analysed 3, parked 1" in CSV
                    self.assertEqual(row[key], ", ".join(f"{k} {v}" for k, v in value.items()), key)
                elif isinstance(value, (int, float)):
                    self.assertAlmostEqual(float(row[key]), value, places=4, msg=key)
                else:
                    self.assertEqual(row[key], value, key)
            first = str(next(iter(obj.values())))[:8]
            line = [l for l in text.splitlines() if re.match(rf"\s*{re.escape(first)}", l)]
            self.assertTrue(line, f"no text line for {obj}")

    def test_impact(self):
        text, data, rows = self.report("impact", "--by", "process")
        self.assertEqual(data["report"], "impact")
        self.assertEqual(data["summary"]["signals"], 2)  # analysed and approved; not the closed one
        self.assertEqual([r["id"] for r in data["signals"]],
                         [int(self.ids["analysed"]), int(self.ids["late"])])
        first = data["signals"][0]
        self.assertEqual((first["score"], first["class"], first["quadrant"]), (48000, "high", "act first"))
        self.assertAlmostEqual(first["cost_per_year"], 1440000.0)
        self.assertEqual(data["summary"]["cost_per_year"], 2880000.0)
        quadrants = {q["quadrant"]: q for q in data["quadrants"]}
        self.assertEqual(list(quadrants), ["act first", "plan", "delegate", "avoid"])
        self.assertEqual(quadrants["act first"]["signals"], 2)
        self.assertEqual(data["totals"]["quadrants"]["signals"], 2)
        self.assertEqual(sorted(g["value"] for g in data["groups"]), ["cancellation", "delivery"])
        self.assert_same_numbers("signals", data, rows, text)
        # Whole units, the currency once in the heading.
        self.assertIn("cost/year EUR", text)
        self.assertIn("1,440,000", text)
        self.assertNotIn("1,440,000.00", text)
        self.assertIn("act first", text)
        self.assertIn("█", text)  # shares of cost as bars

    def test_impact_filters(self):
        data = self.fx.js("report", "impact", "--channel", "email")
        self.assertEqual(data["summary"]["signals"], 1)
        data = self.fx.js("report", "impact", "--since", "2026-11-24")
        self.assertEqual(data["summary"]["signals"], 0)
        data = self.fx.js("report", "impact", "--until", "2026-11-23")
        self.assertEqual(data["summary"]["signals"], 2)

    def test_funnel(self):
        text, data, rows = self.report("funnel")
        self.assertEqual(data["summary"]["signals"], 5)
        steps = {s["step"]: s for s in data["steps"]}
        self.assertEqual(steps[1]["signals"], 1)
        self.assertEqual(steps[2]["signals"], 1)  # rejected
        self.assertEqual(steps[7]["signals"], 1)  # approved
        self.assertEqual(steps[10]["signals"], 1)
        self.assertEqual(steps[1]["oldest_waiting_signal"], int(self.ids["stale"]))
        self.assertAlmostEqual(steps[1]["oldest_waiting_days"], 53.1)
        self.assertEqual(data["totals"]["months"]["entered"], 5)
        self.assertEqual(data["totals"]["months"]["left"], 1)
        self.assert_same_numbers("steps", data, rows, text)
        self.assertIn("feedback and close", text)
        # A filter that keeps every signal reads the stays instead of the tallies: same steps,
        # medians and oldest waiting included.
        everything = self.fx.js("report", "funnel", "--since", "2000-01-01")
        self.assertEqual(everything["steps"], data["steps"])
        self.assertEqual(everything["summary"], data["summary"])
        self.assertTrue(any(s["median_days"] is not None for s in data["steps"]))

    def test_effect(self):
        text, data, rows = self.report("effect")
        s = data["summary"]
        self.assertEqual(s["signals"], 1)
        self.assertEqual(s["contacts_saved"], 5000)
        self.assertEqual(s["saved_per_year"], 600000.0)
        self.assertEqual(s["expected_per_year"], 576000.0)
        self.assertAlmostEqual(s["realised_share"], 1.0417)
        self.assertEqual(s["cost"], 32000.0)
        self.assertAlmostEqual(s["roi"], 17.75)
        self.assertAlmostEqual(s["satisfaction_delta"], 0.3)
        self.assert_same_numbers("signals", data, rows, text)
        self.assertIn("EUR 600,000", text)
        self.assertNotIn("600,000.00", text)
        self.assertIn("+0.30", text)
        self.assertEqual(self.fx.js("report", "effect", "--until", "2026-11-22")["summary"]["signals"], 0)

    def test_fields(self):
        text, data, rows = self.report("fields")
        self.assertEqual(data["summary"]["signals"], 5)
        self.assertEqual(data["channel"][0], {"value": "phone", "signals": 2, "share": 0.4,
                                              "contacts": 12000, "score": 48000,
                                              "cost_per_period": 120000.0,
                                              "cost_per_year": 1440000.0})
        customers = {c["value"]: c["signals"] for c in data["customer"]}
        self.assertEqual(customers["Acme BV"], 2)  # "Acme BV" and "acme bv" are one customer
        self.assert_same_numbers("channel", data, rows, text)
        only = self.fx.js("report", "fields", "--by", "process")
        self.assertEqual([k for k in only if k not in ("report", "currency", "summary", "totals")],
                         ["process"])
        product = self.ok("report", "fields", "--csv", "--section", "product")
        self.assertTrue(product.startswith("value,signals,share"), product)

    def test_customers(self):
        text, data, rows = self.report("customers")
        by_name = {c["customer"]: c for c in data["customers"]}
        acme = by_name["ACME BV"]  # the customers table's spelling, matched ignoring case
        self.assertEqual((acme["signals"], acme["revenue"], acme["segment"]), (2, 1000000.0, "smb"))
        # Acme: 2 of 3 signals of known customers against 10 % of the revenue: 6.67x.
        self.assertAlmostEqual(acme["ratio"], 6.67)
        self.assertIs(acme["disproportionate"], True)
        self.assertIs(acme["care"], True)  # a high-impact signal within 90 days
        self.assertIsNone(by_name["Café Ïda"]["revenue"])
        self.assertEqual(data["summary"]["without_revenue"], 1)
        self.assertEqual(data["customers"][0]["customer"], "ACME BV")  # flagged first
        self.assert_same_numbers("customers", data, rows, text)
        self.assertIn("revenue EUR", text)
        self.assertIn("1,000,000", text)

    def test_overdue(self):
        text, data, rows = self.report("overdue")
        s = data["summary"]
        self.assertEqual(s["overdue_actions"], 1)
        action = data["actions"][0]
        self.assertEqual((action["signal"], action["owner"], action["due"], action["days_overdue"]),
                         (int(self.ids["late"]), "web-team", "2026-11-01", 22))
        self.assertEqual(s["stale_signals"], 1)
        self.assertEqual(data["stale"][0]["id"], int(self.ids["stale"]))
        self.assertEqual(s["silent_submitters"], 1)
        self.assertEqual(data["silent"][0]["email"], "agent4@example.nl")
        self.assertEqual(data["silent"][0]["days_waiting"], 53)
        self.assert_same_numbers("actions", data, rows, text)
        silent = self.ok("report", "overdue", "--csv", "--delimiter", ";", "--section", "silent")
        self.assertEqual(silent.splitlines()[0], "email;open_signals;waiting_since;days_waiting;oldest_signal")
        self.assertIn("\r\n", silent)

    def test_config_changes_thresholds(self):
        self.fx.write("sileram.toml", "[reports]\nstale_days = 60\nsilent_days = 60\n")
        data = self.fx.js("report", "overdue")
        self.assertEqual((data["summary"]["stale_signals"], data["summary"]["silent_submitters"]), (0, 0))

    def test_narrow_terminal_cuts_titles_not_numbers(self):
        text = self.ok("report", "impact", env_extra={"COLUMNS": "95"})
        for line in text.splitlines():
            self.assertLessEqual(len(line), 95, line)
        self.assertIn("…", text)
        self.assertIn("48,000", text)

    def test_limit(self):
        data = self.fx.js("report", "impact", "--limit", "1")
        self.assertEqual(len(data["signals"]), 1)
        self.assertEqual(data["summary"]["signals"], 2)
        self.assertIn("1 of 2 signals shown", self.ok("report", "impact", "--limit", "1"))

    def test_bad_input(self):
        self.assert_refused(2, ["report", "impakt"], "did you mean impact")
        self.assert_refused(2, ["report", "funnel", "--by", "channel"], "--by applies to")
        self.assert_refused(2, ["report", "impact", "--by", "chanel"], "did you mean channel")
        self.assert_refused(2, ["report", "impact", "--section", "nope"], "sections: signals")
        self.assert_refused(2, ["report", "impact", "--since", "gisteren"], "--since")
        self.assert_refused(2, ["report", "impact", "--delimiter", "ab"], "--delimiter")
        self.assert_refused(2, ["report", "impact", "--chanel", "x"], "did you mean --channel")
        self.fx.write("bad.toml", "[reports]\nstale_days = 0\n")
        self.assert_refused(2, ["--config", "bad.toml", "report", "overdue"],
                            "bad.toml:2: reports.stale_days")
        self.fx.write("bad2.toml", "[reports]\nstale = 3\n")
        self.assert_refused(2, ["--config", "bad2.toml", "report", "overdue"],
                            "bad2.toml:2: reports.stale: unknown key")


class Customers(SileramTestCase):
    def test_import_list_and_set(self):
        path = self.fx.write("klanten.csv", "\ufeffname;revenue;segment;owner\r\n"
                                            "Acme BV;2500000.50;enterprise;jan\r\n"
                                            "Café Ïda;12000;smb;piet\r\n")
        self.ok("init")  # customer commands need the database, as every command but submit
        out, err = self.fx.run("customer", "import", path)[1:]
        self.assertIn("2 customers imported", out)
        self.assertIn("'owner'", err)
        listed = self.fx.js("customer", "list")
        self.assertEqual(listed, [{"name": "Acme BV", "revenue": 2500000.5, "segment": "enterprise"},
                                  {"name": "Café Ïda", "revenue": 12000.0, "segment": "smb"}])
        self.ok("customer", "set", "  ACME bv ", "--revenue", "10")
        listed = self.fx.js("customer", "list")
        self.assertEqual(len(listed), 2)
        self.assertEqual(listed[0]["revenue"], 10.0)
        self.assertIn("EUR 12,000.00", self.ok("customer", "list"))

    def test_bad_rows_import_nothing(self):
        self.ok("init")
        self.ok("customer", "set", "Acme BV", "--revenue", "1")
        path = self.fx.write("klanten.csv", "name,revenue\nBeta,5\nGamma,veel\n")
        self.assert_refused(2, ["customer", "import", path],
                            "klanten.csv: row 3, column revenue: 'veel'", check_bytes=False)
        path = self.fx.write("dubbel.csv", "name,revenue\nBeta,5\nBETA,6\n")
        self.assert_refused(2, ["customer", "import", path], "row 3, column name", check_bytes=False)
        self.assert_refused(2, ["customer", "set", "X"], "--revenue", check_bytes=False)
        self.assert_refused(2, ["customer", "sett", "X"], "did you mean set", check_bytes=False)
        self.assert_refused(2, ["customer", "set", "X", "--revenue", "-5"], "negative",
                            check_bytes=False)
        self.assertEqual(len(self.fx.js("customer", "list")), 1)

    def test_import_reads_csv_as_submit_from_does(self):
        self.ok("init")
        # Semicolons (commas inside a quoted header name do not count), a BOM, CRLF, a quoted
        # delimiter, a quoted comma and line break in an ignored column, a blank line, and the
        # same file on standard input.
        text = ("\ufeffCustomer;Revenue;Segment;\"Notes (a, b, c, d)\"\r\n"
                "\"Acme; BV\";2500000.50;enterprise;\"first line\r\nsecond, line\"\r\n"
                "\r\n"
                "\"Beta, \"\"NV\"\"\";12000;smb;\r\n")
        path = self.fx.write("klanten.csv", text)
        out, err = self.fx.run("customer", "import", path)[1:]
        self.assertIn("2 customers imported", out)
        self.assertIn("'Notes (a, b, c, d)'", err)
        expected = [{"name": "Acme; BV", "revenue": 2500000.5, "segment": "enterprise"},
                    {"name": 'Beta, "NV"', "revenue": 12000.0, "segment": "smb"}]
        self.assertEqual(self.fx.js("customer", "list"), expected)
        rc, out, err = self.fx.run("customer", "import", "-", stdin=text.encode("utf-8"))
        self.assertEqual((rc, err), (0, "sileram: note: stdin: column 'Notes (a, b, c, d)' is "
                                        "not a customer column; ignored\n"))
        self.assertEqual(self.fx.js("customer", "list"), expected)

    def test_a_bad_row_imports_nothing_and_names_file_row_and_column(self):
        self.ok("init")
        path = self.fx.write("klanten.csv", "\ufeffname;revenue;notes\r\n"
                                            "Acme BV;10;\"a\r\nb\"\r\n"
                                            "Beta NV;1,5;\r\n")
        self.assert_refused(2, ["customer", "import", path],
                            "klanten.csv: row 3, column revenue: '1,5' is not an amount")
        self.assertEqual(self.fx.js("customer", "list"), [])
        path = self.fx.write("open.csv", "name,revenue\nAcme,1\n\"Beta,2\n")
        self.assert_refused(2, ["customer", "import", path],
                            "open.csv: row 3: a quoted field never closes")
        self.assertEqual(self.fx.js("customer", "list"), [])


if __name__ == "__main__":
    harness.main()
