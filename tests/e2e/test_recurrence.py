#!/usr/bin/env python3
"""Recurrence: only a signal closed after its root cause was found and its effect measured can
recur (not one closed after it was rejected, marked a duplicate or dropped), and one shared word
is no recurrence. `report recurrence` (text, JSON, CSV, filters, local days) and
`list --recurring`.
Usage: python3 test_recurrence.py PATH/TO/sileram"""
import csv
import io

import harness
from harness import SileramTestCase

# A week after the pinned clock, when every seeded signal was closed; already 1 December in
# Amsterdam.
LATER = "2026-11-30T23:30:00Z"


def seed(t):
    """Closed signals of every kind, and words that are common; returns their ids by name."""
    ids = {}
    ids["measured"] = t.walk("closed", title="Factuur btw-regel onduidelijk",
                             extra=("--process", "billing"))
    ids["reminder"] = t.walk("closed", title="Aanmaning", extra=("--process", "billing"))
    ids["rejected"] = t.walk("rejected", title="Pakket beschadigd bij bezorging")
    ids["dropped"] = t.walk("dropped", title="Monteur vergeet afspraak",
                            extra=("--process", "delivery"))
    original = t.submit("Inloggen lukt niet")
    ids["duplicate"] = t.submit("Wachtwoord herstellen mislukt steeds")
    t.ok("triage", ids["duplicate"], "--duplicate-of", original, "--quiet")
    for closing in ("rejected", "dropped", "duplicate"):
        t.ok("close", ids[closing], "--quiet")
        t.assertEqual(t.state(ids[closing]), "closed")
    # "aanmaning" in five signals, "klant" in seven: both common.
    for title in ("Aanmaning onterecht verstuurd", "Aanmaning te vroeg", "Aanmaning na betaling",
                  "Aanmaning dubbel"):
        t.submit(title)
    for title in ("Klant belt", "Klant mailt", "Klant wacht", "Klant boos", "Klant opgezegd",
                  "Klant verhuisd", "Klant verrast"):
        t.submit(title)
    return ids


class Recurrence(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.ids = self.from_template(seed)

    def submit_later(self, title):
        """Submits a signal a week after the closings; returns submit's JSON."""
        return self.fx.js("submit", title, "--by", "klant@example.nl",
                          env_extra={"SILERAM_NOW": LATER})

    def recurrence_of(self, title):
        return [r["id"] for r in self.submit_later(title)["recurrence_of"]]

    def test_only_a_root_cause_found_and_measured_recurs(self):
        self.assertEqual(self.recurrence_of("Btw-regel op factuur onduidelijk"),
                         [int(self.ids["measured"])])
        # The same words as a signal closed after it was rejected, dropped or marked a duplicate.
        self.assertEqual(self.recurrence_of("Pakket beschadigd bij de bezorging"), [])
        self.assertEqual(self.recurrence_of("Monteur vergeet de afspraak"), [])
        self.assertEqual(self.recurrence_of("Wachtwoord herstellen mislukt steeds"), [])

    def test_one_shared_common_word_is_no_recurrence(self):
        # "Aanmaning" holds more than half the weight of the two words, but is one word.
        d = self.submit_later("Klant aanmaning")
        self.assertEqual(d["recurrence_of"], [])
        self.assertEqual(self.fx.js("list", "--recurring"), [])

    def test_report_lists_each_recurrence_per_process_in_every_format(self):
        first = self.submit_later("Btw-regel op factuur onduidelijk")["id"]
        second = self.submit_later("Onduidelijk: btw-regel op de factuur")["id"]
        measured = int(self.ids["measured"])
        data = self.fx.js("report", "recurrence")
        self.assertEqual(data["summary"], {"closed_root_causes": 2, "recurred_root_causes": 1,
                                           "recurring_signals": 2})
        rows = data["recurrences"]
        self.assertEqual([(r["closed_signal"], r["signal"]) for r in rows],
                         [(measured, first), (measured, second)])
        self.assertEqual(rows[0]["process"], "billing")
        self.assertEqual(rows[0]["root_cause"], "BTW-regel staat los van het bedrag")
        self.assertEqual(rows[0]["closed_on"], "2026-11-23")
        self.assertEqual(rows[0]["submitted_on"], "2026-11-30")
        self.assertEqual(rows[0]["days_since_closing"], 7)
        self.assertEqual(data["processes"], [
            {"process": "billing", "closed_root_causes": 2, "recurred_root_causes": 1,
             "recurring_signals": 2, "share_recurred": 0.5}])

        table = list(csv.DictReader(io.StringIO(self.ok("report", "recurrence", "--csv"),
                                                newline="")))
        self.assertEqual([(int(r["closed_signal"]), int(r["signal"]), int(r["days_since_closing"]))
                          for r in table], [(measured, first, 7), (measured, second, 7)])
        text = self.ok("report", "recurrence", env_extra={"COLUMNS": "200"})
        self.assertIn("Closed root causes that came back, per process", text)
        line = next(l for l in text.splitlines() if "Btw-regel op factuur onduidelijk" in l)
        self.assertRegex(line, rf"billing\s+{measured}\s+BTW-regel staat los van het bedrag\s+"
                               rf"2026-11-23\s+{first}\s+.*2026-11-30\s+7\b")
        # The days are local: 23:30 UTC on 30 November is 1 December in Amsterdam.
        local = self.ok("report", "recurrence", "--csv",
                        env_extra={"TZ": "Europe/Amsterdam"})
        self.assertIn(",2026-12-01,7,", local)
        self.assertNotIn("2026-11-30", local)

        limited = self.fx.js("report", "recurrence", "--limit", "1")
        self.assertEqual(len(limited["recurrences"]), 1)
        self.assertEqual(limited["summary"]["recurring_signals"], 2)
        self.assertIn("1 of 2 recurrences shown", self.ok("report", "recurrence", "--limit", "1"))

    def test_filters_window_the_new_signals_and_pick_the_closed_ones_by_field(self):
        self.submit_later("Btw-regel op factuur onduidelijk")
        self.assertEqual(len(self.fx.js("report", "recurrence", "--since",
                                        "2026-11-30")["recurrences"]), 1)
        before = self.fx.js("report", "recurrence", "--until", "2026-11-29")
        self.assertEqual(before["recurrences"], [])
        self.assertEqual(before["summary"]["closed_root_causes"], 2)
        other = self.fx.js("report", "recurrence", "--process", "delivery")
        self.assertEqual(other["recurrences"], [])
        self.assertEqual(other["summary"]["closed_root_causes"], 0)

    def test_list_recurring_shows_the_signals_that_recur_a_closed_root_cause(self):
        recurring = str(self.submit_later("Btw-regel op factuur onduidelijk")["id"])
        self.submit_later("Pakket beschadigd bij de bezorging")
        self.assertEqual([s["id"] for s in self.fx.js("list", "--recurring")], [int(recurring)])
        self.assertIn("Btw-regel op factuur onduidelijk", self.ok("list", "--recurring"))
        # Open signals by default, as list always does; --all shows it once it is rejected.
        self.ok("triage", recurring, "--reject", "al bekend", "--quiet")
        self.assertEqual(self.fx.js("list", "--recurring"), [])
        self.assertEqual([s["id"] for s in self.fx.js("list", "--recurring", "--all")],
                         [int(recurring)])

    def test_help_describes_the_report(self):
        page = self.ok("report", "recurrence", "--help", db=False)
        self.assertIn("Section recurrences", page)
        self.assertIn("days_since_closing", page)
        self.assertIn("recurrence", self.ok("report", "--help", db=False))


if __name__ == "__main__":
    harness.main()
