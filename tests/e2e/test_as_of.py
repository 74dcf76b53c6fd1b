#!/usr/bin/env python3
"""`report … --as-of DAY`: every report as it stood at the end of that local day, rebuilt from the
history. Reports are taken in the last second of a day, signals change the next day (steps move,
figures are analysed again, a signal is measured, one closed, one accepted, one submitted), and
`--as-of` that first day gives each report's JSON back byte for byte. Before the first signal the
reports are empty; a day still to come is refused. Runs in UTC and in Europe/Amsterdam.
Usage: python3 test_as_of.py PATH/TO/sileram"""
import datetime
import os
import zoneinfo

import harness
from harness import SileramTestCase

REPORTS = ["impact", "funnel", "effect", "fields", "customers", "overdue", "response",
           "recurrence", "trend", "scope"]


def utc(local):
    """The UTC moment of a local wall-clock time 'YYYY-MM-DDTHH:MM:SS' in the test's zone."""
    zone = zoneinfo.ZoneInfo(os.environ.get("TZ") or "UTC")
    moment = datetime.datetime.fromisoformat(local).replace(tzinfo=zone)
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def at(t, local):
    t.fx.env["SILERAM_NOW"] = utc(local)


DAY_ONE_END = "2026-11-23T23:59:59"
DAY_TWO = "2026-11-24T10:00:00"


def seed(t):
    ids = {}
    at(t, "2026-11-20T09:00:00")
    ids["analysed"] = t.walk("analysed", title="Factuur onduidelijk", extra=("--channel", "phone"))
    ids["implemented"] = t.walk("implemented", title="Pakket te laat",
                                extra=("--customer", "Acme BV"))
    ids["rejected"] = t.walk("rejected", title="Geen klantsignaal")
    at(t, "2026-11-21T15:00:00")
    ids["measured"] = t.walk("measured", title="Monteur kwam niet", extra=("--process", "field"))
    ids["closed"] = t.walk("closed", title="Wachtwoord vergeten", extra=("--process", "login"))
    at(t, "2026-11-23T08:00:00")
    ids["submitted"] = t.submit("App start niet", harness.EXAMPLE_BY, "--channel", "app")
    ids["approved"] = t.walk("approved", title="Storing zonder bericht")
    t.ok("project", "add", "Portal", "--customer", "Acme BV", "--start", "2026-11-21")
    ids["asked"] = t.submit("Export naar Excel", harness.EXAMPLE_BY, "--customer", "Acme BV",
                            "--project", "Portal")
    return ids


class AsOfTest(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.ids = self.from_template(seed)

    def reports(self, *extra):
        out = {}
        for name in REPORTS:
            code, text, err = self.fx.run("report", name, "--json", "--limit", "0", *extra)
            self.assertEqual(code, 0, f"report {name} {extra}: {err}")
            out[name] = text
        return out

    def change_the_next_day(self):
        at(self, DAY_TWO)
        ids = self.ids
        self.ok("impact", ids["analysed"], "--contacts", "500", "--satisfaction-impact", "2",
                "--quiet")
        self.ok("impact", ids["analysed"], "--go", "--reason", "toch belangrijk", "--quiet")
        self.advance(ids["implemented"], "measured")
        self.advance(ids["measured"], "closed")
        self.ok("triage", ids["submitted"], "--accept", "--quiet")
        self.ok("act", ids["approved"], "--progress", "1=50", "--quiet")
        self.submit("Nieuw signaal na de dag", harness.EXAMPLE_BY, "--channel", "app")
        self.ok("project", "add", "Portal 2", "--customer", "Acme BV", "--start", "2026-11-24")
        self.submit("Nog een wens", harness.EXAMPLE_BY, "--customer", "Acme BV", "--project",
                    "Portal")

    def test_reports_come_back_byte_for_byte(self):
        at(self, DAY_ONE_END)
        before = self.reports()
        self.change_the_next_day()
        at(self, "2026-11-24T12:00:00")
        now = self.reports()
        # The changes show today, so the comparison below means something.
        for name in ("impact", "funnel", "effect", "trend", "scope"):
            self.assertNotEqual(now[name], before[name], f"report {name} did not change")
        past = self.reports("--as-of", "2026-11-23")
        for name in REPORTS:
            self.assertEqual(past[name], before[name], f"report {name} --as-of 2026-11-23")
        self.assertEqual(self.reports("--as-of", "yesterday"), before)

    def test_as_of_today_is_the_report_now(self):
        at(self, "2026-11-23T12:00:00")
        self.assertEqual(self.reports("--as-of", "today"), self.reports())

    def test_before_the_first_signal_is_empty(self):
        at(self, DAY_TWO)
        impact = self.fx.js("report", "impact", "--as-of", "2026-11-01")
        self.assertEqual(impact["summary"]["signals"], 0)
        self.assertEqual(impact["signals"], [])
        funnel = self.fx.js("report", "funnel", "--as-of", "2026-11-19")
        self.assertEqual(funnel["summary"]["signals"], 0)
        self.assertEqual(self.fx.js("report", "trend", "--as-of", "2026-01-01")["months"], [])
        self.ok("report", "overdue", "--as-of", "2020-01-01")

    def test_a_day_to_come_or_no_day_is_refused(self):
        at(self, DAY_TWO)
        with self.unchanged():
            code, out, err = self.fx.run("report", "impact", "--as-of", "2026-11-25")
            self.assertEqual(code, 2)
            self.assertIn("future", err)
            self.assertEqual(out, "")
            code, _, err = self.fx.run("report", "funnel", "--as-of", "gisteren")
            self.assertEqual(code, 2)
            self.assertIn("--as-of", err)
        self.ok("report", "impact", "--as-of", "2026-11-24")

    def test_filters_apply_to_the_past(self):
        at(self, DAY_ONE_END)
        before = self.fx.js("report", "impact", "--channel", "phone")
        self.change_the_next_day()
        self.assertEqual(self.fx.js("report", "impact", "--channel", "phone", "--as-of",
                                    "2026-11-23"), before)


if __name__ == "__main__":
    harness.main()
