"""The waiting customer: acknowledgement mails, a question back (needs-info and answer), the
approved business case that holds, and the merged submitter's own story. Mails go through the
feedback queue into a folder outbox and are read back with Python's email package; the clock is
pinned (SILERAM_NOW), so the days in the mails are known."""
import csv
import email
import email.policy
import io
import os

import harness

A = "agent1@example.nl"
B = "agent2@example.nl"
C = "agent3@example.nl"
FROM = "Klantsignalen <signalen@example.org>"
DUTCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                     "templates-nl")


class WaitingTestCase(harness.SileramTestCase):

    def setUp(self):
        super().setUp()
        self.outbox = os.path.join(self.tmp, "outbox")
        os.mkdir(self.outbox)

    def configure(self, mail="", targets=""):
        self.fx.write("sileram.toml", f'[mail]\nfrom = "{FROM}"\nurl = "file://{self.outbox}"\n'
                                      f"{mail}\n[targets]\n{targets}\n")

    def send(self):
        """Delivers the queue; returns {(recipient, subject): body} of every mail in the outbox."""
        self.fx.js("close", "--send")
        mails = {}
        for name in sorted(os.listdir(self.outbox)):
            with open(os.path.join(self.outbox, name), "rb") as f:
                msg = email.message_from_bytes(f.read(), policy=email.policy.default)
            mails[(str(msg["To"]), str(msg["Subject"]))] = msg.get_content()
        return mails

    def queued(self, outcome):
        return self.fx.query("SELECT recipient FROM feedback WHERE outcome = ? ORDER BY id",
                             (outcome,))


class Acknowledgement(WaitingTestCase):

    def test_a_new_signal_is_acknowledged_once_with_the_day_to_hear_by(self):
        self.configure("acknowledge = true", "first_response_days = 5")
        sid = self.submit("De factuur is onduidelijk", A)
        mails = self.send()
        self.assertEqual(list(mails), [(A, f"Your signal {sid} has arrived: De factuur is onduidelijk")])
        body = next(iter(mails.values()))
        self.assertIn(f'Thank you for raising signal {sid}: "De factuur is onduidelijk"', body)
        # Pinned at 2026-11-23: five days on.
        self.assertIn("You will hear from us by 2026-11-28.", body)
        self.assertEqual(self.fx.js("close", "--send")["sent"], 0)
        self.assertEqual(len(os.listdir(self.outbox)), 1)

    def test_without_a_target_the_mail_promises_no_day(self):
        self.configure("acknowledge = true")
        self.submit("De factuur is onduidelijk", A)
        body = next(iter(self.send().values()))
        self.assertIn("You will hear from us as soon as we have looked at it.", body)
        self.assertNotIn("by 20", body)

    def test_join_and_each_imported_row_acknowledge_each_new_submitter(self):
        self.configure("acknowledge = true", "first_response_days = 2")
        sid = self.submit("De factuur is onduidelijk", A)
        self.ok("submit", "--join", sid, "--by", B)
        self.ok("submit", "--join", sid, "--by", B)  # already a submitter: no second mail
        self.fx.write("in.csv", "title,submitted_by\nBezorging te laat,c@example.nl\n"
                                "Wachtrij te lang,d@example.nl\n")
        self.ok("submit", "--from", "in.csv")
        self.assertEqual(self.queued("acknowledged"),
                         [(A,), (B,), ("c@example.nl",), ("d@example.nl",)])
        mails = self.send()
        self.assertEqual(len(mails), 4)
        self.assertIn("You will hear from us by 2026-11-25.",
                      mails[("d@example.nl", "Your signal 3 has arrived: Wachtrij te lang")])

    def test_nothing_is_queued_unless_the_configuration_asks(self):
        self.configure()
        sid = self.submit("De factuur is onduidelijk", A)
        self.ok("submit", "--join", sid, "--by", B)
        self.assertEqual(self.queued("acknowledged"), [])

    def test_the_dutch_set_has_its_own_acknowledgement(self):
        self.configure(f'acknowledge = true\ntemplates = "{DUTCH}"', "first_response_days = 5")
        sid = self.submit("De factuur is onduidelijk", A)
        (subject_to, body), = self.send().items()
        self.assertEqual(subject_to, (A, f"Je signaal {sid} is binnen: De factuur is onduidelijk"))
        self.assertIn("Je hoort uiterlijk 2026-11-28 van ons.", body)

    def test_a_negative_or_fractional_target_names_file_line_and_key(self):
        for value in ("-1", "2.5"):
            self.configure("", f"first_response_days = {value}")
            self.assert_refused(2, ["submit", "X", "--by", A], "sileram.toml:6",
                                "targets.first_response_days")


class Question(WaitingTestCase):

    def test_a_question_goes_to_every_submitter_and_the_answer_submits_again(self):
        self.configure()
        sid = self.submit("De factuur is onduidelijk", A)
        self.ok("submit", "--join", sid, "--by", B)
        shown = self.fx.js("triage", sid, "--needs-info", "Welke factuur bedoelt u?")
        self.assertEqual((shown["state"], shown["step"]), ("needs-info", 2))
        mails = self.send()
        subject = f"A question about your signal {sid}: De factuur is onduidelijk"
        self.assertEqual(sorted(mails), [(A, subject), (B, subject)])
        self.assertIn("Welke factuur bedoelt u?", mails[(A, subject)])
        shown = self.fx.js("answer", sid, "Factuur 2026-0042", "--by", A)
        self.assertEqual((shown["state"], shown["step"]), ("submitted", 1))
        last = shown["history"][-1]
        self.assertEqual((last["event"], last["from"], last["to"]),
                         ("answer", "needs-info", "submitted"))
        self.assertEqual(last["detail"], f"{A}: Factuur 2026-0042")
        # A second question is a mail of its own; none is sent twice.
        self.ok("triage", sid, "--needs-info", "Welke pagina?")
        self.assertEqual(len(self.queued("needs-info")), 4)
        self.assertEqual(self.fx.js("close", "--send")["sent"], 2)
        self.assertEqual(self.fx.js("close", "--send")["sent"], 0)
        self.assertEqual(len(os.listdir(self.outbox)), 4)

    def test_triage_decides_straight_from_needs_info(self):
        self.configure()
        accepted = self.submit("De factuur is onduidelijk", A)
        rejected = self.submit("Iets anders", B)
        for sid in (accepted, rejected):
            self.ok("triage", sid, "--needs-info", "Wat bedoelt u?")
        self.assertEqual(self.fx.js("triage", accepted, "--accept")["state"], "accepted")
        self.assertEqual(self.fx.js("triage", rejected, "--reject", "geen klantsignaal")["state"],
                         "rejected")

    def test_a_waiting_signal_is_open_at_step_2(self):
        self.configure()
        sid = self.submit("De factuur is onduidelijk", A)
        self.ok("triage", sid, "--needs-info", "Wat bedoelt u?")
        self.assertEqual([s["id"] for s in self.fx.js("list")], [int(sid)])
        self.assertEqual([s["id"] for s in self.fx.js("list", "--state", "needs-info")], [int(sid)])
        self.assertEqual([s["id"] for s in self.fx.js("list", "--step", "2")], [int(sid)])
        step_2 = self.fx.js("report", "funnel")["steps"][1]
        self.assertEqual((step_2["step"], step_2["signals"], step_2["states"]),
                         (2, 1, {"needs-info": 1}))
        self.assertEqual(step_2["oldest_waiting_signal"], int(sid))
        # Waiting a fortnight without an answer, it is stale like any open signal.
        stale = self.fx.js("report", "overdue", env_extra={"SILERAM_NOW": "2026-12-08T12:00:00Z"})
        self.assertEqual([(row["id"], row["state"]) for row in stale["stale"]],
                         [(int(sid), "needs-info")])

    def test_a_question_on_a_closed_signal_is_refused(self):
        self.configure()
        sid = self.walk("rejected")
        self.ok("close", sid)
        self.assert_refused(1, ["triage", sid, "--needs-info", "Wat bedoelt u?"],
                            f"signal {sid}", "closed")

    def test_bad_questions_and_answers(self):
        self.configure()
        sid = self.submit("De factuur is onduidelijk", A)
        self.assert_refused(2, ["triage", sid, "--needs-info", "  "], "the question is empty")
        self.assert_refused(1, ["answer", sid, "Factuur 42"], "needs-info")
        self.ok("triage", sid, "--needs-info", "Wat bedoelt u?")
        self.assert_refused(2, ["answer", sid, ""], "the answer is empty")
        self.assert_refused(2, ["answer", sid, "Factuur 42", "--by", "geen adres"], "--by")
        self.assert_refused(2, ["triage", sid, "--accept", "--needs-info", "Nog iets?"],
                            "exactly one")


class ApprovedCase(WaitingTestCase):

    def test_the_approved_case_holds_and_a_revision_is_recorded(self):
        self.configure()
        sid = self.walk("approved")
        case = self.show(sid)["business_case"]
        self.assertEqual(case["approved"]["expected_reduction"], 40)
        self.assertEqual(case["approved"]["expected_savings_per_year"], 576000)
        self.assertEqual(case["approved"]["cost"], 32000)
        self.assertEqual(case["approved"]["at"], harness.NOW)
        self.assertEqual(case["current"]["expected_savings_per_year"], 576000)
        self.assertEqual(case["difference"]["expected_savings_per_year"], 0)

        self.assert_refused(1, ["act", sid, "--expect-reduction", "30"], "approved",
                            "--revise REASON")
        self.assert_refused(2, ["act", sid, "--expect-reduction", "30", "--revise", ""],
                            "--revise")
        self.assert_refused(2, ["act", sid, "--expect-reduction", "30", "--revise"])
        self.assert_refused(2, ["act", sid, "--revise", "minder effect"], "--expect-reduction")

        shown = self.fx.js("act", sid, "--expect-reduction", "30", "--revise",
                           "de migratie raakt minder klanten")
        self.assertEqual(shown["state"], "approved")
        last = shown["history"][-1]
        self.assertEqual(last["event"], "revise")
        self.assertIn("de migratie raakt minder klanten", last["detail"])
        self.ok("act", sid, "--plan", "Extra training", "--cost", "8000")
        case = self.show(sid)["business_case"]
        self.assertEqual(case["approved"]["expected_reduction"], 40)
        self.assertEqual(case["approved"]["cost"], 32000)
        self.assertEqual(case["current"]["expected_reduction"], 30)
        self.assertEqual(case["expected_reduction"], 30)
        self.assertEqual(case["current"]["cost"], 40000)
        self.assertEqual(case["difference"]["expected_savings_per_year"], -144000)
        self.assertEqual(case["difference"]["cost"], 8000)
        self.assertEqual(case["difference"]["expected_reduction"], -10)

        page = self.ok("show", sid)
        self.assertRegex(page, r"(?m)^Business case\s+30% fewer contacts")
        self.assertRegex(page, r"(?m)^Approved case\s+.*40% fewer contacts")
        self.assertIn("savings -EUR 144,000.00 a year; cost +EUR 8,000.00", page)

    def test_before_approval_there_is_no_approved_case_and_no_revision(self):
        self.configure()
        sid = self.walk("planned")
        case = self.show(sid)["business_case"]
        self.assertIsNone(case["approved"])
        self.assertEqual(case["current"]["expected_reduction"], 40)
        self.assert_refused(1, ["act", sid, "--expect-reduction", "30", "--revise", "anders"],
                            "approved")
        self.ok("act", sid, "--expect-reduction", "30")


    def test_report_effect_sets_the_approved_savings_beside_the_realised(self):
        self.configure()
        sid = self.walk("approved")
        # Revised after approval: the expectation drops to 30 %, the approved case keeps 40 %.
        self.ok("act", sid, "--expect-reduction", "30", "--revise", "minder klanten geraakt")
        self.advance(sid, "measured")
        older = self.walk("measured", title="Bezorgtijd onduidelijk", by=B)
        # A signal approved before sileram kept the approved case has none.
        self.fx.execute("UPDATE signals SET approved_at = NULL, approved_reduction_hundredths = "
                        "NULL, approved_satisfaction_hundredths = NULL, "
                        "approved_savings_per_year_cents = NULL, approved_cost_cents = NULL "
                        "WHERE id = ?", (int(older),))
        report = self.fx.js("report", "effect")
        lines = {str(line["id"]): line for line in report["signals"]}
        line = lines[sid]
        self.assertEqual((line["saved_per_year"], line["expected_per_year"]), (600000, 432000))
        self.assertEqual(line["approved_per_year"], 576000)
        self.assertEqual(line["versus_approved_per_year"], 24000)
        self.assertIsNone(lines[older]["approved_per_year"])
        self.assertIsNone(lines[older]["versus_approved_per_year"])
        summary = report["summary"]
        self.assertEqual(summary["approved_signals"], 1)
        self.assertEqual(summary["approved_per_year"], 576000)
        self.assertEqual(summary["saved_per_year_approved"], 600000)
        self.assertEqual(summary["versus_approved_per_year"], 24000)
        rows = {row["id"]: row for row in csv.DictReader(
            io.StringIO(self.ok("report", "effect", "--csv"), newline=""))}
        self.assertEqual((rows[sid]["approved_per_year"], rows[sid]["versus_approved_per_year"]),
                         ("576000.00", "24000.00"))
        self.assertEqual(rows[older]["approved_per_year"], "")
        text = self.ok("report", "effect", env_extra={"COLUMNS": "200"})
        self.assertRegex(text, r"(?m)^Approved savings per year\s+EUR 576,000$")
        self.assertRegex(text, r"(?m)^Saved minus approved per year\s+EUR 24,000$")
        self.assertIn("vs approved", text)


class Response(WaitingTestCase):
    """`report response`: days from submit to the first verdict or question, per month of
    submission (UTC, as the funnel's months) and per channel."""

    def at(self, when, *args):
        return self.ok(*args, env_extra={"SILERAM_NOW": when})

    def seed(self):
        asked = self.at("2026-10-01T09:00:00Z", "submit", "Factuur onduidelijk", "--by", A,
                        "--channel", "phone", "--quiet").strip()
        self.at("2026-10-02T09:00:00Z", "triage", asked, "--needs-info", "Welke factuur?")
        self.at("2026-10-03T09:00:00Z", "answer", asked, "Nummer 42")
        self.at("2026-10-06T09:00:00Z", "triage", asked, "--accept")  # the question counted: 1 day
        slow = self.at("2026-10-03T09:00:00Z", "submit", "Pakket te laat", "--by", B,
                       "--channel", "email", "--quiet").strip()
        self.at("2026-10-08T09:00:00Z", "triage", slow, "--accept")  # 5 days
        # Past midnight in Amsterdam, still October in UTC: the month of the report.
        late = self.at("2026-10-31T23:30:00Z", "submit", "Chat valt weg", "--by", C,
                       "--channel", "chat", "--quiet").strip()
        self.at("2026-11-01T11:30:00Z", "triage", late, "--reject", "geen klantsignaal")  # 0.5
        self.at("2026-11-03T09:00:00Z", "submit", "Geen reactie", "--by", A, "--quiet")  # waits

    def test_median_p90_and_share_within_the_target_per_month_and_channel(self):
        self.configure(targets="first_response_days = 2")
        self.seed()
        now = {"SILERAM_NOW": "2026-11-10T09:00:00Z"}
        report = self.fx.js("report", "response", env_extra=now)
        self.assertEqual(report["summary"], {
            "target_days": 2, "signals": 4, "responded": 3, "waiting": 1, "median_days": 1.0,
            "p90_days": 4.2, "within_target": 0.5})
        months = {row["month"]: row for row in report["months"]}
        self.assertEqual(list(months), ["2026-10", "2026-11"])
        self.assertEqual((months["2026-10"]["signals"], months["2026-10"]["median_days"],
                          months["2026-10"]["p90_days"], months["2026-10"]["within_target"]),
                         (3, 1.0, 4.2, 0.6667))
        # Waiting a week past a two-day target: missed, though no time to respond is known.
        self.assertEqual((months["2026-11"]["waiting"], months["2026-11"]["median_days"],
                          months["2026-11"]["within_target"]), (1, None, 0.0))
        self.assertEqual([(row["channel"], row["median_days"]) for row in report["channels"]],
                         [("(none)", None), ("chat", 0.5), ("email", 5.0), ("phone", 1.0)])
        self.assertEqual(report["totals"]["channels"]["signals"], 4)

        rows = list(csv.DictReader(io.StringIO(
            self.ok("report", "response", "--csv", "--section", "channels", env_extra=now),
            newline="")))
        self.assertEqual([(r["channel"], r["median_days"], r["within_target"]) for r in rows],
                         [("(none)", "", "0.0000"), ("chat", "0.5", "1.0000"),
                          ("email", "5.0", "0.0000"), ("phone", "1.0", "1.0000"),
                          ("total", "1.0", "0.5000")])
        text = self.ok("report", "response", env_extra={**now, "COLUMNS": "120"})
        self.assertRegex(text, r"(?m)^Median days to first response\s+1\.0$")
        self.assertRegex(text, r"(?m)^2026-10\s+3\s+3\s+0\s+1\.0\s+4\.2\s+66\.7%")
        self.assertRegex(text, r"(?m)^2026-11\s+1\s+0\s+1\s+-\s+-\s+0\.0%")
        # Narrowed like every report: a channel, a window of submission.
        phone = self.fx.js("report", "response", "--channel", "phone", env_extra=now)
        self.assertEqual((phone["summary"]["signals"], phone["summary"]["within_target"]), (1, 1.0))
        november = self.fx.js("report", "response", "--since", "2026-11-01", env_extra=now)
        self.assertEqual(november["summary"]["signals"], 1)

    def test_without_a_target_the_share_is_null_and_a_dash(self):
        self.configure()
        self.seed()
        now = {"SILERAM_NOW": "2026-11-10T09:00:00Z"}
        report = self.fx.js("report", "response", env_extra=now)
        self.assertIsNone(report["summary"]["target_days"])
        self.assertIsNone(report["summary"]["within_target"])
        self.assertEqual({row["within_target"] for row in report["months"]}, {None})
        self.assertEqual(report["summary"]["median_days"], 1.0)
        text = self.ok("report", "response", env_extra={**now, "COLUMNS": "120"})
        self.assertRegex(text, r"(?m)^Target for a first response \(days\)\s+-$")
        self.assertRegex(text, r"(?m)^phone\s+1\s+1\s+0\s+1\.0\s+1\.0\s+-$")

    def test_the_funnel_judges_step_1_by_the_first_response_target(self):
        self.configure(targets="first_response_days = 2")
        self.seed()
        now = {"SILERAM_NOW": "2026-11-10T09:00:00Z"}
        steps = self.fx.js("report", "funnel", env_extra=now)["steps"]
        # Step 1 ended four times: after 1 day (the question), 3 days (from the answer to the
        # acceptance), 5 and 0.5 days; the signal still waiting in step 1 is not counted.
        self.assertEqual((steps[0]["target_days"], steps[0]["within_target"]), (2, 0.5))
        self.assertEqual((steps[1]["target_days"], steps[1]["within_target"]), (None, None))
        text = self.ok("report", "funnel", env_extra={**now, "COLUMNS": "250"})
        self.assertRegex(text, r"(?m)^\s*1\s+submit\s.*\s2\s+50\.0%")
        self.assertRegex(text, r"(?m)^\s*2\s+quality check\s.*\s-\s+-\s*$")
        self.configure()
        steps = self.fx.js("report", "funnel", env_extra=now)["steps"]
        self.assertEqual((steps[0]["target_days"], steps[0]["within_target"]), (None, None))

    def test_an_empty_database_gives_an_empty_report(self):
        self.configure(targets="first_response_days = 2")
        self.ok("init")
        report = self.fx.js("report", "response")
        self.assertEqual((report["summary"]["signals"], report["months"], report["channels"]),
                         (0, [], []))
        self.assertIn("(none)", self.ok("report", "response"))


class MergedStory(WaitingTestCase):

    def test_a_merged_submitter_reads_their_own_signal_number_and_date(self):
        self.configure()
        original = self.submit("De factuur is onduidelijk", A)
        later = {"SILERAM_NOW": "2026-11-25T09:00:00Z"}
        merged = self.ok("submit", "Factuur snap ik niet", "--by", B, "--quiet",
                         env_extra=later).strip()
        self.ok("triage", merged, "--duplicate-of", original, env_extra=later)
        self.advance(original, "closed")
        mails = self.send()
        subject = f"Your signal {original} is closed: De factuur is onduidelijk"
        own = mails[(B, subject)]
        self.assertIn(f'On 2026-11-25 you raised signal {merged}: "Factuur snap ik niet".', own)
        self.assertIn(f'It was merged into signal {original}: "De factuur is onduidelijk"', own)
        first = mails[(A, subject)]
        self.assertIn(f'On 2026-11-23 you raised signal {original}: "De factuur is onduidelijk".',
                      first)
        self.assertNotIn("merged", first)


if __name__ == "__main__":
    harness.main()
