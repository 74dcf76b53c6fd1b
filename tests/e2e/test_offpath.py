#!/usr/bin/env python3
"""Off the main path: rejected, duplicate, parked and revived, dropped at step 4 and at step 7, the
feedback each of them ends with, closed signals that refuse every further step, joining a signal,
and a known external id. Usage: python3 test_offpath.py PATH/TO/sileram"""
import unittest

import harness
from harness import EXAMPLE_BY, SileramTestCase

B = "b@example.nl"
C = "c@example.nl"


class Rejected(SileramTestCase):

    def test_reject_needs_a_reason(self):
        sid = self.submit()
        self.assert_refused(2, ["triage", sid, "--reject", ""], "reason")
        self.assert_refused(2, ["triage", sid, "--reject", "   "], "reason")
        # --db after the command: a parse error with a global option before it is misreported
        # (see test_bad_input.CommandLine).
        self.assert_refused(2, ["triage", sid, "--db", self.db, "--reject"], "--reject", db=False)
        self.assertEqual(self.state(sid), "submitted")

    def test_triage_needs_exactly_one_verdict(self):
        sid = self.submit()
        self.assert_refused(2, ["triage", sid], "--accept")
        self.assert_refused(2, ["triage", sid, "--accept", "--reject", "vaag"], "--accept")

    def test_reject_records_the_reason(self):
        sid = self.submit()
        self.ok("triage", sid, "--reject", "geen klantsignaal")
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("rejected", 2))
        self.assertEqual(d["triage"], {"verdict": "rejected", "reason": "geen klantsignaal"})
        self.assertIn("geen klantsignaal", self.ok("show", sid))

    def test_close_queues_feedback_rejected(self):
        sid = self.walk("rejected")
        self.ok("submit", "ook gezien", "--by", B, "--join", sid)
        self.ok("close", sid)
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("closed", 10))
        self.assertEqual(sorted((f["to"], f["outcome"], f["status"]) for f in d["feedback"]),
                         sorted([(B, "rejected", "queued"), (EXAMPLE_BY, "rejected", "queued")]))

    def test_a_rejected_signal_takes_no_main_path_step(self):
        sid = self.walk("rejected")
        err = self.assert_refused(1, ["impact", sid, "--contacts", "10", "--satisfaction-impact", "1"],
                                  "rejected")
        self.assertIn(f"close {sid}", err)


class Duplicate(SileramTestCase):

    def test_duplicate_moves_every_submitter_to_the_original(self):
        original = self.submit("De factuur is onduidelijk", EXAMPLE_BY)
        dup = self.submit("Factuur snap ik niet", B)
        self.ok("submit", "zelfde", "--by", C, "--join", dup)
        self.ok("triage", dup, "--duplicate-of", original)
        d = self.show(dup)
        self.assertEqual((d["state"], d["step"]), ("duplicate", 2))
        self.assertEqual(d["duplicate_of"], int(original))
        self.assertEqual(d["triage"]["verdict"], "duplicate")
        emails = [s["email"] for s in self.show(original)["submitters"]]
        self.assertEqual(sorted(emails), sorted([B, C, EXAMPLE_BY]))
        self.assertEqual(self.state(original), "submitted", "the original keeps its place")

    def test_closing_the_original_mails_each_address_once(self):
        original = self.submit("De factuur is onduidelijk", EXAMPLE_BY)
        dup = self.submit("Factuur weer onduidelijk", EXAMPLE_BY)  # the same address twice
        self.ok("submit", "ik ook", "--by", B, "--join", dup)
        self.ok("triage", dup, "--duplicate-of", original)
        self.advance(original, "closed")
        d = self.show(original)
        self.assertEqual(sorted(f["to"] for f in d["feedback"]), sorted([B, EXAMPLE_BY]))
        self.assertTrue(all(f["outcome"] == "closed" and f["status"] == "queued" for f in d["feedback"]),
                        d["feedback"])

    def test_close_of_the_duplicate_queues_feedback_duplicate(self):
        original = self.submit("De factuur is onduidelijk", EXAMPLE_BY)
        dup = self.submit("Factuur weer onduidelijk", B)
        self.ok("triage", dup, "--duplicate-of", original)
        self.ok("close", dup)
        d = self.show(dup)
        self.assertEqual(d["state"], "closed")
        self.assertEqual([(f["to"], f["outcome"], f["status"]) for f in d["feedback"]],
                         [(B, "duplicate", "queued")])
        self.assertEqual(self.show(original)["feedback"], [], "the original is still open")

    def test_refused_duplicates(self):
        first = self.submit("Een", EXAMPLE_BY)
        second = self.submit("Twee", B)
        third = self.submit("Drie", C)
        self.assert_refused(2, ["triage", first, "--duplicate-of", first], "itself")
        self.assert_refused(1, ["triage", first, "--duplicate-of", "99"], "99")
        self.ok("triage", second, "--duplicate-of", first)
        # An original that is itself a duplicate: point at the real one.
        err = self.assert_refused(1, ["triage", third, "--duplicate-of", second], second)
        self.assertIn(f"--duplicate-of {first}", err)
        # Joining a duplicate: join the original instead.
        err = self.assert_refused(1, ["submit", "x", "--by", "d@example.nl", "--join", second])
        self.assertIn(f"--join {first}", err)


class ParkedAndDropped(SileramTestCase):

    def test_park_then_revive_with_go(self):
        sid = self.walk("analysed")
        self.ok("impact", sid, "--park", "eerst de migratie")
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("parked", 4))
        self.assertEqual([(x["gate"], x["verdict"], x["reason"]) for x in d["decisions"]],
                         [("prioritise", "park", "eerst de migratie")])
        self.assert_refused(1, ["close", sid], "parked", f"impact {sid}")
        self.assert_refused(1, ["root-cause", sid, "--cause", "x"], "parked")
        self.ok("impact", sid, "--go", "--reason", "migratie klaar")
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("prioritised", 4))
        self.assertEqual([x["verdict"] for x in d["decisions"]], ["park", "go"])
        self.assertEqual(d["decisions"][1]["reason"], "migratie klaar")
        self.advance(sid, "root-caused")

    def test_park_until(self):
        sid = self.walk("parked")  # --until 2027-03-01
        decision = self.show(sid)["decisions"][-1]
        self.assertEqual((decision["verdict"], decision["until"]), ("park", "2027-03-01"))
        self.assertIn("2027-03-01", self.ok("show", sid))

    def test_park_and_drop_need_a_reason(self):
        sid = self.walk("analysed")
        self.assert_refused(2, ["impact", sid, "--park", ""], "reason")
        self.assert_refused(2, ["impact", sid, "--drop", " "], "reason")
        self.assert_refused(2, ["impact", sid, "--drop", "x", "--until", "2027-01-01"], "--until")
        self.assert_refused(2, ["impact", sid, "--go", "--park", "x"], "--go")

    def test_drop_at_step_4(self):
        sid = self.walk("dropped")
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("dropped", 4))
        self.assertEqual([(x["gate"], x["verdict"], x["reason"]) for x in d["decisions"]],
                         [("prioritise", "drop", "product wordt uitgefaseerd")])
        self.assert_refused(1, ["impact", sid, "--go"], "dropped")
        self.ok("close", sid)
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("closed", 10))
        self.assertEqual([(f["to"], f["outcome"]) for f in d["feedback"]], [(EXAMPLE_BY, "dropped")])

    def test_a_parked_signal_can_be_dropped(self):
        sid = self.walk("parked")
        self.ok("impact", sid, "--drop", "toch niet")
        self.assertEqual(self.state(sid), "dropped")

    def test_drop_at_step_7(self):
        sid = self.walk("planned")
        self.assert_refused(2, ["act", sid, "--drop", ""], "reason")
        self.ok("act", sid, "--drop", "afdeling wordt gereorganiseerd")
        d = self.show(sid)
        self.assertEqual((d["state"], d["step"]), ("dropped", 7))
        self.assertEqual([(x["gate"], x["verdict"]) for x in d["decisions"]],
                         [("prioritise", "go"), ("go-no-go", "drop")])
        self.assertEqual(d["decisions"][-1]["reason"], "afdeling wordt gereorganiseerd")
        self.assert_refused(1, ["act", sid, "--progress", "1=10"], "dropped")
        self.ok("close", sid, "--summary", "niet uitgevoerd")
        d = self.show(sid)
        self.assertEqual(d["state"], "closed")
        self.assertEqual([(f["to"], f["outcome"]) for f in d["feedback"]], [(EXAMPLE_BY, "dropped")])


class Closed(SileramTestCase):

    def test_a_closed_signal_refuses_every_step(self):
        sid = self.walk("closed")
        attempts = [
            ["triage", sid, "--accept"],
            ["triage", sid, "--reject", "te laat"],
            ["impact", sid, "--contacts", "10", "--satisfaction-impact", "1"],
            ["impact", sid, "--go"],
            ["root-cause", sid, "--cause", "x"],
            ["act", sid, "--plan", "nog een actie"],
            ["act", sid, "--expect-reduction", "10"],
            ["act", sid, "--go"],
            ["act", sid, "--drop", "toch niet"],
            ["act", sid, "--progress", "1=10"],
            ["act", sid, "--done", "1"],
            ["measure", sid, "--contacts", "100"],
            ["close", sid],
        ]
        for args in attempts:
            with self.subTest(args=args):
                self.assert_refused(1, args, "closed")
        self.assertEqual(len(self.show(sid)["feedback"]), 1, "a second close queued mail again")

    def test_a_closed_rejected_signal_refuses_steps(self):
        sid = self.walk("rejected")
        self.ok("close", sid)
        self.assert_refused(1, ["triage", sid, "--accept"], "closed")
        self.assert_refused(1, ["close", sid], "closed")


class Join(SileramTestCase):

    def test_join_adds_a_submitter_and_again_is_a_no_op(self):
        sid = self.walk("accepted")
        d = self.fx.js("submit", "Ik hoor het ook", "--by", B, "--join", sid)
        self.assertEqual((d["id"], d["joined"]), (int(sid), True))
        self.assertEqual(d["state"], "accepted")
        show = self.show(sid)
        self.assertEqual([s["email"] for s in show["submitters"]], [EXAMPLE_BY, B])
        self.assertEqual(show["state"], "accepted", "joining moves nothing")
        self.assertEqual(len([r for r in self.fx.js("list")]), 1, "join created a signal")
        with self.unchanged():
            rc, out, err = self.fx.run("submit", "Nog eens", "--by", B, "--join", sid)
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("already", out)
        with self.unchanged():
            d = self.fx.js("submit", "Nog eens", "--by", EXAMPLE_BY, "--join", sid)
        self.assertIs(d["joined"], False)

    def test_join_quiet_prints_the_id(self):
        sid = self.submit()
        rc, out, err = self.fx.run("submit", "x", "--by", B, "--join", sid, "--quiet")
        self.assertEqual((rc, out, err), (0, f"{sid}\n", ""))

    def test_join_of_a_closed_signal_is_refused(self):
        sid = self.walk("rejected")
        self.ok("close", sid)
        self.assert_refused(1, ["submit", "ik ook", "--by", B, "--join", sid], "closed")

    def test_join_of_an_unknown_signal_is_refused(self):
        self.submit()
        self.assert_refused(1, ["submit", "ik ook", "--by", B, "--join", "42"], "42")

    def test_join_checks_the_address(self):
        sid = self.submit()
        self.assert_refused(2, ["submit", "ik ook", "--by", "geen-adres", "--join", sid], "geen-adres")


class ExternalId(SileramTestCase):

    def test_a_known_external_id_is_refused(self):
        self.submit("Eerste", EXAMPLE_BY, "--external-id", "CRM-4711")
        err = self.assert_refused(1, ["submit", "Tweede", "--by", B, "--external-id", "CRM-4711"],
                                  "CRM-4711")
        self.assertIn("1", err)
        self.assertEqual([r["title"] for r in self.fx.js("list")], ["Eerste"])
        self.assertEqual(self.show("1")["external_id"], "CRM-4711")

    def test_a_known_external_id_with_json(self):
        self.submit("Eerste", EXAMPLE_BY, "--external-id", "CRM-4711")
        with self.unchanged():
            rc, out, err = self.fx.run("submit", "Tweede", "--by", B, "--external-id", "CRM-4711", "--json")
        self.assertEqual((rc, out), (1, ""))
        self.assertIn("CRM-4711", err)

    def test_a_new_external_id_is_accepted(self):
        self.submit("Eerste", EXAMPLE_BY, "--external-id", "CRM-1")
        self.submit("Tweede", EXAMPLE_BY, "--external-id", "CRM-2")
        self.submit("Derde", EXAMPLE_BY)
        self.submit("Vierde", EXAMPLE_BY)  # no external id twice is fine
        self.assertEqual(len(self.fx.js("list")), 4)


if __name__ == "__main__":
    harness.main()
