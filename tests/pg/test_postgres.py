"""What only PostgreSQL has: several processes changing one signal at once, the login and
reachability errors, a schema of a newer sileram, the schema `sileram` and nothing else, and the
bulk import through COPY. Runs inside tests/pg/cluster.py (CTest: e2e-pg.test_postgres)."""
import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402
import test_everyday  # noqa: E402
import test_mail  # noqa: E402

WRITERS = 6
# More than max_connections of a default server (100); the test cluster allows 250.
SUBMITTERS = 200
KILLS = 6


class OnPostgres(harness.SileramTestCase):
    def setUp(self):
        super().setUp()
        self.assertTrue(harness.ON_POSTGRES, "run inside tests/pg/cluster.py")

    def test_concurrent_changes_to_one_signal_lose_nothing(self):
        sid = self.submit()
        # Joins change the same signal from several processes at once: every one is kept.
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            joins = list(pool.map(lambda n: self.fx.run("submit", "--join", sid, "--by",
                                                        f"joiner{n}@example.org", "--quiet"),
                                  range(WRITERS)))
        self.assertEqual([rc for rc, _, _ in joins], [0] * WRITERS, joins)
        self.assertEqual(len(self.show(sid)["submitters"]), WRITERS + 1)
        # The same step from several processes: one moves the signal, the others are refused
        # (exit 1: no longer submitted) or told to try again (75); none is lost or doubled.
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            accepts = list(pool.map(lambda _: self.fx.run("triage", sid, "--accept"),
                                    range(WRITERS)))
        codes = sorted(rc for rc, _, _ in accepts)
        self.assertEqual(codes.count(0), 1, accepts)
        self.assertTrue(all(rc in (0, 1, 75) for rc in codes), accepts)
        events = [h["event"] for h in self.show(sid)["history"]]
        self.assertEqual(events.count("accept"), 1)
        # Concurrent submits get distinct ids without gaps.
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            ids = list(pool.map(lambda n: self.submit(f"Tegelijk {n}"), range(WRITERS)))
        self.assertEqual(sorted(int(i) for i in ids), list(range(2, WRITERS + 2)))

    def test_two_hundred_submitters_at_once_store_every_signal(self):
        # A contact centre: 200 processes submit at the same moment. On a server database
        # nobody queues behind a file lock: every submit succeeds, and the ids have no gaps.
        # 200 processes started at once on a two-core test machine (several times slower under
        # the sanitizers) queue for the server's backends longer than the 10 s connect timeout
        # sileram uses by default; a user's own PGCONNECT_TIMEOUT wins over it, as here. What is
        # tested is that no signal is lost or doubled, not how fast a loaded machine connects.
        def submit(n):
            return self.fx.run("submit", f"Storing {n} bij het afsluiten", "--by",
                               f"agent{n}@example.org", "--external-id", f"AGENT-{n}", "--quiet",
                               timeout=300, env_extra={"PGCONNECT_TIMEOUT": "240"})

        with ThreadPoolExecutor(max_workers=SUBMITTERS) as pool:
            results = list(pool.map(submit, range(SUBMITTERS)))
        failed = [(rc, err) for rc, _, err in results if rc != 0]
        self.assertEqual(failed, [])
        rows = self.fx.query("SELECT count(*), count(DISTINCT external_id), min(id), max(id) "
                             "FROM signals")
        self.assertEqual(rows, [(SUBMITTERS, SUBMITTERS, 1, SUBMITTERS)])
        self.assertEqual(self.fx.query("SELECT count(*) FROM history WHERE event = 'submit'"),
                         [(SUBMITTERS,)])

    def test_unreachable_server_and_refused_login(self):
        rc, out, err = self.fx.run("list", db=False, env_extra={
            "SILERAM_DB": "postgresql://nobody@127.0.0.1:1/x"})
        self.assertEqual(rc, 75, err)
        self.assertIn("127.0.0.1:1", err)
        user, port = os.environ["PGUSER"], os.environ["PGPORT"]
        secret = "Zeer-Geheim-42"
        for args in (["list"], ["list", "--json"], ["init"]):
            rc, out, err = self.fx.run(
                "--db", f"postgresql://{user}:{secret}@127.0.0.1:{port}/{self.fx.pg}", *args,
                db=False)
            self.assertEqual(rc, 2, err)
            self.assertIn(user, err)
            self.assertNotIn(secret, out + err)

    def test_a_database_without_the_schema_is_refused_as_a_missing_file_is(self):
        # The PostgreSQL side of test_everyday's MissingDatabase: a mistyped database name in a
        # cron line fails loudly instead of reading an empty database or filling a new one.
        schemas = "SELECT count(*) FROM pg_namespace WHERE nspname = 'sileram'"
        for args in test_everyday.READING_AND_CHANGING:
            with self.subTest(args=args):
                err = self.assert_refused(1, args, "no sileram schema in the database",
                                          "sileram init")
                self.assertIn(self.fx.pg, err)
                self.assertIn("--db", err)
                self.assertEqual(harness.pg_query(schemas, self.fx.pg), [["0"]], args)
        rc, out, err = self.fx.run("list", "--json")
        self.assertEqual(rc, 1)
        self.assertIn("no sileram schema", json.loads(err)["error"]["message"])
        # submit may start a database, as it may create a file.
        self.submit()
        self.assertEqual(harness.pg_query(schemas, self.fx.pg), [["1"]])

    def test_a_newer_schema_is_refused_and_left_alone(self):
        self.submit()
        harness.pg_query("UPDATE sileram.schema_version SET version = version + 1", self.fx.pg)
        with self.unchanged():
            rc, out, err = self.fx.run("list")
        self.assertEqual(rc, 1, err)
        self.assertIn("newer", err)

    def test_init_creates_only_the_schema_sileram(self):
        before = harness.pg_query("SELECT nspname FROM pg_namespace ORDER BY 1", self.fx.pg)
        d = self.fx.js("init")
        self.assertIs(d["created"], True)
        after = harness.pg_query("SELECT nspname FROM pg_namespace ORDER BY 1", self.fx.pg)
        self.assertEqual(sorted(set(map(tuple, after)) - set(map(tuple, before))), [("sileram",)])
        outside = harness.pg_query("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                                   "n.oid = c.relnamespace WHERE n.nspname = 'public'", self.fx.pg)
        self.assertEqual(outside, [["0"]])
        self.assertIs(self.fx.js("init")["created"], False)
        # Reading a database without the schema is refused and creates nothing.
        other = harness.new_pg_database()
        rc, out, err = self.fx.run("--db", f"postgresql:///{other}", "list", "--json", db=False)
        self.assertEqual((rc, out), (1, ""), err)
        self.assertEqual(harness.pg_query("SELECT count(*) FROM pg_namespace WHERE nspname = "
                                          "'sileram'", other), [["0"]])

    def test_a_killed_import_leaves_all_rows_or_none(self):
        # Killed at random moments, each into its own copy of the database (the first run
        # excepted: it goes to its end and tells how long an import takes here): after each kill
        # the copy holds every row of the import or none of them.
        rows = 10000
        csv = self.fx.write("signals.csv", "external_id,title,submitted_by,channel\n" + "".join(
            f"K-{n},Factuur {n} onduidelijk,agent{n % 97}@example.nl,phone\n"
            for n in range(rows)))
        self.submit("Al bekend voor de import")
        pristine = harness.new_pg_database(template=self.fx.pg)

        def counts(database):
            return tuple(int(v) for v in harness.pg_query(
                "SELECT (SELECT count(*) FROM sileram.signals), "
                "(SELECT count(*) FROM sileram.history), "
                "(SELECT count(*) FROM sileram.submitters)", database)[0])

        def start_import(database):
            return subprocess.Popen([harness.BIN, "--db", f"postgresql:///{database}", "submit",
                                     "--from", csv, "--quiet"], cwd=self.fx.tmp, env=self.fx.env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        started = time.monotonic()
        _, errors = start_import(self.fx.pg).communicate(timeout=600)
        duration = time.monotonic() - started
        self.assertEqual(counts(self.fx.pg), (1 + rows,) * 3, errors)
        rng = random.Random(20261203)
        outcomes = set()
        for kill in range(KILLS):
            database = harness.new_pg_database(template=pristine)
            process = start_import(database)
            time.sleep(rng.uniform(0.0, duration))
            process.send_signal(signal.SIGKILL)
            process.communicate()
            found = counts(database)
            self.assertIn(found, [(1, 1, 1), (1 + rows,) * 3], f"kill {kill}")
            outcomes.add(found[0])
            if kill == 0:
                # After a kill an import completes, and a second one adds nothing.
                uri = f"postgresql:///{database}"
                self.assertEqual(self.fx.js("--db", uri, "submit", "--from", csv, db=False)["new"]
                                 + found[0] - 1, rows)
                self.assertEqual(
                    self.fx.js("--db", uri, "submit", "--from", csv, db=False)["skipped"], rows)
                self.assertEqual(counts(database), (1 + rows,) * 3)
            harness.drop_pg_database(database)
        self.assertIn(1, outcomes, "no kill landed before the commit")

    def test_bulk_import_is_all_or_nothing_and_idempotent(self):
        # A tab and a backslash must pass COPY's text format unharmed (a title takes no tab).
        rows = "title,description,submitted_by,external_id,channel,process\n" + "".join(
            f"Melding {n} met backslash \\ erin,met tab\tén,a{n}@example.org,EXT-{n},phone,"
            "billing\n" for n in range(1, 12001))
        path = self.fx.write("many.csv", rows)
        d = self.fx.js("submit", "--from", path)
        self.assertEqual((d["new"], d["skipped"], d["rejected"]), (12000, 0, 0))
        s = self.show(12000)
        self.assertEqual(s["title"], "Melding 12000 met backslash \\ erin")
        self.assertEqual(s["description"], "met tab\tén")
        self.assertEqual(s["fields"], {"channel": "phone", "process": "billing"})
        self.assertEqual(s["external_id"], "EXT-12000")
        self.assertEqual([r["id"] for r in self.fx.js("list", "--search", "MELDING 777")], [777])
        d = self.fx.js("submit", "--from", path)
        self.assertEqual((d["new"], d["skipped"]), (0, 12000))
        bad = self.fx.write("bad.csv", "title,submitted_by,external_id\nGoed,a@example.org,N-1\n"
                                       "Fout,geen-adres,N-2\n")
        with self.unchanged():
            rc, out, err = self.fx.run("submit", "--from", bad)
        self.assertEqual(rc, 2, err)
        self.assertEqual(self.submit("Daarna"), "12001")


    def test_an_import_into_an_empty_database_gives_what_one_into_signals_gives(self):
        # Into a database without signals the import builds the indexes of signals,
        # signal_fields and submitters after the rows; into one with signals it keeps them up
        # row by row. Both give the same rows, tallies, reports and export, and the same indexes.
        def row(n):
            return (f"Melding {n} over de factuur,Uitleg {n} met straße en café,"
                    f"a{n % 7}@example.org,EXT-{n},{('phone', 'mail', '')[n % 3]},"
                    f"Klant {n % 5},billing,2026-0{1 + n % 9}-1{n % 10}T08:00:00Z\n")
        header = "title,description,submitted_by,external_id,channel,customer,process," \
                 "submitted_at\n"
        path = self.fx.write("all.csv", header + "".join(row(n) for n in range(1, 301)))
        first = self.fx.write("first.csv", header + row(1))
        indexes = ("SELECT indexdef FROM pg_indexes WHERE schemaname = 'sileram' "
                   "ORDER BY indexname")
        self.fx.js("init")
        schema = harness.pg_query(indexes, self.fx.pg)
        d = self.fx.js("submit", "--from", path)
        self.assertEqual((d["new"], d["skipped"], d["rejected"]), (300, 0, 0))
        self.assertEqual(harness.pg_query(indexes, self.fx.pg), schema)

        other = harness.new_pg_database()
        uri = f"postgresql:///{other}"
        self.fx.js("--db", uri, "init", db=False)
        self.fx.js("--db", uri, "submit", "--from", first, db=False)
        d = self.fx.js("--db", uri, "submit", "--from", path, db=False)
        self.assertEqual((d["new"], d["skipped"]), (299, 1))
        self.assertEqual(harness.pg_query(indexes, other), schema)
        for args in (["export"], ["report", "all", "--json"], ["report", "fields", "--json"],
                     ["report", "response", "--json"], ["report", "funnel", "--json"],
                     ["list", "--search", "cafe", "--json"],
                     ["list", "--customer", "Klant 3", "--json"]):
            rc, empty_out, err = self.fx.run(*args)
            self.assertEqual(rc, 0, err)
            rc, other_out, err = self.fx.run("--db", uri, *args, db=False)
            self.assertEqual(rc, 0, err)
            self.assertEqual(empty_out, other_out, args)
            self.assertTrue(empty_out.strip(), args)
        self.assertEqual(len(self.fx.js("list", "--search", "straße")), 300)
        # Into the empty database the triggers of the stays and tallies were off and every
        # derived table was filled once after the rows; into the other the triggers kept them.
        # Every derived table holds the same rows (the stays' ids aside), and the triggers are on.
        derived = harness.pg_query("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                                   "c.relnamespace WHERE n.nspname = 'sileram' AND c.relkind = 'r' "
                                   "AND (relname = 'step_stays' OR relname LIKE 'tally\\_%') "
                                   "ORDER BY 1", self.fx.pg)
        self.assertGreaterEqual(len(derived), 21)
        tallies = ("SELECT string_agg(t::text, ';' ORDER BY t::text) FROM sileram.{} t")
        stays = ("SELECT string_agg(concat_ws(' ', signal_id, step, entered_at, left_at, seconds), "
                 "';' ORDER BY signal_id, entered_at) FROM sileram.step_stays")
        for [table] in derived:
            sql = stays if table == "step_stays" else tallies.format(table)
            self.assertEqual(harness.pg_query(sql, self.fx.pg), harness.pg_query(sql, other), table)
        disabled = ("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'sileram' "
                    "AND NOT t.tgisinternal AND t.tgenabled = 'D'")
        self.assertEqual(harness.pg_query(disabled, self.fx.pg), [["0"]])
        self.assertEqual(self.submit("Daarna"), "301")
        self.assertEqual(harness.pg_query("SELECT signals FROM sileram.tally_states WHERE state = "
                                          "'submitted'", self.fx.pg), [["301"]])
        # A second import of the file adds nothing.
        d = self.fx.js("submit", "--from", path)
        self.assertEqual((d["new"], d["skipped"]), (0, 300))

    def test_a_refused_import_into_an_empty_database_leaves_it_as_it_was(self):
        # The indexes dropped for the rows come back with the rollback.
        self.fx.js("init")
        indexes = ("SELECT indexdef FROM pg_indexes WHERE schemaname = 'sileram' "
                   "ORDER BY indexname")
        schema = harness.pg_query(indexes, self.fx.pg)
        rows = "".join(f"Melding {n},a{n}@example.org,EXT-{n}\n" for n in range(1, 6001))
        bad = self.fx.write("bad.csv", "title,submitted_by,external_id\n" + rows +
                            "Fout,geen-adres,EXT-X\n")
        with self.unchanged():
            rc, out, err = self.fx.run("submit", "--from", bad)
        self.assertEqual(rc, 2, err)
        self.assertIn("row 6002", err)
        self.assertEqual(harness.pg_query(indexes, self.fx.pg), schema)
        # The tally triggers it turned off are on again with the rollback.
        disabled = ("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'sileram' "
                    "AND NOT t.tgisinternal AND t.tgenabled = 'D'")
        self.assertEqual(harness.pg_query(disabled, self.fx.pg), [["0"]])
        self.assertEqual(harness.pg_query("SELECT count(*) FROM sileram.signals", self.fx.pg),
                         [["0"]])
        good = self.fx.write("good.csv", "title,submitted_by,external_id\n" + rows)
        self.assertEqual(self.fx.js("submit", "--from", good)["new"], 6000)
        self.assertEqual(harness.pg_query(indexes, self.fx.pg), schema)

    def test_timings_name_the_phases_of_the_import(self):
        path = self.fx.write("few.csv",
                             "title,submitted_by,external_id\nEen,a@example.org,E-1\n")
        self.fx.js("init")
        rc, out, err = self.fx.run("submit", "--from", path, "--timings")
        self.assertEqual(rc, 0, err)
        # Into an empty database: straight into the tables, the search vectors made by a second
        # connection and the rows written on a thread of their own, beside the reading.
        self.assertEqual([line.split(":")[0] for line in err.splitlines()],
                         ["read and check", "prepare", "build rows for COPY",
                          "wait for search vectors", "wait for the writer",
                          "build indexes and keys", "derived tables", "commit", "checkpoint",
                          "total", "write signals (COPY)", "write fields, submitters, history"])
        self.assertIn("(beside the others)", err.splitlines()[-1])
        rc, out, err = self.fx.run("submit", "--from", path, "--timings")
        self.assertEqual(rc, 0, err)
        self.assertIn("0 new, 1 skipped", out)
        # Into one with signals: through the staging tables.
        more = self.fx.write("more.csv",
                             "title,submitted_by,external_id\nTwee,b@example.org,E-2\n")
        rc, out, err = self.fx.run("submit", "--from", more, "--timings")
        self.assertEqual(rc, 0, err)
        self.assertEqual([line.split(":")[0] for line in err.splitlines()],
                         ["read and check", "prepare", "build rows for COPY", "stage (COPY)",
                          "move signals",
                          "move fields, submitters, history", "commit", "checkpoint", "total"])


class CloseSendOnPostgres(test_mail.MailTestCase):
    def test_two_runs_at_once_send_each_mail_once(self):
        self.assertTrue(harness.ON_POSTGRES, "run inside tests/pg/cluster.py")
        recipients = [f"p{i}@example.nl" for i in range(8)]
        self.rejected_signal("Bezorgtijd klopt niet", *recipients[1:], by=recipients[0])
        server = self.server("--delay", "0.5")
        self.configure(f"smtp://127.0.0.1:{server.port}")
        first = self.start_send()
        self.wait_until(lambda: "sending" in self.statuses().values(), "the first run claims")
        second = self.start_send()
        results = [self.finish(first), self.finish(second)]
        self.assertEqual([rc for rc, _, _ in results], [0, 0], results)
        self.assertEqual(sum(r["sent"] for _, r, _ in results), 8)
        self.assertTrue(all(r["sent"] > 0 for _, r, _ in results), results)  # they overlapped
        got = sorted(r[0] for r, _, _ in server.received())
        self.assertEqual(got, sorted(recipients))  # each exactly once
        self.assertEqual(set(self.statuses().values()), {"sent"})
        self.assertEqual(self.fx.query("SELECT count(*) FROM feedback WHERE claim IS NOT NULL"),
                         [(0,)])


if __name__ == "__main__":
    harness.main()
