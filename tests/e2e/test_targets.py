"""Response targets ([targets]): the signals past a target in `list --late`, `show` and `report
overdue` (sections waiting and late), with a pinned clock (SILERAM_NOW). A day is the user's
local day: the day boundaries are checked in UTC and in Europe/Amsterdam."""
import csv
import io
import json

import harness

A = "agent1@example.nl"
B = "agent2@example.nl"
UTC = {"TZ": "UTC"}
AMSTERDAM = {"TZ": "Europe/Amsterdam"}


def at(moment, zone=UTC):
    return dict(zone, SILERAM_NOW=moment)


class TargetsTestCase(harness.SileramTestCase):

    def configure(self, targets="", days_in=""):
        self.fx.write("sileram.toml", f"[targets]\n{targets}\n[targets.days_in]\n{days_in}\n")

    def submit_at(self, moment, title="De factuur is onduidelijk", by=A, *extra):
        out = self.ok("submit", title, "--by", by, "--quiet", *extra, env_extra=at(moment))
        return out.strip()

    def late_ids(self, env, *extra):
        return [row["id"] for row in self.fx.js("list", "--late", *extra, env_extra=env)]


class FirstResponse(TargetsTestCase):

    def test_a_signal_without_a_verdict_is_late_the_day_after_its_due_day(self):
        self.configure("first_response_days = 2")
        sid = self.submit_at("2026-11-20T10:00:00Z")
        self.assertEqual(self.late_ids(at("2026-11-22T23:59:59Z")), [])
        self.assertEqual(self.late_ids(at("2026-11-23T00:00:00Z")), [int(sid)])
        out = self.ok("show", sid, env_extra=at("2026-11-25T09:00:00Z"))
        self.assertIn("Late", out)
        self.assertIn("first response was due 2026-11-22, 3 days ago", out)
        late = self.fx.js("show", sid, env_extra=at("2026-11-25T09:00:00Z"))["late"]
        self.assertEqual(late, {"reason": "first response", "state": "submitted",
                                "due": "2026-11-22", "days_late": 3,
                                "text": "first response was due 2026-11-22, 3 days ago"})
        self.assertIsNone(self.fx.js("show", sid, env_extra=at("2026-11-22T12:00:00Z"))["late"])
        # export gives each signal as show --json does, late object and all.
        rc, out, err = self.fx.run("export", env_extra=at("2026-11-25T09:00:00Z"))
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(json.loads(out.splitlines()[0])["late"], late)

    def test_the_late_column_is_red_when_colour_is_on(self):
        self.configure("first_response_days = 2")
        self.submit_at("2026-11-20T10:00:00Z")
        colour = dict(at("2026-11-25T09:00:00Z"), NO_COLOR=None, CLICOLOR_FORCE="1")
        out = self.ok("list", "--late", env_extra=colour)
        self.assertIn("\x1b[91mfirst response", out)  # red, as show paints it
        plain = self.ok("list", "--late", env_extra=at("2026-11-25T09:00:00Z"))
        self.assertNotIn("\x1b[", plain)
        self.assertIn("first response was due 2026-11-22", plain)

    def test_a_question_is_a_first_response(self):
        self.configure("first_response_days = 1")
        sid = self.submit_at("2026-11-20T10:00:00Z")
        self.ok("triage", sid, "--needs-info", "Welk factuurnummer?", env_extra=at("2026-11-21T10:00:00Z"))
        self.ok("answer", sid, "Nummer 42", "--by", A, env_extra=at("2026-11-22T10:00:00Z"))
        self.assertEqual(self.late_ids(at("2026-11-30T10:00:00Z")), [])
        self.assertNotIn("Late", self.ok("show", sid, env_extra=at("2026-11-30T10:00:00Z")))

    def test_the_day_is_the_local_day_in_utc_and_in_amsterdam(self):
        self.configure("first_response_days = 1")
        # 23:30 UTC on the 20th is 00:30 on the 21st in Amsterdam (UTC+1 in November).
        sid = int(self.submit_at("2026-11-20T23:30:00Z"))
        # Due the 21st in UTC, the 22nd in Amsterdam.
        self.assertEqual(self.late_ids(at("2026-11-22T00:30:00Z", UTC)), [sid])
        self.assertEqual(self.late_ids(at("2026-11-22T00:30:00Z", AMSTERDAM)), [])
        self.assertEqual(self.late_ids(at("2026-11-22T22:59:59Z", AMSTERDAM)), [])
        self.assertEqual(self.late_ids(at("2026-11-22T23:00:00Z", AMSTERDAM)), [sid])
        utc = self.fx.js("show", sid, env_extra=at("2026-11-22T23:00:00Z", UTC))["late"]
        local = self.fx.js("show", sid, env_extra=at("2026-11-22T23:00:00Z", AMSTERDAM))["late"]
        self.assertEqual((utc["due"], utc["days_late"]), ("2026-11-21", 1))
        self.assertEqual((local["due"], local["days_late"]), ("2026-11-22", 1))
        report = self.fx.js("report", "overdue", env_extra=at("2026-11-22T23:00:00Z", AMSTERDAM))
        late = report["late"]
        self.assertEqual([(r["id"], r["due"], r["days_late"]) for r in late],
                         [(sid, "2026-11-22", 1)])


class DaysInAndReview(TargetsTestCase):

    def test_days_in_a_state_and_the_filters_of_list(self):
        self.configure(days_in="accepted = 3")
        phone = self.submit_at("2026-11-01T09:00:00Z", "Wachtrij", A, "--channel", "phone")
        email = self.submit_at("2026-11-01T09:00:00Z", "Bezorging", B, "--channel", "email")
        for sid in (phone, email):
            self.ok("triage", sid, "--accept", env_extra=at("2026-11-10T15:00:00Z"))
        self.assertEqual(self.late_ids(at("2026-11-13T23:59:00Z")), [])
        now = at("2026-11-14T08:00:00Z")
        self.assertEqual(self.late_ids(now), [int(phone), int(email)])
        self.assertEqual(self.late_ids(now, "--channel", "phone"), [int(phone)])
        self.assertEqual(self.late_ids(now, "--state", "analysed"), [])
        rows = list(csv.DictReader(io.StringIO(
            self.ok("list", "--late", "--csv", "--channel", "email", env_extra=now))))
        self.assertEqual([(r["id"], r["late_reason"], r["late_state"], r["late_due"], r["days_late"])
                          for r in rows], [(email, "days in", "accepted", "2026-11-13", "1")])
        text = self.ok("list", "--late", env_extra=now)
        self.assertIn("accepted for too long: was due to move on by 2026-11-13, 1 day ago", text)

    def test_a_parked_signal_past_its_until_day_is_due_for_review(self):
        self.configure()
        sid = self.walk("parked")  # --until 2027-03-01
        self.assertEqual(self.late_ids(at("2027-03-01T23:00:00Z")), [])
        self.assertEqual(self.late_ids(at("2027-03-02T08:00:00Z")), [int(sid)])
        self.assertIn("due for review: parked until 2027-03-01, 1 day ago",
                      self.ok("show", sid, env_extra=at("2027-03-02T08:00:00Z")))


class OverdueSections(TargetsTestCase):

    def test_waiting_says_whom_was_asked_what_and_when_answer_days_passed(self):
        self.configure("answer_days = 3\nfirst_response_days = 2")
        sid = self.submit_at("2026-11-10T09:00:00Z")
        self.ok("submit", "--join", sid, "--by", B, env_extra=at("2026-11-10T10:00:00Z"))
        self.ok("triage", sid, "--needs-info", "Welk factuurnummer?",
                env_extra=at("2026-11-11T09:00:00Z"))
        report = self.fx.js("report", "overdue", env_extra=at("2026-11-14T20:00:00Z"))
        waiting = report["waiting"]
        self.assertEqual(waiting, [{"id": int(sid), "title": "De factuur is onduidelijk",
                                            "days_waiting": 3, "asked": f"{A}, {B}",
                                            "question": "Welk factuurnummer?",
                                            "past_answer_days": False}])
        late_env = at("2026-11-15T08:00:00Z")
        text = self.ok("report", "overdue", "--section", "waiting", env_extra=late_env)
        self.assertIn("1 shown without an answer after 3 days", text)
        self.assertIn("Welk factuurnummer?", text)
        rows = list(csv.DictReader(io.StringIO(
            self.ok("report", "overdue", "--csv", "--section", "waiting", env_extra=late_env))))
        self.assertEqual([(r["id"], r["days_waiting"], r["past_answer_days"]) for r in rows],
                         [(sid, "4", "true")])
        # Having asked, the signal owes no first response: it is not in the section late.
        report = self.fx.js("report", "overdue", env_extra=late_env)
        self.assertEqual(report["late"], [])
        self.assertEqual(report["summary"]["waiting_signals"], 1)

    def test_late_lists_each_target_missed_most_days_late_first(self):
        self.configure("first_response_days = 1", "accepted = 2")
        fresh = self.submit_at("2026-11-20T09:00:00Z", "Nieuw", B)
        old = self.submit_at("2026-11-01T09:00:00Z", "Oud", A)
        self.ok("triage", old, "--accept", env_extra=at("2026-11-02T09:00:00Z"))
        now = at("2026-11-23T12:00:00Z")
        report = self.fx.js("report", "overdue", env_extra=now)
        late = report["late"]
        self.assertEqual([(r["id"], r["state"], r["reason"], r["due"], r["days_late"])
                          for r in late],
                         [(int(old), "accepted", "days in", "2026-11-04", 19),
                          (int(fresh), "submitted", "first response", "2026-11-21", 2)])
        self.assertEqual(report["summary"]["late_signals"], 2)
        rows = list(csv.DictReader(io.StringIO(
            self.ok("report", "overdue", "--csv", "--section", "late", "--limit", "1",
                    env_extra=now))))
        self.assertEqual(len(rows), 1)
        self.assertIn("Signals past a response target",
                      self.ok("report", "overdue", env_extra=now))


class BadTargets(TargetsTestCase):

    def test_a_negative_or_fractional_target_or_unknown_state_is_refused_with_file_line_key(self):
        self.submit_at("2026-11-20T09:00:00Z")
        for text, line, key in [
                ("[targets]\nfirst_response_days = -1\n", 2, "targets.first_response_days"),
                ("[targets]\nanswer_days = 2.5\n", 2, "targets.answer_days"),
                ("[targets]\n[targets.days_in]\naccepted = -2\n", 3, "targets.days_in.accepted"),
                ("[targets.days_in]\naccepted = 1.5\n", 2, "targets.days_in.accepted"),
                ("[targets.days_in]\n\nacepted = 3\n", 3, "targets.days_in.acepted")]:
            self.fx.write("sileram.toml", text)
            self.assert_refused(2, ("list", "--late"), f"sileram.toml:{line}:", key)


if __name__ == "__main__":
    harness.main()
