"""The waiting customer: acknowledgement mails, a question back (needs-info and answer), the
approved business case that holds, and the merged submitter's own story. Mails go through the
feedback queue into a folder outbox and are read back with Python's email package; the clock is
pinned (SILERAM_NOW), so the days in the mails are known."""
import email
import email.policy
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
