#!/usr/bin/env python3
"""Projects and `report scope`: `project add/list`, `--project` on submit, act --plan and in an
import, refusals (exit 2, the known names, nothing written), and the report split at the local
start of the project's day (run in UTC and in Europe/Amsterdam).
Usage: python3 test_projects.py PATH/TO/sileram"""
import csv
import io
import os

import harness
from harness import SileramTestCase

# The local midnight that starts 1 March 2026 where the test runs.
AMSTERDAM = os.environ.get("TZ") == "Europe/Amsterdam"
START_UTC = "2026-02-28T23:00:00Z" if AMSTERDAM else "2026-03-01T00:00:00Z"


class Projects(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.ok("project", "add", "Portal 2.0", "--customer", "Acme BV", "--start", "2026-03-01",
                "--quiet")

    def submit_at(self, when, title, *extra):
        return self.fx.js("submit", title, "--by", "lead@example.nl", *extra,
                          env_extra={"SILERAM_NOW": when})["id"]

    def test_add_and_list(self):
        self.ok("project", "add", "Migratie", "--customer", "Beta NV", "--start", "2026-04-15")
        listed = self.fx.js("project", "list")
        self.assertEqual([p["name"] for p in listed], ["Migratie", "Portal 2.0"])
        portal = listed[1]
        self.assertEqual((portal["customer"], portal["start"], portal["starts_at"]),
                         ("Acme BV", "2026-03-01", START_UTC))
        self.assertIn("Portal 2.0", self.ok("project", "list"))

    def test_a_name_taken_ignoring_case_is_refused(self):
        self.assert_refused(2, ("project", "add", "portal 2.0", "--customer", "X", "--start",
                                "2026-03-01"), "'portal 2.0' exists already", "Portal 2.0")
        self.assert_refused(2, ("project", "add", "Nieuw", "--customer", "X"), "--start")
        self.assert_refused(2, ("project", "add", "Nieuw", "--customer", "X", "--start",
                                "maart"), "'maart' is not a date")

    def test_an_unknown_project_is_refused_with_the_known_names(self):
        self.assert_refused(2, ("submit", "Iets", "--by", "a@example.nl", "--project", "Portaal"),
                            "project 'Portaal' is not known", "projects: Portal 2.0")
        sid = self.submit_at("2026-03-02T10:00:00Z", "Iets")
        self.advance(str(sid), "root-caused")
        self.assert_refused(2, ("act", sid, "--plan", "Doen", "--project", "Nope"),
                            "project 'Nope' is not known", "Portal 2.0")

    def test_import_refuses_an_unknown_project_naming_row_and_field(self):
        path = self.fx.write("in.csv", "title,submitted_by,project\n"
                                       "Goed,a@example.nl,portal 2.0\n"
                                       "Fout,a@example.nl,Onbekend\n")
        err = self.assert_refused(2, ("submit", "--from", path), "row 3", "project",
                                  "'Onbekend' is not known", "Portal 2.0", check_bytes=False)
        self.assertIn("nothing imported", err)
        self.fx.write("in.csv", "title,submitted_by,project\nGoed,a@example.nl,portal 2.0\n"
                                "Zonder,a@example.nl,\n")
        self.ok("submit", "--from", path, "--quiet")
        exported = [line for line in self.ok("export").splitlines()]
        self.assertIn('"project":"Portal 2.0"', exported[0])
        self.assertIn('"project":null', exported[1])
        rows = list(csv.DictReader(io.StringIO(self.ok("export", "--csv"))))
        self.assertEqual([r["project"] for r in rows], ["Portal 2.0", ""])

    def test_report_scope_splits_at_the_local_start(self):
        # One second before and at the local start of 1 March.
        before = self.submit_at("2026-02-28T22:59:59Z" if AMSTERDAM else "2026-02-28T23:59:59Z",
                                "Bestaande wens", "--project", "portal 2.0")
        after = self.submit_at(START_UTC, "Extra rapportage", "--project", "Portal 2.0",
                               "--process", "reporting")
        later = self.submit_at("2026-03-10T09:00:00Z", "Nog een export", "--project", "Portal 2.0",
                               "--process", "reporting")
        self.submit_at("2026-03-10T09:00:00Z", "Zonder project")
        self.assertEqual(self.show(after)["project"], "Portal 2.0")
        self.assertIn("Portal 2.0", self.ok("show", after))
        # The impact report's cost figure: contacts × cost per contact.
        self.advance(str(after), "analysed")
        cost = self.show(after)["impact"]["cost_per_period"]
        self.advance(str(later), "root-caused")
        self.ok("act", later, "--plan", "Exportknop", "--project", "portal 2.0", "--quiet")
        self.assertEqual(self.show(later)["actions"][0]["project"], "Portal 2.0")

        report = self.fx.js("report", "scope")
        self.assertEqual(report["currency"], "EUR")
        self.assertEqual(report["summary"]["projects"], 1)
        self.assertEqual(report["summary"]["requests_after_start"], 2)
        later_cost = self.show(later)["impact"]["cost_per_period"]
        self.assertEqual(report["summary"]["cost_after_start"], cost + later_cost)
        self.assertEqual(report["summary"]["unassessed_after_start"], 0)
        project = report["projects"][0]
        self.assertEqual((project["customer"], project["project"], project["start"]),
                         ("Acme BV", "Portal 2.0", "2026-03-01"))
        self.assertEqual((project["signals_before"], project["requests_after"],
                          project["actions_before"], project["actions_after"]), (1, 2, 0, 1))
        self.assertEqual(project["reasons"], {"reporting": 2})
        self.assertEqual(report["customers"][0]["customer"], "Acme BV")
        self.assertEqual([r["id"] for r in report["requests"]], [after, later])
        self.assertEqual(report["requests"][0]["cost_per_period"], cost)
        self.assertEqual(report["requests"][0]["submitted_on"], "2026-03-01")
        self.assertNotIn(before, [r["id"] for r in report["requests"]])

        text = self.ok("report", "scope")
        self.assertIn("Extra rapportage", text)
        rows = list(csv.DictReader(io.StringIO(self.ok("report", "scope", "--csv", "--section",
                                                       "requests"))))
        self.assertEqual([int(r["id"]) for r in rows], [after, later])
        # The common filters: a window and a field.
        narrowed = self.fx.js("report", "scope", "--since", "2026-03-05")
        self.assertEqual(narrowed["projects"][0]["requests_after"], 1)
        self.assertEqual(narrowed["projects"][0]["signals_before"], 0)
        self.assertEqual(self.fx.js("report", "scope", "--process", "billing")["summary"]
                         ["requests_after_start"], 0)
        self.assertEqual(self.fx.js("report", "scope", "--limit", "1")["requests"][0]["id"],
                         after)


if __name__ == "__main__":
    harness.main()
