"""Intake at scale: `submit --from` (CSV and JSON lines, all or nothing, --skip-invalid,
idempotence by external id, standard input), the duplicate guard of `submit` (similar open signals,
possible recurrence of a closed one), `submit --join`, `triage --duplicate-of` and
`list --search`. The import files are real files under tests/data/intake."""
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# Seconds for one import of 30,000 rows: a few here, many times that under the sanitizers on a
# slow machine.
LARGE_IMPORT = 300

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "intake")


def data(name):
    return os.path.join(DATA, name)


def query_one(path, sql):
    """The first value `sql` finds in the database at `path`, opened read-only."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def write_rows(path, rows, bad_last=False):
    """A CSV of `rows` valid signals, and an invalid one after them when bad_last."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["title", "submitted_by", "channel", "product", "customer",
                    "submitted_at", "external_id"])
        for i in range(rows):
            w.writerow([f"Melding {i}", f"medewerker{i % 2000}@example.org",
                        ["phone", "email", "chat"][i % 3], f"product {i % 7}",
                        f"Klant {i}", f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", f"X-{i}"])
        if bad_last:
            w.writerow(["Kapot", "geen-adres", "", "", "", "", "X-bad"])


class CsvQuirks(harness.SileramTestCase):

    def signals(self):
        return self.fx.js("export")

    def export(self):
        code, out, err = self.fx.run("export")
        self.assertEqual(code, 0, err)
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def test_dutch_excel_semicolons_bom_crlf(self):
        d = self.fx.js("submit", "--from", data("excel_nl.csv"))
        self.assertEqual((d["new"], d["skipped"], d["rejected"]), (3, 0, 0))
        s = self.show(1)
        self.assertEqual(s["title"], "Factuur is onduidelijk")
        self.assertEqual(s["description"], "Klant snapt de btw-regel niet; belt twee keer")
        self.assertEqual(s["fields"], {"channel": "phone", "process": "billing"})
        self.assertEqual(s["external_id"], "CRM-1")
        self.assertEqual(self.show(3)["title"], "Café-bon kwijt")

    def test_doubled_quotes_and_line_breaks_inside_fields(self):
        out = self.ok("submit", "--from", data("quoted_lf.csv"))
        self.assertIn("2 new, 0 skipped (external id known), 0 rejected", out)
        s = self.show(1)
        self.assertEqual(s["title"], 'Klant zegt "nooit meer"')
        self.assertEqual(s["description"], "Eerste regel\nTweede regel, met komma\n\nVierde regel")
        self.assertEqual(s["submitted_at"], "2026-03-01T00:00:00Z")
        self.assertEqual(self.show(2)["submitted_at"], "2026-03-02T09:30:00Z")
        self.assertEqual(self.show(2)["description"], 'Hij "probeerde" het drie keer')

    def test_invalid_utf8_is_refused_with_its_row(self):
        self.submit("Er was er al een")
        with self.unchanged(check_bytes=False):
            rc, out, err = self.fx.run("submit", "--from", data("invalid_utf8.csv"))
        self.assertEqual(rc, 2, err)
        self.assertIn("row 3, column title", err)
        self.assertIn("UTF-8", err)
        self.assertIn("nothing imported", err)

    def test_a_bad_last_row_leaves_the_database_untouched(self):
        self.submit("Er was er al een")
        with self.unchanged(check_bytes=False):
            rc, out, err = self.fx.run("submit", "--from", data("bad_last_row.csv"))
        self.assertEqual(rc, 2)
        self.assertIn("1 of 50 rows is invalid", err)
        self.assertIn("row 51, column submitted_by", err)
        self.assertIn("'geen-adres' is not an e-mail address", err)
        self.assertIn("--skip-invalid", err)
        self.assertEqual(len(self.export()), 1)

    def test_skip_invalid_imports_the_rest_and_writes_the_rejects(self):
        rejects = os.path.join(self.fx.tmp, "rejects.csv")
        d = self.fx.js("submit", "--from", data("bad_last_row.csv"), "--skip-invalid", rejects)
        self.assertEqual((d["new"], d["skipped"], d["rejected"]), (49, 0, 1))
        self.assertFalse(os.path.exists(rejects + ".part"))
        with open(rejects, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0], ["title", "submitted_by", "channel", "row", "reason"])
        self.assertEqual(rows[1][:4], ["Laatste rij", "geen-adres", "phone", "51"])
        self.assertIn("column submitted_by", rows[1][4])

    def test_reimport_is_idempotent_by_external_id(self):
        self.ok("submit", "--from", data("excel_nl.csv"))
        out = self.ok("submit", "--from", data("excel_nl.csv"))
        self.assertIn("0 new, 3 skipped (external id known), 0 rejected", out)
        self.assertEqual(len(self.export()), 3)

    def test_standard_input(self):
        with open(data("quoted_lf.csv"), "rb") as f:
            d = self.fx.js("submit", "--from", "-", stdin=f.read())
        self.assertEqual(d["new"], 2)
        with open(data("mixed.jsonl"), "rb") as f:
            d = self.fx.js("submit", "--from", "-", "--skip-invalid",
                           os.path.join(self.fx.tmp, "r.jsonl"), stdin=f.read())
        self.assertEqual((d["new"], d["rejected"]), (2, 2))
        # Imported into a table that was not empty: indexed per batch, found by search.
        self.assertEqual([r["title"] for r in self.fx.js("list", "--search", "bezorging laat")],
                         ["Bezorging te laat"])

    def test_foreign_export_with_map_and_by(self):
        rc, out, err = self.fx.run(
            "submit", "--from", data("cfpb-complaints-sample.csv"), "--by", "intake@example.org",
            "--map", "title=issue", "--map", "description=consumer_complaint_narrative",
            "--map", "product=product", "--map", "channel=submitted_via",
            "--map", "external_id=complaint_id", "--map", "submitted_at=date_received")
        self.assertEqual(rc, 0, err)
        self.assertIn("145 new", out)
        # Columns that feed nothing are named once on stderr.
        self.assertEqual(err.count("ignoring columns"), 1)
        self.assertIn("zip_code", err)
        d = self.show(2)
        self.assertEqual(d["title"], "Disclosure verification of debt")
        self.assertEqual(d["fields"]["channel"], "Web")
        self.assertEqual(d["submitted_by"], "intake@example.org")
        self.assertTrue(any("\n" in s["description"] for s in self.export()))

    def test_a_missing_title_column_or_unknown_map_column_is_a_usage_error(self):
        rc, _, err = self.fx.run("submit", "--from", data("cfpb-complaints-sample.csv"))
        self.assertEqual(rc, 2)
        self.assertIn("--map title=COLUMN", err)
        rc, _, err = self.fx.run("submit", "--from", data("excel_nl.csv"), "--map", "title=Onderwerp")
        self.assertEqual(rc, 2)
        self.assertIn("no column 'Onderwerp'", err)

    def test_configured_fields_are_checked_per_row(self):
        config = self.fx.write("sileram.toml", '[fields]\nchannel = ["phone", "email"]\n')
        rc, _, err = self.fx.run("--config", config, "submit", "--from", data("excel_nl.csv"))
        self.assertEqual(rc, 2)
        self.assertIn("row 4, column channel: channel 'chat' is not allowed", err)


class ImportTallies(harness.SileramTestCase):
    """An import counts its signals into the report tallies in batches, one write per distinct
    value; without a filter the reports read those tallies, with one the signals themselves.
    Both must give the same figures."""
    FILE_DATABASE = True  # about SQLite's report tallies (tally_* tables)

    def schema(self):
        with sqlite3.connect(f"file:{self.fx.db}?mode=ro", uri=True) as db:
            return db.execute("SELECT type, name, sql FROM sqlite_schema ORDER BY name").fetchall()

    def test_reports_from_the_tallies_match_the_signals_after_a_large_import(self):
        self.submit("Er was er al een", "a@example.org", "--channel", "phone", "--customer",
                    "Klant 1")
        schema = self.schema()
        path = os.path.join(self.fx.tmp, "many.csv")
        # 30,000 rows: more than the table held, so the import builds the signals' indexes
        # afresh. (The counts written out in batches are tested in the unit tests.)
        write_rows(path, 30000, bad_last=True)
        with self.unchanged(check_bytes=False):
            rc, _, err = self.fx.run("submit", "--from", path, "--quiet", timeout=LARGE_IMPORT)
        self.assertEqual(rc, 2, err)
        self.assertIn("row 30002, column submitted_by", err)
        self.assertEqual(self.schema(), schema)

        write_rows(path, 30000)
        d = self.fx.js("submit", "--from", path, "--quiet", timeout=LARGE_IMPORT)
        self.assertEqual((d["new"], d["skipped"], d["rejected"]), (30000, 0, 0))
        self.assertEqual(self.schema(), schema)
        with sqlite3.connect(f"file:{self.fx.db}?mode=ro", uri=True) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual(self.fx.js("submit", "--from", path, "--quiet",
                                    timeout=LARGE_IMPORT)["skipped"], 30000)
        self.assertEqual([r["title"] for r in self.fx.js("list", "--customer", "Klant 29999")],
                         ["Melding 29999"])
        everything = ("--since", "2000-01-01")
        for report in ("fields", "customers", "funnel"):
            tallied = self.fx.js("report", report, "--limit", "0")
            counted = self.fx.js("report", report, "--limit", "0", *everything)
            # The funnel's months cover a window without a filter, all months with one.
            for key in ("filter", "since", "until", "months", "totals"):
                tallied.pop(key, None)
                counted.pop(key, None)
            self.assertEqual(tallied, counted, report)
        fields = self.fx.js("report", "fields", "--limit", "0")
        self.assertEqual(len(fields["customer"]), 30000)  # "Klant 1" twice
        self.assertEqual(fields["channel"][0], {
            "value": "phone", "signals": 10001, "share": 0.3334, "contacts": 0, "score": 0,
            "cost_per_period": 0.0, "cost_per_year": 0.0})
        # The submitters of the import have waited since 2025; the first one submitted today.
        silent = self.fx.js("report", "overdue", "--limit", "0")["silent"]
        self.assertEqual(len(silent), 2000)
        self.assertEqual(silent[0]["open_signals"], 15)


class LargeImportChecks(harness.SileramTestCase):
    """A large import writes its rows with the signals' CHECK constraints off (they cost a
    temporary table per row) and checks every row itself: a row that breaks what they guard is
    still refused with its row and column, and none gets into the database."""
    FILE_DATABASE = True  # the SQLite bulk insert's phases and relaxed CHECKs

    def test_a_title_too_long_is_refused_in_a_large_import(self):
        self.submit("Er was er al een", "a@example.org")
        path = os.path.join(self.fx.tmp, "many.csv")
        write_rows(path, 25000)
        with open(path, "a", encoding="utf-8", newline="") as f:
            csv.writer(f).writerow(["x" * 301, "b@example.org", "", "", "", "", "X-long"])
            csv.writer(f).writerow(["", "b@example.org", "", "", "", "", "X-empty"])
        with self.unchanged(check_bytes=False):
            rc, _, err = self.fx.run("submit", "--from", path, "--quiet", timeout=LARGE_IMPORT)
        self.assertEqual(rc, 2, err)
        self.assertIn("row 25002, column title: the title is 301 characters long", err)
        self.assertIn("row 25003, column title: the title is empty", err)

        rejects = os.path.join(self.fx.tmp, "rejects.csv")
        d = self.fx.js("submit", "--from", path, "--skip-invalid", rejects, "--quiet",
                       timeout=LARGE_IMPORT)
        self.assertEqual((d["new"], d["rejected"]), (25000, 2))
        with open(rejects, encoding="utf-8", newline="") as f:
            self.assertEqual([r["row"] for r in csv.DictReader(f)], ["25002", "25003"])
        self.assertEqual(query_one(self.fx.db, """SELECT count(*) FROM signals
            WHERE length(title) NOT BETWEEN 1 AND 300 OR step NOT BETWEEN 1 AND 10
               OR state NOT IN ('submitted', 'accepted', 'analysed', 'prioritised',
                                'root-caused', 'planned', 'approved', 'in-progress',
                                'implemented', 'measured', 'closed', 'rejected', 'duplicate',
                                'parked', 'dropped')"""), 0)
        # The checks are on again afterwards: a command that would break one cannot.
        db = sqlite3.connect(self.fx.db)
        try:
            with self.assertRaises(sqlite3.IntegrityError):
                db.execute("UPDATE signals SET state = 'lost' WHERE id = 2")
        finally:
            db.close()


class ImportTimings(harness.SileramTestCase):
    """`submit --from --timings` prints the seconds of each phase of the import on stderr."""
    FILE_DATABASE = True  # the SQLite bulk insert's phases and relaxed CHECKs

    def test_timings_name_every_phase_and_change_nothing_else(self):
        path = os.path.join(self.fx.tmp, "few.csv")
        write_rows(path, 50)
        rc, out, err = self.fx.run("submit", "--from", path, "--timings")
        self.assertEqual(rc, 0, err)
        self.assertIn("50 new, 0 skipped", out)
        # After the note that the database was created.
        lines = [line for line in err.splitlines() if not line.startswith("sileram: ")]
        # Into an empty table the search index is built on a thread of its own, beside the
        # others: its line comes after the total, which it is no part of.
        self.assertEqual([line.split(":")[0] for line in lines],
                         ["read and check", "insert", "submitters and history", "indexes",
                          "full-text (wait)",
                          "full-text (move in)", "stays", "tallies", "commit", "checkpoint",
                          "total", "full-text (thread)"])
        seconds = {}
        for line in lines[:-1]:
            match = re.match(r"^([a-z ()-]+): +([0-9]+\.[0-9]{2}) s$", line)
            self.assertIsNotNone(match, line)
            seconds[match.group(1)] = float(match.group(2))
        self.assertRegex(lines[-1], r"^full-text \(thread\): +[0-9]+\.[0-9]{2} s  "
                                    r"\(beside the others\)$")
        # Each figure is rounded to a hundredth on its own: the shown phases may miss the shown
        # total by half a hundredth each, and the total by another half.
        total = seconds.pop("total")
        self.assertAlmostEqual(total, sum(seconds.values()), delta=0.005 * (len(seconds) + 1))
        # Into a table that holds signals, the rows are indexed in batches on the same thread.
        more = os.path.join(self.fx.tmp, "more.csv")
        write_rows(more, 60)
        rc, out, err = self.fx.run("submit", "--from", more, "--timings")
        self.assertEqual(rc, 0, err)
        self.assertIn("10 new, 50 skipped", out)
        self.assertEqual([line.split(":")[0] for line in err.splitlines()],
                         ["read and check", "insert", "submitters and history", "full-text",
                          "indexes", "stays", "tallies", "commit", "checkpoint", "total"])
        rc, out, err = self.fx.run("submit", "--from", path)
        self.assertEqual((rc, err), (0, ""))
        rc, _, err = self.fx.run("submit", "Titel", "--by", "a@example.org", "--timings")
        self.assertEqual(rc, 2)
        self.assertIn("--timings go with --from FILE", err)


class FirstImport(harness.SileramTestCase):
    """A database without signals takes its first import with a rollback journal instead of the
    write-ahead log (its pages are written once), and is back in WAL afterwards; while another
    process has the file open, the import keeps to the log so that process goes on reading."""
    FILE_DATABASE = True  # about SQLite's journal modes

    def journal_mode(self):
        return query_one(self.fx.db, "PRAGMA journal_mode")

    def start_import(self, path):
        return subprocess.Popen([harness.BIN, "--db", self.fx.db, "submit", "--from", path,
                                 "--quiet"], cwd=self.fx.tmp, env=self.fx.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def test_a_first_import_writes_without_the_log_and_returns_to_it(self):
        self.ok("init")
        path = os.path.join(self.fx.tmp, "first.csv")
        write_rows(path, 30000, bad_last=True)
        with self.unchanged(check_bytes=False):
            rc, _, err = self.fx.run("submit", "--from", path, "--quiet", timeout=LARGE_IMPORT)
        self.assertEqual(rc, 2, err)
        self.assertEqual(self.journal_mode(), "wal")

        write_rows(path, 30000)
        run = self.start_import(path)
        journal_seen = False
        while run.poll() is None:
            journal_seen = journal_seen or os.path.exists(self.fx.db + "-journal")
        _, err = run.communicate(timeout=LARGE_IMPORT)
        self.assertEqual(run.returncode, 0, err)
        self.assertTrue(journal_seen, "the first import did not write with a rollback journal")
        for leftover in ("-journal", "-wal"):
            self.assertFalse(os.path.exists(self.fx.db + leftover), leftover)
        self.assertEqual(self.journal_mode(), "wal")
        with sqlite3.connect(f"file:{self.fx.db}?mode=ro", uri=True) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertEqual(db.execute("SELECT count(*) FROM step_stays").fetchone()[0], 30000)
            # The search index was built elsewhere with settings of its own, and moved in
            # without them: the database's index keeps FTS5's defaults.
            self.assertEqual(db.execute("SELECT k FROM signals_fts_config ORDER BY k").fetchall(),
                             [("version",)])
        with sqlite3.connect(self.fx.db) as db:
            db.execute("INSERT INTO signals_fts (signals_fts) VALUES ('integrity-check')")
        self.assertEqual(self.fx.js("list", "--search", "Melding 29999")[0]["title"],
                         "Melding 29999")
        self.assertEqual(self.submit("Na de eerste import", "b@example.org"), "30001")

    def test_a_first_import_that_fills_the_disk_says_so_and_stores_nothing(self):
        """The disk fills up while the import's pages are written: exit 75 with the reason and
        the file, the database as it was (no journal left for a later command to roll back), and
        the same import goes through once there is room. The full disk is the file size limit
        (RLIMIT_FSIZE) of the import's process, which needs no root and fails a write the way a
        full disk does; SIGXFSZ is ignored, so the write returns an error instead of killing."""
        import resource
        import signal
        self.ok("init")
        path = os.path.join(self.fx.tmp, "first.csv")
        write_rows(path, 30000)
        limit = os.path.getsize(self.fx.db) + (1 << 20)

        def small_disk():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        with self.unchanged(check_bytes=False):
            run = subprocess.run([harness.BIN, "--db", self.fx.db, "submit", "--from", path,
                                  "--quiet"], cwd=self.fx.tmp, env=self.fx.env,
                                 capture_output=True, text=True, preexec_fn=small_disk,
                                 timeout=LARGE_IMPORT)
        self.assertEqual(run.returncode, 75, run.stderr)
        self.assertTrue(run.stderr.startswith("sileram: error: "), run.stderr)
        self.assertIn("database or disk is full", run.stderr)
        self.assertIn(self.fx.db, run.stderr)
        self.assertNotIn("not an error", run.stderr)
        self.assertFalse(os.path.exists(self.fx.db + "-journal"), "a journal was left behind")
        self.assertEqual(query_one(self.fx.db, "PRAGMA integrity_check"), "ok")
        self.assertEqual(self.journal_mode(), "wal")

        rc, _, err = self.fx.run("submit", "--from", path, "--quiet", timeout=LARGE_IMPORT)
        self.assertEqual(rc, 0, err)
        self.assertEqual(query_one(self.fx.db, "SELECT count(*) FROM signals"), 30000)

    def test_an_open_reader_goes_on_reading_during_a_first_import(self):
        self.ok("init")
        path = os.path.join(self.fx.tmp, "first.csv")
        write_rows(path, 30000)
        reader = sqlite3.connect(f"file:{self.fx.db}?mode=ro", uri=True, timeout=0)
        try:
            self.assertEqual(reader.execute("SELECT count(*) FROM signals").fetchone()[0], 0)
            run = self.start_import(path)
            reads = 0
            while run.poll() is None:
                # Without a busy timeout: a reader the import locked out would fail here.
                counted = reader.execute("SELECT count(*) FROM signals").fetchone()[0]
                self.assertIn(counted, (0, 30000))
                self.assertFalse(os.path.exists(self.fx.db + "-journal"))
                reads += 1
            _, err = run.communicate(timeout=LARGE_IMPORT)
            self.assertEqual(run.returncode, 0, err)
            self.assertGreater(reads, 0)
            self.assertEqual(reader.execute("SELECT count(*) FROM signals").fetchone()[0], 30000)
        finally:
            reader.close()
        self.assertEqual(self.journal_mode(), "wal")


class SearchIndexAfterImport(harness.SileramTestCase):
    """A large import merges the search index into one segment, so that the single writes of
    later submits do not drag the import's terms into FTS5's merges (a stall of seconds)."""
    FILE_DATABASE = True  # about SQLite's FTS5 segments

    def segments(self):
        return query_one(self.fx.db, "SELECT count(DISTINCT segid) FROM signals_fts_idx")

    def write_stories(self, path, rows):
        """Signals with a story of 40 words each, spread over 5,000 words by two primes: enough
        terms that the import's batches write several segments of FTS5's 1 MiB."""
        words = [f"woord{n}" for n in range(5000)]
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["title", "description", "submitted_by", "external_id"])
            for i in range(rows):
                story = " ".join(words[(i * 7919 + k * 104729) % 5000] for k in range(40))
                w.writerow([f"Melding {i}", story, "a@example.org", f"X-{i}"])

    def test_a_large_import_leaves_one_segment_and_a_small_one_adds_its_own(self):
        path = os.path.join(self.fx.tmp, "rows.csv")
        self.write_stories(path, 50)
        self.ok("submit", "--from", path, "--quiet")
        for i in range(3):
            self.submit(f"Losse melding {i}", "a@example.org")
        self.assertEqual(self.segments(), 4)  # the first import's and one per submit

        self.write_stories(path, 30000)  # more rows than the table holds: indexes rebuilt
        rc, _, err = self.fx.run("submit", "--from", path, "--quiet", timeout=LARGE_IMPORT)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.segments(), 1)
        self.assertEqual(self.fx.js("list", "--search", "melding 29999")[0]["title"],
                         "Melding 29999")
        self.assertEqual(sorted(s["title"] for s in self.fx.js("list", "--search", "losse")),
                         ["Losse melding 0", "Losse melding 1", "Losse melding 2"])

        self.write_stories(path, 30100)  # 100 new rows into 30,053: indexed, not merged
        self.ok("submit", "--from", path, "--quiet")
        self.assertEqual(self.segments(), 2)


class JsonLines(harness.SileramTestCase):

    def test_a_broken_line_refuses_the_whole_file(self):
        rc, _, err = self.fx.run("submit", "--from", data("mixed.jsonl"))
        self.assertEqual(rc, 2)
        self.assertIn("2 of 4 rows are invalid", err)
        self.assertIn("row 2, not valid JSON", err)
        self.assertIn("row 4, column title", err)
        self.assertEqual(self.fx.js("list"), [])

    def test_skip_invalid_writes_json_lines_with_row_and_reason(self):
        rejects = os.path.join(self.fx.tmp, "rejects.jsonl")
        rc, out, err = self.fx.run("submit", "--from", data("mixed.jsonl"), "--skip-invalid", rejects)
        self.assertEqual(rc, 0, err)
        self.assertIn("kleur", err)
        with open(rejects, encoding="utf-8") as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual([line["row"] for line in lines], [2, 4])
        self.assertIn("line", lines[0])
        self.assertIn("column title", lines[1]["reason"])
        self.assertEqual(self.show(2)["external_id"], "2")


class DuplicateGuard(harness.SileramTestCase):

    def test_similar_open_signals_are_shown_accent_insensitive(self):
        first = int(self.submit("Café-factuur onduidelijk", harness.EXAMPLE_BY, "-d", "BTW-regel"))
        self.submit("Bezorgtijden zijn te lang", harness.EXAMPLE_BY)
        d = self.fx.js("submit", "De cafe factuur is ONDUIDELIJK", "--by", "b@example.nl")
        self.assertEqual([s["id"] for s in d["similar"]], [first])
        self.assertEqual(d["similar"][0]["state"], "submitted")
        self.assertGreater(d["similar"][0]["score"], 0.5)
        out = self.ok("submit", "Factuur voor café onduidelijk", "--by", "c@example.nl")
        self.assertIn("Similar open signals", out)
        self.assertIn("--duplicate-of", out)

    def test_stop_words_alone_make_no_hint(self):
        """A shared "niet" or "the" is no resemblance: nothing under the threshold is shown."""
        self.submit("Factuur niet ontvangen", harness.EXAMPLE_BY)
        self.submit("The parcel is not here", harness.EXAMPLE_BY)
        d = self.fx.js("submit", "Monteur komt niet op afgesproken tijd", "--by", "b@example.nl")
        self.assertEqual(d["similar"], [])
        d = self.fx.js("submit", "The engineer is not on time", "--by", "b@example.nl")
        self.assertEqual(d["similar"], [])
        out = self.ok("submit", "Verkeerde naam op de brief", "--by", "c@example.nl")
        self.assertNotIn("Similar open signals", out)

    def test_hint_shows_the_share_and_the_words_in_common_under_a_header(self):
        first = int(self.submit("Factuur onduidelijk over btw", harness.EXAMPLE_BY))
        # One word of three: a third alike, not 1.00.
        d = self.fx.js("submit", "Factuur", "--by", "b@example.nl")
        self.assertEqual([s["id"] for s in d["similar"]], [first])
        self.assertLess(d["similar"][0]["score"], 0.5)
        self.assertEqual(d["similar"][0]["shared"], ["factuur"])
        out = self.ok("submit", "Btw op de factuur onduidelijk", "--by", "c@example.nl")
        lines = out.splitlines()
        header = next(i for i, line in enumerate(lines) if "ALIKE" in line)
        self.assertRegex(lines[header], r"ID\s+STATE\s+ALIKE\s+TITLE")
        row = next(line for line in lines[header + 1:] if line.strip().startswith(str(first)))
        self.assertRegex(row, r"\b\d{1,3}%\s+Factuur onduidelijk over btw \(")
        self.assertIn("btw", row.split("(")[-1])
        self.assertIn("factuur", row.split("(")[-1])

    def test_closed_look_alike_is_a_possible_recurrence(self):
        closed = int(self.walk("closed", "Factuur btw-regel onduidelijk"))
        d = self.fx.js("submit", "Btw-regel op factuur onduidelijk", "--by", "x@example.nl")
        self.assertEqual(d["similar"], [])
        self.assertEqual([r["id"] for r in d["recurrence_of"]], [closed])
        shown = self.show(d["id"])
        self.assertEqual(shown["recurrence_of"][0]["id"], closed)
        page = self.ok("show", str(d["id"]))
        self.assertIn("Recurrence?", page)
        self.assertIn(f"closed signal {closed}", page)

    def test_join_and_duplicate_of_gather_every_submitter_on_the_original(self):
        original = self.submit("Factuur onduidelijk", "a@example.nl")
        copy = self.submit("Factuur onduidelijk ook hier", "b@example.nl")
        self.ok("submit", "--join", copy, "--by", "c@example.nl")
        self.ok("submit", "--join", original, "--by", "d@example.nl")
        self.ok("triage", copy, "--duplicate-of", original)
        emails = sorted(s["email"] for s in self.show(original)["submitters"])
        self.assertEqual(emails, ["a@example.nl", "b@example.nl", "c@example.nl", "d@example.nl"])
        self.assertEqual(self.state(copy), "duplicate")

    def test_list_search_finds_signals_by_their_words(self):
        self.ok("submit", "--from", data("excel_nl.csv"))
        rows = self.fx.js("list", "--search", "CAFE")
        self.assertEqual([r["id"] for r in rows], [3])
        rows = self.fx.js("list", "--search", "btw regel")
        self.assertEqual([r["id"] for r in rows], [1])
        self.assertEqual(self.fx.js("list", "--search", "factuur bezorging"), [])
        rc, _, err = self.fx.run("list", "--search", "--")
        self.assertEqual(rc, 2)


class Migration(harness.SileramTestCase):
    FILE_DATABASE = True  # about a SQLite file of schema version 1

    def test_a_version_1_database_gets_its_signals_indexed(self):
        """Schema version 2 builds the full-text index from the signals already there."""
        import re
        import sqlite3
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src",
                              "storage", "sqlite", "migrations.cpp")
        with open(source, encoding="utf-8") as f:
            v1 = re.search(r'k_schema_v1 = R"sql\((.*?)\)sql"', f.read(), re.S).group(1)
        con = sqlite3.connect(self.db)
        con.executescript(v1)
        con.execute("INSERT INTO signals (title, description, state, step, submitted_by, "
                    "submitted_at, updated_at) VALUES ('Oude factuur', 'Crème brûlée', "
                    "'submitted', 1, 'a@example.nl', '2026-01-01T00:00:00Z', "
                    "'2026-01-01T00:00:00Z')")
        con.execute("PRAGMA user_version = 1")
        con.commit()
        con.close()
        self.assertEqual([r["id"] for r in self.fx.js("list", "--search", "creme brulee")], [1])
        d = self.fx.js("submit", "Factuur oud", "-d", "creme", "--by", "b@example.nl")
        self.assertEqual([s["id"] for s in d["similar"]], [1])


if __name__ == "__main__":
    harness.main()
