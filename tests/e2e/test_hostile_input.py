#!/usr/bin/env python3
"""Hostile input, as a table: what an attacker, a broken export or a slip of the keyboard hands
sileram. Every row must be refused with exit 2, a message that names the value and where it was
given, nothing on stdout and a database that is byte-for-byte what it was; text that merely looks
dangerous (SQL, shell, markup) is stored verbatim and comes back unchanged.
Usage: python3 test_hostile_input.py PATH/TO/sileram"""
import json
import os

import harness
from harness import EXAMPLE_BY, SileramTestCase

# (what it is, the arguments after `sileram --db DB`, words the message must hold)
# {S} is a submitted signal, {A} an accepted one, {P} an approved one.
REFUSED = [
    ("title of 100,000 characters", ["submit", "x" * 100_000, "--by", EXAMPLE_BY],
     ["title", "300"]),
    ("description of 120,000 characters", ["submit", "t", "--by", EXAMPLE_BY, "-d", "y" * 120_000],
     ["description", "20000"]),
    ("invalid UTF-8 in a title", ["submit", b"caf\xe9 au lait", "--by", EXAMPLE_BY],
     ["UTF-8", "title"]),
    ("invalid UTF-8 in a field value", ["submit", "t", "--by", EXAMPLE_BY, "--channel", b"\xff\xfe"],
     ["UTF-8", "channel"]),
    ("overlong UTF-8 encoding of '/'", ["submit", b"a\xc0\xafb", "--by", EXAMPLE_BY], ["UTF-8"]),
    ("UTF-16 surrogate in UTF-8", ["submit", b"a\xed\xa0\x80b", "--by", EXAMPLE_BY], ["UTF-8"]),
    ("LF in an e-mail address", ["submit", "t", "--by", "a@example.org\nBcc: all@example.org"],
     ["submitter", "line break"]),
    ("CR in an e-mail address", ["submit", "t", "--by", "a@example.org\rX: y"], ["submitter", "line break"]),
    ("CRLF in a joining address", ["submit", "--join", "{S}", "--by", "b@example.org\r\nTo: x@y.z"],
     ["submitter", "line break"]),
    ("LF in a title", ["submit", "Subject\nBcc: all@example.org", "--by", EXAMPLE_BY],
     ["title", "line break"]),
    ("contacts beyond 64 bits", ["impact", "{A}", "--contacts", "18446744073709551616",
                                 "--satisfaction-impact", "3"], ["18446744073709551616"]),
    ("contacts of 2^63", ["impact", "{A}", "--contacts", "9223372036854775808",
                          "--satisfaction-impact", "3"], ["9223372036854775808"]),
    ("negative contacts", ["impact", "{A}", "--contacts", "-5", "--satisfaction-impact", "3"],
     ["-5"]),
    ("non-numeric contacts", ["impact", "{A}", "--contacts", "12k", "--satisfaction-impact", "3"],
     ["12k"]),
    ("contacts in exponent notation", ["impact", "{A}", "--contacts", "1e4",
                                       "--satisfaction-impact", "3"], ["1e4"]),
    ("cost of NaN", ["impact", "{A}", "--contacts", "5", "--satisfaction-impact", "3",
                     "--cost-per-contact", "nan"], ["nan"]),
    ("cost of infinity", ["impact", "{A}", "--contacts", "5", "--satisfaction-impact", "3",
                          "--cost-per-contact", "inf"], ["inf"]),
    ("money beyond 64 bits", ["act", "{A}", "--plan", "x", "--cost", "99999999999999999999"],
     ["99999999999999999999"]),
    ("measurement beyond 64 bits", ["measure", "{P}", "--contacts", "99999999999999999999"],
     ["99999999999999999999"]),
    ("the 30th of February", ["act", "{A}", "--plan", "x", "--due", "2027-02-30"], ["2027-02-30"]),
    ("month 13", ["impact", "{A}", "--park", "later", "--until", "2027-13-01"], ["2027-13-01"]),
    ("the 29th of February of a common year", ["act", "{A}", "--plan", "x", "--due", "2027-02-29"],
     ["2027-02-29"]),
    ("a date with trailing text", ["act", "{A}", "--plan", "x", "--due", "2027-01-01; rm -rf /"],
     ["2027-01-01; rm -rf /"]),
    ("an id beyond 64 bits", ["show", "99999999999999999999"], ["99999999999999999999"]),
    ("a negative id", ["triage", "-3", "--accept"], ["-3"]),
    ("progress of 101 percent", ["act", "{P}", "--progress", "1=101"], ["101"]),
]

# Configs with a wrong type or value: (what, TOML text, words the message must hold)
BAD_CONFIGS = [
    ("a string for a number", '[impact]\nhigh = "lots"\n', ["high", ":2:"]),
    ("a number for a list", "[fields]\nchannel = 5\n", ["channel", ":2:"]),
    ("a table for a string", "[mail]\nfrom = { name = 'x' }\n", ["from", ":2:"]),
    ("an integer beyond 64 bits", "[impact]\nhigh = 99999999999999999999\n", [":2:"]),
    ("a negative cost", "[impact]\ncost_per_contact = -10.0\n", ["cost_per_contact", ":2:"]),
    ("NaN for a cost", "[impact]\ncost_per_contact = nan\n", ["cost_per_contact", ":2:"]),
    ("a line break in the sender", '[mail]\nfrom = "a@example.org\\nBcc: x@example.org"\n',
     ["from", ":2:"]),
    ("invalid UTF-8", b"[impact]\ncurrency = \"\xff\"\n", [":2:"]),
]

# Text that looks like code to some reader: stored and returned byte for byte.
VERBATIM = [
    "Robert'); DROP TABLE signals;--",
    "' OR 1=1 --",
    "$(rm -rf ~) `id` ${HOME}",
    "<script>alert('x')</script> &amp; {{title}} {{{body}}}",
    "%s%s%n %x {0} {} \\x00",
    "Zoë's café — €12,50 ✓ 日本語 👍🏽",
    "\u202eRight-to-left override\u202c",
]


def build_signals(test):
    return {
        "submitted": test.walk("submitted", "Nog niet bekeken"),
        "accepted": test.walk("accepted", "Geaccepteerd"),
        "approved": test.walk("approved", "Goedgekeurd"),
    }


class Hostile(SileramTestCase):
    def setUp(self):
        super().setUp()
        ids = self.from_template(build_signals)
        self.slots = {"{S}": str(ids["submitted"]), "{A}": str(ids["accepted"]),
                      "{P}": str(ids["approved"])}

    def fill(self, args):
        return [self.slots.get(a, a) if isinstance(a, str) else a for a in args]

    def test_refused_values(self):
        for what, args, needles in REFUSED:
            with self.subTest(what):
                self.assert_refused(2, self.fill(args), *needles)

    def test_refused_values_as_json(self):
        for what, args, _ in REFUSED:
            with self.subTest(what):
                with self.unchanged():
                    rc, out, err = self.fx.run(*self.fill(args), "--json")
                self.assertEqual((rc, out), (2, ""), err)
                error = json.loads(err)["error"]
                self.assertEqual(error["code"], 2)
                self.assertTrue(error["message"])

    def test_bad_configs(self):
        for what, text, needles in BAD_CONFIGS:
            with self.subTest(what):
                path = os.path.join(self.fx.tmp, "hostile.toml")
                with open(path, "wb") as f:
                    f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
                err = self.assert_refused(2, ["--config", path, "submit", "t", "--by", EXAMPLE_BY],
                                          "hostile.toml", *needles)
                self.assertNotIn("\n", err.rstrip("\n"), "one line, whatever the value held")

    def test_text_that_looks_like_code_is_kept_verbatim(self):
        for text in VERBATIM:
            with self.subTest(text=text):
                created = self.fx.js("submit", text, "--by", EXAMPLE_BY, "-d", text,
                                     "--channel", text, "--field", f"note={text}")
                shown = self.fx.js("show", created["id"])
                self.assertEqual(shown["title"], text)
                self.assertEqual(shown["description"], text)
                self.assertEqual(shown["fields"]["channel"], text)
                self.assertEqual(shown["fields"]["note"], text)
                found = self.fx.js("list", "--channel", text)
                self.assertEqual([s["id"] for s in found], [created["id"]])
        self.assertEqual(len(self.fx.js("list")), len(VERBATIM) + 3)

    def test_hostile_import_files(self):
        """What argv cannot carry comes through an import file: a 2 MB title, a NUL, invalid
        UTF-8, a header injection in the submitter, each in a row after good ones."""
        good = "title,submitted_by\r\nGoede regel,a@example.nl\r\n"
        files = [
            ("a 2 MB title", (good + "x" * 2_000_000 + ",b@example.nl\r\n").encode(), ["row 3", "title"]),
            ("a NUL in a title", (good + "a\0b,b@example.nl\r\n").encode(), ["row 3", "title"]),
            ("invalid UTF-8", good.encode() + b"caf\xe9,b@example.nl\r\n", ["row 3", "UTF-8"]),
            ("CRLF in the submitter", (good + '"t","b@example.nl\r\nBcc: x@example.nl"\r\n').encode(),
             ["row 3", "submitted_by"]),
            ("a number beyond 64 bits in JSON lines",
             b'{"title": "t", "submitted_by": "a@example.nl", "external_id": 99999999999999999999}\n',
             ["row 1", "external_id", "as text"]),
        ]
        for what, data, needles in files:
            with self.subTest(what):
                suffix = ".jsonl" if data.startswith(b"{") else ".csv"
                path = os.path.join(self.fx.tmp, "hostile" + suffix)
                with open(path, "wb") as f:
                    f.write(data)
                self.assert_refused(2, ["submit", "--from", path], "hostile" + suffix, *needles)


if __name__ == "__main__":
    harness.main()
