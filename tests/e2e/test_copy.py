"""`sileram copy SOURCE TARGET` and `backup` through the same rows: a SQLite file with every kind
of row is copied into the fixture's database (a second SQLite file, or PostgreSQL under
SILERAM_TEST_DB=postgresql) and from there into a new SQLite file; every export and report is
identical at each step, ids are kept and the next id follows them. A target with data is refused
and left alone; a copy that fails half-way leaves the target empty."""
import atexit
import json
import os
import shutil
import sqlite3
import tempfile
import urllib.parse

import harness

# The user triggers of sileram's schema (those that keep the step stays and tallies) turned off.
DISABLED_TRIGGERS = ("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                     "JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE n.nspname = 'sileram' AND NOT t.tgisinternal AND t.tgenabled = 'D'")
REPORTS = ["impact", "fields", "funnel", "effect", "customers", "overdue", "response", "recurrence"]
_source = {}


def break_last_mail(fx, db):
    """Gives the newest mail a status no database accepts, behind sileram's back, so a copy of
    `db` fails at its very last rows."""
    if db.startswith("postgresql:"):
        name = urllib.parse.urlparse(db).path.lstrip("/")
        harness.pg_query("ALTER TABLE sileram.feedback DROP CONSTRAINT feedback_status_check; "
                         "UPDATE sileram.feedback SET status = 'bogus' "
                         "WHERE id = (SELECT max(id) FROM sileram.feedback)", name)
        return
    con = sqlite3.connect(db)
    con.execute("PRAGMA ignore_check_constraints = ON")
    con.execute("UPDATE feedback SET status = 'bogus' WHERE id = (SELECT max(id) FROM feedback)")
    con.commit()
    con.close()


def table_rows(path, sql):
    con = sqlite3.connect("file:" + urllib.parse.quote(path) + "?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


class CopyTest(harness.SileramTestCase):

    def build_source(self):
        """Every state, a duplicate of a later signal, custom fields, joined submitters, customers
        and mails queued, sent, failed and in doubt (claimed by a run that never came back)."""
        extra = ("--channel", "phone", "--field", "region=noord", "--customer", "Acme BV")
        for state in harness.MAIN_STATES + list(harness.OFF_PATH):
            self.walk(state, title=f"Signaal {state}", extra=extra)
        early = self.submit("Dubbel van een latere", "b@example.nl", "--external-id", "CRM-1")
        later = self.submit("De latere melding", "c@example.nl", "-d", "Café crème, btw-regel")
        self.ok("triage", early, "--duplicate-of", later)
        joined = self.submit("Meerdere melders", "d@example.nl")
        for by in ("e@example.nl", "f@example.nl"):
            self.ok("submit", "--join", joined, "--by", by)
        self.advance(joined, "closed")
        self.ok("customer", "set", "Acme BV", "--revenue", "125000", "--segment", "groot")
        self.ok("customer", "set", "Beta", "--revenue", "10")
        con = sqlite3.connect(self.fx.db)
        ids = [r[0] for r in con.execute("SELECT id FROM feedback ORDER BY id")]
        self.assertGreaterEqual(len(ids), 4)
        con.execute("UPDATE feedback SET status = 'sent', sent_at = '2026-11-23T13:00:00Z', "
                    "attempts = 1, message_id = 'm1@example.org' WHERE id = ?", (ids[0],))
        con.execute("UPDATE feedback SET status = 'failed', attempts = 3, "
                    "last_error = '550 no such user', last_attempt_at = '2026-11-23T13:00:00Z' "
                    "WHERE id = ?", (ids[1],))
        con.execute("UPDATE feedback SET status = 'sending', claim = 'host/1/aa', "
                    "claimed_at = '2026-11-23T13:00:00Z', message_id = 'm3@example.org' "
                    "WHERE id = ?", (ids[2],))
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()

    def source(self):
        """A copy, in this test's folder, of the SQLite file build_source makes once."""
        if "path" not in _source:
            folder = tempfile.mkdtemp(prefix="sileram-e2e-copy-source-")
            atexit.register(shutil.rmtree, folder, True)
            path = os.path.join(folder, "source.db")
            saved = (self.fx.db, self.fx.pg)
            self.fx.db, self.fx.pg = path, None
            try:
                self.build_source()
            finally:
                self.fx.db, self.fx.pg = saved
            _source["path"] = path
        copy = os.path.join(self.fx.tmp, "source.db")
        shutil.copyfile(_source["path"], copy)
        return copy

    def on(self, db, *args, rc=0):
        code, out, err = self.fx.run("--db", db, *args, db=False)
        self.assertEqual(code, rc, f"sileram --db {db} {' '.join(args)}\n{out[:1000]}\n{err[:2000]}")
        return out, err

    def export(self, db):
        return self.on(db, "export", "--json")[0]

    def reports(self, db):
        """The JSON of every report the database serves; a report not yet available on
        PostgreSQL counts as its refusal."""
        found = {}
        for name in REPORTS:
            code, out, err = self.fx.run("--db", db, "report", name, "--json", db=False)
            if code != 0:
                self.assertTrue(db.startswith("postgresql:"), err)
                self.assertIn("not available on PostgreSQL", err)
                continue
            found[name] = out
        return found

    def copy(self, source, target, rc=0):
        code, out, err = self.fx.run("copy", source, target, "--json", db=False)
        self.assertEqual(code, rc, f"copy {source} {target}\n{out[:1000]}\n{err[:2000]}")
        return out, err

    def middle(self):
        """The fixture's database as a URI with the password in it, which no output may show."""
        if self.fx.pg is None:
            return self.fx.db, None
        password = os.environ["PGPASSWORD"]
        user, port = os.environ["PGUSER"], os.environ["PGPORT"]
        return f"postgresql://{user}:{password}@127.0.0.1:{port}/{self.fx.pg}", password

    def test_round_trip_keeps_every_row_id_and_report(self):
        source = self.source()
        middle, password = self.middle()
        back = os.path.join(self.fx.tmp, "back.db")
        # The middle is initialised first (an empty schema is a fine target), the last is new.
        self.on(middle, "init")
        out, err = self.copy(source, middle)
        signals = len(table_rows(source, "SELECT id FROM signals"))
        self.assertIn(f'"signals":{signals}', out.replace(" ", ""))
        if password:
            self.assertNotIn(password, out + err)
        self.copy(middle, back)
        exported = self.export(source)
        self.assertEqual(self.export(middle), exported)
        self.assertEqual(self.export(back), exported)
        reports = self.reports(source)
        self.assertEqual(len(reports), len(REPORTS))
        for name, text in self.reports(middle).items():
            self.assertEqual(text, reports[name], name)
        self.assertEqual(self.reports(back), reports)
        # Every row of every table, the mails' claims and the rebuilt step stays as well.
        for table in ("signals", "submitters", "history", "actions", "measurements", "feedback",
                      "decisions", "root_causes", "root_cause_items", "signal_fields",
                      "recurrences", "customers"):
            sql = f"SELECT * FROM {table} ORDER BY 1, 2"
            self.assertEqual(table_rows(back, sql), table_rows(source, sql), table)
        stays = ("SELECT signal_id, step, entered_at, left_at, seconds FROM step_stays "
                 "ORDER BY signal_id, entered_at, id")
        self.assertEqual(table_rows(back, stays), table_rows(source, stays))
        if self.fx.pg is not None:
            # PostgreSQL's trigger on history built the same stays while the copy wrote it.
            kept = harness.pg_query(stays.replace("FROM step_stays", "FROM sileram.step_stays"),
                                    self.fx.pg)
            expected = [["" if v is None else str(v) for v in row]
                        for row in table_rows(source, stays)]
            self.assertGreater(len(expected), len(table_rows(source, "SELECT id FROM signals")))
            self.assertEqual(kept, expected)
            # The copy wrote its rows with the tally triggers off and filled the tallies once;
            # the triggers are on again.
            self.assertEqual(harness.pg_query(DISABLED_TRIGGERS, self.fx.pg), [["0"]])
            tallied = harness.pg_query("SELECT sum(signals) FROM sileram.tally_states", self.fx.pg)
            self.assertEqual(tallied, [[str(signals)]])
        statuses = [r[0] for r in table_rows(back, "SELECT status FROM feedback ORDER BY id")]
        self.assertEqual(sorted(set(statuses)), ["failed", "queued", "sending", "sent"])
        later = table_rows(source, "SELECT id FROM signals WHERE title = 'De latere melding'")
        found = json.loads(self.on(back, "list", "--search", "cafe", "--json")[0])
        self.assertEqual([(r["id"],) for r in found], later)
        # New rows continue after the copied ids, on both copies.
        for db in (middle, back):
            out, _ = self.on(db, "submit", "Na de kopie", "--by", "g@example.nl", "--quiet")
            self.assertEqual(out.strip(), str(signals + 1))

    def test_a_target_with_data_is_refused_and_left_alone(self):
        source = self.source()
        middle, password = self.middle()
        self.copy(source, middle)
        name = self.fx.db if self.fx.pg is None else f"127.0.0.1:{os.environ['PGPORT']}"
        with self.unchanged(check_bytes=False):
            _, err = self.copy(source, middle, rc=1)
        self.assertIn("is not empty", err)
        self.assertIn(name, err)
        if password:
            self.assertNotIn(password, err)
        other = os.path.join(self.fx.tmp, "other.db")
        shutil.copyfile(source, other)
        with self.unchanged(other):
            _, err = self.copy(middle, other, rc=1)
        self.assertIn(f"{other} is not empty: its table signals holds rows", err)
        _, err = self.copy(source, source, rc=2)
        self.assertIn("both the source and the target", err)
        _, err = self.copy(os.path.join(self.fx.tmp, "missing.db"), other, rc=1)
        self.assertIn("no database at", err)

    def test_a_copy_that_fails_half_way_leaves_the_target_empty(self):
        source = self.source()
        middle, _ = self.middle()
        self.copy(source, middle)
        break_last_mail(self.fx, middle)
        # Into a new file: no file at all, nor a temporary one.
        new = os.path.join(self.fx.tmp, "new.db")
        _, err = self.copy(middle, new, rc=2)
        self.assertIn("copying the table feedback into", err)
        self.assertEqual(sorted(f for f in os.listdir(self.fx.tmp) if f.startswith("new")), [])
        # Into an initialised file: as empty as before.
        empty = os.path.join(self.fx.tmp, "empty.db")
        self.on(empty, "init")
        with self.unchanged(empty, check_bytes=False):
            self.copy(middle, empty, rc=2)
        # And the other way: a broken SQLite row leaves the fixture's kind of database empty.
        broken = os.path.join(self.fx.tmp, "broken.db")
        shutil.copyfile(source, broken)
        break_last_mail(self.fx, broken)
        target = os.path.join(self.fx.tmp, "target.db")
        if self.fx.pg is not None:
            target = f"postgresql:///{harness.new_pg_database()}"
        self.copy(broken, target, rc=2)
        if self.fx.pg is None:
            self.assertFalse(os.path.exists(target))
        else:
            self.assertEqual(self.export(target), "")
            # It rolled back with the tally triggers on: a later submit is counted at once.
            name = urllib.parse.urlparse(target).path.lstrip("/")
            self.assertEqual(harness.pg_query(DISABLED_TRIGGERS, name), [["0"]])
            self.on(target, "submit", "Na de mislukte kopie", "--by", "g@example.nl")
            counted = "SELECT state, signals FROM sileram.tally_states WHERE signals <> 0"
            self.assertEqual(harness.pg_query(counted, name), [["submitted", "1"]])

    def test_backup_writes_a_sqlite_snapshot_that_exports_the_same(self):
        source = self.source()
        middle, _ = self.middle()
        self.copy(source, middle)
        backup = os.path.join(self.fx.tmp, "backup.db")
        out, _ = self.on(middle, "backup", backup, "--json")
        self.assertIn('"pages"', out)
        self.assertEqual(sorted(f for f in os.listdir(self.fx.tmp) if f.startswith("backup")),
                         ["backup.db"])
        self.assertEqual(self.export(backup), self.export(source))
        self.assertEqual(self.reports(backup), self.reports(source))
        with self.unchanged(backup):
            _, err = self.on(middle, "backup", backup, rc=1)
        self.assertIn("exists already", err)


if __name__ == "__main__":
    harness.main()
