#!/usr/bin/env python3
"""`report trend`: per month (UTC, as the funnel's months) the signals in, the first quality-check
verdicts, the signals closed, the money saved (realised savings of the latest measurements, as
`report effect`) and the median days from submit to close; text, JSON, CSV and the filters. The
file runs in UTC and in Europe/Amsterdam: the months do not move with the zone.
Usage: python3 test_trend.py PATH/TO/sileram"""
import csv
import io

import harness
from harness import SileramTestCase


def at(t, when):
    """Pins the clock of the following commands."""
    t.fx.env["SILERAM_NOW"] = when


def seed(t):
    ids = {}
    at(t, "2026-10-05T09:00:00Z")
    ids["a"] = t.submit("Factuur onduidelijk", harness.EXAMPLE_BY, "--channel", "phone")
    at(t, "2026-10-06T09:00:00Z")
    t.advance(ids["a"], "accepted")
    at(t, "2026-11-02T10:00:00Z")
    t.advance(ids["a"], "measured")
    at(t, "2026-11-10T09:00:00Z")  # 36 days after submission
    t.advance(ids["a"], "closed")
    at(t, "2026-10-20T12:00:00Z")
    ids["b"] = t.submit("Pakket te laat", harness.EXAMPLE_BY, "--channel", "email")
    at(t, "2026-11-01T08:00:00Z")
    t.ok("triage", ids["b"], "--reject", "geen klantsignaal", "--quiet")
    # The last hour of October in UTC, already 1 November in Amsterdam: October either way.
    at(t, "2026-10-31T23:30:00Z")
    ids["late_october"] = t.submit("Monteur kwam niet", harness.EXAMPLE_BY, "--channel", "email")
    at(t, "2026-11-03T08:00:00Z")
    ids["d"] = t.submit("Wachtwoord vergeten", harness.EXAMPLE_BY, "--channel", "phone")
    at(t, "2026-11-20T08:00:00Z")  # 17 days after submission
    t.advance(ids["d"], "closed")
    at(t, harness.NOW)
    return ids


class TrendTest(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.ids = self.from_template(seed)

    def months(self, *args):
        data = self.fx.js("report", "trend", *args)
        return data, {m["month"]: m for m in data["months"]}

    def test_per_month(self):
        data, months = self.months()
        self.assertEqual(list(months), ["2026-10", "2026-11"])
        october, november = months["2026-10"], months["2026-11"]
        self.assertEqual((october["signals_in"], october["verdicts"], october["closed"]), (3, 1, 0))
        self.assertEqual(float(october["saved_per_period"]), 0)
        self.assertIsNone(october["median_days_to_close"])
        self.assertEqual((november["signals_in"], november["verdicts"], november["closed"]),
                         (1, 2, 2))
        # Two signals from 12,000 to 7,000 contacts at 10 each.
        self.assertEqual(float(november["saved_per_period"]), 100000)
        self.assertEqual(float(november["saved_per_year"]), 1200000)
        self.assertAlmostEqual(november["median_days_to_close"], (36 + 17) / 2)
        total = data["totals"]["months"]
        self.assertEqual((total["signals_in"], total["verdicts"], total["closed"]), (4, 3, 2))
        self.assertEqual(data["summary"]["closed"], 2)
        self.assertAlmostEqual(data["summary"]["median_days_to_close"], 26.5)

    def test_money_equals_report_effect(self):
        _, months = self.months()
        effect = self.fx.js("report", "effect")
        self.assertEqual(sum(float(m["saved_per_period"]) for m in months.values()),
                         float(effect["summary"]["saved_per_period"]))

    def test_closed_equals_funnel_leaving(self):
        _, months = self.months()
        funnel = self.fx.js("report", "funnel")
        left = {m["month"]: m["left"] for m in funnel["months"] if m["left"]}
        self.assertEqual({k: m["closed"] for k, m in months.items() if m["closed"]}, left)

    def test_filters(self):
        data, months = self.months("--channel", "email")
        self.assertEqual(months["2026-10"]["signals_in"], 2)
        self.assertEqual(months["2026-11"]["verdicts"], 1)
        self.assertEqual(data["totals"]["months"]["closed"], 0)
        _, months = self.months("--since", "2026-11-01")
        self.assertEqual(list(months), ["2026-11"])
        _, months = self.months("--until", "2026-10-31")
        self.assertEqual(list(months), ["2026-10"])
        self.assertEqual(months["2026-10"]["signals_in"], 3)

    def test_csv_and_text(self):
        rows = list(csv.DictReader(io.StringIO(self.ok("report", "trend", "--csv"))))
        self.assertEqual([r["month"] for r in rows], ["2026-10", "2026-11", "total"])
        self.assertEqual(rows[1]["closed"], "2")
        text = self.ok("report", "trend", env_extra={"COLUMNS": "120"})
        self.assertIn("2026-11", text)
        self.assertIn("EUR 100,000", text)
        self.assertIn("26.5", text)

    def test_nothing_selected(self):
        data = self.fx.js("report", "trend", "--channel", "fax")
        self.assertEqual(data["months"], [])
        self.assertEqual(data["summary"]["signals_in"], 0)
        self.assertIsNone(data["summary"]["median_days_to_close"])

    def test_help_describes_the_report(self):
        page = self.ok("report", "trend", "--help", db=False)
        self.assertIn("median_days_to_close", page)
        self.assertIn("trend", self.ok("report", "--help", db=False))


if __name__ == "__main__":
    harness.main()
