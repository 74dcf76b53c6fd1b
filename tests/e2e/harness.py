"""Shared machinery of the end-to-end tests: the real sileram binary against a real SQLite file
(or, under SILERAM_TEST_DB=postgresql, a real PostgreSQL database of its own).

Each test file ends with `if __name__ == "__main__": harness.main()` and is run as
`python3 tests/e2e/test_X.py PATH/TO/sileram [TestClass.test_name ...]`. `main` takes the binary
from argv[1], runs the file's tests, prints each failure, and ends with the line
`N passed, M failed`; it exits 1 when anything failed. A test that documents a known bug is marked
@unittest.expectedFailure and counts as passed while the bug is there (as failed once it is fixed,
so the marker gets removed).

Every test (a SileramTestCase) gets a Fixture, self.fx: a fresh folder with its own database path,
a pinned clock, no colour, TZ=UTC and a config home inside the folder, and run/js/db_snapshot to
use it. The folder is removed when the test passes and left behind (its path printed) when it
fails.
"""
import atexit
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

BIN = None  # the sileram binary, set by main() from argv[1]
NOW = "2026-11-23T12:00:00Z"
USER = "lead"
# How long one command may take before a test calls it hung. Far above what any takes (a few
# seconds at most, under the sanitizers): on a shared machine a sync can stall for half a minute,
# and twice a command of 0.2 s ran into a limit of 30 s there.
TIMEOUT_SECONDS = 120

# The worked example of SPEC.md: unclear invoices, 12,000 calls a month at EUR 10, satisfaction
# 6.9 before and 7.2 after, 7,000 calls a month after the improvement.
EXAMPLE_TITLE = "De factuur is onduidelijk"
EXAMPLE_BY = "agent1@example.nl"
EXAMPLE_CONTACTS = "12000"
EXAMPLE_AFTER = "7000"

# The main path, one entry per state reached: the commands that reach it ({id} is the signal).
MAIN_PATH = [
    ("accepted", [["triage", "{id}", "--accept"]]),
    ("analysed", [["impact", "{id}", "--contacts", EXAMPLE_CONTACTS, "--satisfaction-impact", "4",
                   "--cost-per-contact", "10", "--satisfaction", "6.9"]]),
    ("prioritised", [["impact", "{id}", "--go", "--reason", "raakt alle klanten"]]),
    ("root-caused", [["root-cause", "{id}", "--cause", "BTW-regel staat los van het bedrag",
                      "--customer-view", "Ik snap niet wat ik betaal",
                      "--why", "layout uit 2015", "--why", "niemand is eigenaar",
                      "--evidence", "20 calls beluisterd"]]),
    ("planned", [["act", "{id}", "--plan", "Nieuwe factuurlayout", "--owner", "billing-team",
                  "--due", "2027-01-15", "--cost", "30000"],
                 ["act", "{id}", "--plan", "Tekst btw-regel herschrijven", "--under", "1",
                  "--cost", "2000"],
                 ["act", "{id}", "--expect-reduction", "40"]]),
    ("approved", [["act", "{id}", "--go", "--reason", "business case positief"]]),
    ("in-progress", [["act", "{id}", "--progress", "1=50"]]),
    ("implemented", [["act", "{id}", "--done", "2"], ["act", "{id}", "--done", "1"]]),
    ("measured", [["measure", "{id}", "--contacts", EXAMPLE_AFTER, "--satisfaction", "7.2"]]),
    ("closed", [["close", "{id}", "--summary", "Nieuwe factuur sinds januari"]]),
]
MAIN_STATES = ["submitted"] + [state for state, _ in MAIN_PATH]

# States off the main path: the state walked to first, then the commands that leave it.
OFF_PATH = {
    "rejected": ("submitted", [["triage", "{id}", "--reject", "geen klantsignaal"]]),
    "parked": ("analysed", [["impact", "{id}", "--park", "eerst de migratie", "--until", "2027-03-01"]]),
    "dropped": ("analysed", [["impact", "{id}", "--drop", "product wordt uitgefaseerd"]]),
    "dropped-at-7": ("planned", [["act", "{id}", "--drop", "afdeling wordt gereorganiseerd"]]),
}


_templates = {}  # (test class, on PostgreSQL) -> (database to copy, what its build returned)

# SILERAM_TEST_DB=postgresql (set by tests/pg/cluster.py, with PGHOST, PGPORT, PGUSER and
# PGPASSWORD): every test gets a fresh PostgreSQL database instead of a SQLite file, and `--db`
# is its URI.
ON_POSTGRES = os.environ.get("SILERAM_TEST_DB") == "postgresql"
_pg_made = []  # the databases this process made, dropped when it ends
_pg_connections = {}  # database name -> an open connection (autocommit), reused by every query


def _pg_connection(database):
    """A connection to `database` in the test cluster, opened once and reused: a psql process per
    query took 100-130 ms on a slow machine, most of the PostgreSQL tests' time. psycopg2 is
    Debian's python3-psycopg2, which only the system interpreter has (CTest runs the PostgreSQL
    tests with it); imported here so the SQLite tests never need it. Every value comes back as
    PostgreSQL's own text, as psql printed it."""
    connection = _pg_connections.get(database)
    if connection is not None and not connection.closed:
        return connection
    import psycopg2
    import psycopg2.extensions

    connection = psycopg2.connect(dbname=database)  # host, port, user, password from PG*
    connection.autocommit = True
    for oid in list(psycopg2.extensions.string_types):
        psycopg2.extensions.register_type(
            psycopg2.extensions.new_type((oid,), f"TEXT{oid}", lambda value, cursor: value),
            connection)
    _pg_connections[database] = connection
    return connection


def pg_disconnect(database=None):
    """Closes the reused connection to `database` (to every test database when None), as a
    database copied as a template or dropped must have no sessions."""
    for name in [database] if database else [n for n in _pg_connections if n != "postgres"]:
        connection = _pg_connections.pop(name, None)
        if connection is not None:
            connection.close()


def pg_query(sql, database="postgres", params=(), search_path=None):
    """Runs `sql` (one statement or several; `%s` marks a parameter when `params` are given) on
    the test cluster. Returns the last statement's rows, each a list of text fields ('' for
    NULL, as psql printed them), or [] for a statement without rows. `search_path`: the schema
    to find first, for this call only."""
    import psycopg2

    cursor = _pg_connection(database).cursor()
    try:
        if search_path:
            cursor.execute(f"SET search_path = {search_path}")
        cursor.execute(sql, params or None)
        if cursor.description is None:
            return []
        return [["" if value is None else value for value in row] for row in cursor.fetchall()]
    except psycopg2.Error as e:
        raise AssertionError(f"PostgreSQL {sql!r}: {e}") from None
    finally:
        if search_path and not cursor.connection.closed:
            cursor.execute("RESET search_path")
        cursor.close()


def new_pg_database(template=None):
    name = f"e2e_{os.getpid()}_{len(_pg_made) + 1}"
    if template:
        pg_disconnect(template)
    # FILE_COPY: half the time of the default WAL_LOG for a database this small.
    pg_query(f"CREATE DATABASE {name} STRATEGY FILE_COPY"
             + (f" TEMPLATE {template}" if template else ""))
    if not _pg_made:
        atexit.register(_drop_pg_databases)
    _pg_made.append(name)
    return name


def drop_pg_database(name):
    pg_disconnect(name)
    try:
        pg_query(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except AssertionError:
        pass


def _drop_pg_databases():
    for name in _pg_made:
        drop_pg_database(name)
    pg_disconnect("postgres")


class Fixture:
    """A fresh folder with its own database path and environment, and the ways to run sileram in it.

    (Not methods of the TestCase, whose `run` is unittest's own.)"""

    def __init__(self, name, on_postgres=ON_POSTGRES):
        self.tmp = tempfile.mkdtemp(prefix=f"sileram-e2e-{name}-")
        self.db = os.path.join(self.tmp, "signals.db")
        self.pg = None
        if on_postgres:
            self.pg = new_pg_database()
            self.db = f"postgresql:///{self.pg}"
        env = dict(os.environ)
        for key in ("SILERAM_DB", "SILERAM_CONFIG", "COLUMNS", "LINES", "CLICOLOR_FORCE", "FORCE_COLOR"):
            env.pop(key, None)
        env.update({
            "SILERAM_NOW": NOW,
            "SILERAM_USER": USER,
            "NO_COLOR": "1",
            # The zone CTest gives a test (the .amsterdam runs), else UTC.
            "TZ": os.environ.get("TZ") or "UTC",
            "HOME": self.tmp,
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "xdg"),
            "LC_ALL": "C.UTF-8",
        })
        self.env = env

    def run(self, *args, stdin=None, env_extra=None, db=True, cwd=None, timeout=TIMEOUT_SECONDS):
        """Runs sileram (with `--db DB` first unless db=False) in the folder: (rc, stdout, stderr).
        env_extra adds variables to the environment; a value of None removes one. `timeout`: for
        the few commands that do a lot of work (a large import under the sanitizers)."""
        env = dict(self.env)
        for key, value in (env_extra or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        # bytes pass as they are, so a test can hand over what is not UTF-8
        argv = [BIN] + (["--db", self.db] if db else []) + [
            a if isinstance(a, bytes) else str(a) for a in args]
        if isinstance(stdin, str):
            stdin = stdin.encode("utf-8")
        # Bytes, decoded here: text mode would turn the CRLF of CSV output into LF.
        p = subprocess.run(argv, cwd=cwd or self.tmp, env=env, input=stdin, capture_output=True,
                           timeout=timeout)
        return (p.returncode, p.stdout.decode("utf-8", errors="replace"),
                p.stderr.decode("utf-8", errors="replace"))

    def js(self, *args, rc=0, **kwargs):
        """Runs with --json added, requires exit code `rc`, returns stdout parsed (None if empty)."""
        code, out, err = self.run(*args, "--json", **kwargs)
        what = f"sileram {' '.join(map(str, args))} --json"
        if code != rc:
            raise AssertionError(f"{what}: exit {code}, expected {rc}\nstdout: {out[:2000]}\n"
                                 f"stderr: {err[:2000]}")
        if not out.strip():
            return None
        try:
            return json.loads(out)
        except json.JSONDecodeError as e:
            raise AssertionError(f"stdout of {what} is not JSON ({e}):\n{out[:2000]}") from None

    def query(self, sql, params=()):
        """The rows of a read-only query on the test's database, SQLite or PostgreSQL (where
        sileram's tables are in the schema `sileram`, found first). PostgreSQL gives every value
        as text (None for NULL is not told apart from ''); `?` marks the parameters, which must
        be numbers or text without quotes."""
        if self.pg is None:
            uri = "file:" + urllib.parse.quote(os.path.abspath(self.db)) + "?mode=ro"
            con = sqlite3.connect(uri, uri=True)
            try:
                return con.execute(sql, params).fetchall()
            finally:
                con.close()
        rows = self._pg_query(sql, params)
        return [tuple(int(v) if v.lstrip("-").isdigit() else v for v in row) for row in rows]

    def execute(self, sql, params=()):
        """Changes the test's database behind sileram's back, as an older sileram or another
        program would: runs one statement with `?` parameters (text or numbers, any characters
        but NUL) on SQLite or PostgreSQL (schema `sileram` first) and commits."""
        if self.pg is None:
            con = sqlite3.connect(self.db)
            try:
                con.execute(sql, params)
                con.commit()
            finally:
                con.close()
            return
        self._pg_query(sql, params)

    def _pg_query(self, sql, params):
        """pg_query on the test's database, schema `sileram` first, with `?` parameters."""
        if params:
            sql = sql.replace("%", "%%").replace("?", "%s")
        return pg_query(sql, self.pg, params, search_path="sileram")

    def db_snapshot(self, path=None):
        """Every row of every table, the schema and user_version, in a stable order; None if the
        file does not exist. Opens the file read-only."""
        if self.pg is not None and path is None:
            return self._pg_snapshot()
        path = path or self.db
        if not os.path.exists(path):
            return None
        uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"
        con = sqlite3.connect(uri, uri=True)
        try:
            try:
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError as e:
                return f"not an SQLite database: {e}"
            snapshot = {
                "user_version": con.execute("PRAGMA user_version").fetchone()[0],
                "schema": con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                      "ORDER BY type, name").fetchall(),
                "tables": {},
            }
            names = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            for name in names:
                rows = con.execute('SELECT * FROM "{}"'.format(name.replace('"', '""'))).fetchall()
                snapshot["tables"][name] = sorted(rows, key=repr)
            return snapshot
        finally:
            con.close()

    def _pg_snapshot(self):
        """db_snapshot on PostgreSQL: the same shape as SQLite's, the schema version, the names of
        tables and indexes, and every row of every table as JSON text."""
        if pg_query("SELECT to_regclass('sileram.schema_version') IS NULL", self.pg) == [["t"]]:
            return None
        version = pg_query("SELECT version FROM sileram.schema_version", self.pg)
        schema = pg_query("SELECT tablename FROM pg_tables WHERE schemaname = 'sileram' "
                          "UNION ALL SELECT indexname FROM pg_indexes WHERE schemaname = 'sileram' "
                          "ORDER BY 1", self.pg)
        tables = [name for name, in pg_query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'sileram' "
            "AND tablename <> 'schema_version'", self.pg)]
        rows = {name: [] for name in tables}
        if tables:
            union = pg_query("SELECT string_agg(format('SELECT %L, row_to_json(t)::text FROM "
                             "sileram.%I t', tablename, tablename), ' UNION ALL ') FROM pg_tables "
                             "WHERE schemaname = 'sileram' AND tablename <> 'schema_version'",
                             self.pg)[0][0]
            for name, row in pg_query(union, self.pg):
                rows[name].append(row)
        return {
            "user_version": int(version[0][0]),
            "schema": sorted(name for name, in schema),
            "tables": {name: sorted(found) for name, found in rows.items()},
        }

    def file_digest(self, path=None):
        """SHA-256 of the file's bytes; None if it does not exist (or the database is not a
        file: the rows of db_snapshot are what a PostgreSQL test compares)."""
        if self.pg is not None and path is None:
            return None
        path = path or self.db
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()

    def write(self, name, text):
        """Writes a UTF-8 file into the folder (sub-folders made as needed); returns its path."""
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path


def file_database(test):
    """Marks one test as about the SQLite file itself (its links, its lock, a file another
    program wrote): it keeps a file under SILERAM_TEST_DB=postgresql too."""
    test.on_file = True
    return test


class SileramTestCase(unittest.TestCase):
    """A test with its own Fixture (self.fx) and helpers that walk signals and check refusals."""

    maxDiff = None

    # True for a test class about the database file itself (a missing, empty or read-only file):
    # it keeps a SQLite file under SILERAM_TEST_DB=postgresql too.
    FILE_DATABASE = False

    def setUp(self):
        on_file = self.FILE_DATABASE or getattr(getattr(self, self._testMethodName), "on_file",
                                                False)
        self.fx = Fixture(self.id().rsplit(".", 1)[-1], ON_POSTGRES and not on_file)
        self.addCleanup(pg_disconnect)  # a test's sessions end with it (max_connections)
        self.tmp = self.fx.tmp  # read by Result: removed on success, kept on failure
        self.db = self.fx.db

    def ok(self, *args, **kwargs):
        """Runs a command that must succeed; returns its stdout."""
        code, out, err = self.fx.run(*args, **kwargs)
        self.assertEqual(code, 0, f"sileram {' '.join(map(str, args))}: exit {code}\n"
                                  f"stdout: {out[:2000]}\nstderr: {err[:2000]}")
        return out

    def show(self, sid):
        return self.fx.js("show", sid)

    def state(self, sid):
        return self.show(sid)["state"]

    def submit(self, title=EXAMPLE_TITLE, by=EXAMPLE_BY, *extra):
        """Submits a signal and returns its id (as a string)."""
        out = self.ok("submit", title, "--by", by, "--quiet", *extra)
        sid = out.strip()
        self.assertTrue(sid.isdigit(), f"submit --quiet printed {out!r}, not an id")
        return sid

    def advance(self, sid, to):
        """Walks signal `sid` along the main path (worked-example figures) until it is `to`."""
        current = self.state(sid)
        self.assertIn(current, MAIN_STATES, f"signal {sid} is {current}, off the main path")
        self.assertIn(to, MAIN_STATES)
        for _, commands in MAIN_PATH[MAIN_STATES.index(current):MAIN_STATES.index(to)]:
            for command in commands:
                self.ok(*[part.replace("{id}", sid) for part in command], "--quiet")
        self.assertEqual(self.state(sid), to)
        return sid

    def walk(self, to, title=EXAMPLE_TITLE, by=EXAMPLE_BY, extra=()):
        """A new signal in state `to` (a main-path state or a key of OFF_PATH); returns its id.
        `extra` are more submit options, such as ("--channel", "phone")."""
        sid = self.submit(title, by, *extra)
        if to in OFF_PATH:
            before, commands = OFF_PATH[to]
            self.advance(sid, before)
            for command in commands:
                self.ok(*[part.replace("{id}", sid) for part in command], "--quiet")
            self.assertEqual(self.state(sid), "dropped" if to == "dropped-at-7" else to)
        else:
            self.advance(sid, to)
        return sid

    def from_template(self, build):
        """Fills self.db with a database that build(self) makes once per test class and that is
        copied for every further test; returns what build returned. Saves walking the same
        signals again and again."""
        # A class may hold tests on both databases (a test marked file_database keeps a file).
        key = (type(self), self.fx.pg is not None)
        if self.fx.pg is not None:
            if key not in _templates:
                made = build(self)
                _templates[key] = (new_pg_database(template=self.fx.pg), made)
                return made
            template, made = _templates[key]
            drop_pg_database(self.fx.pg)  # the empty one of setUp
            self.fx.pg = new_pg_database(template=template)
            self.fx.db = self.db = f"postgresql:///{self.fx.pg}"
            return made
        if key not in _templates:
            made = build(self)
            con = sqlite3.connect(self.db)  # fold the WAL into the file, so a copy is complete
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.close()
            folder = tempfile.mkdtemp(prefix="sileram-e2e-template-")
            atexit.register(shutil.rmtree, folder, True)
            copy = os.path.join(folder, "template.db")
            shutil.copyfile(self.db, copy)
            _templates[key] = (copy, made)
            return made
        copy, made = _templates[key]
        shutil.copyfile(copy, self.db)
        return made

    @contextlib.contextmanager
    def unchanged(self, path=None, check_bytes=True):
        """Asserts the database's rows and (unless check_bytes=False) its main file's bytes are
        the same after the block."""
        rows, digest = self.fx.db_snapshot(path), self.fx.file_digest(path)
        yield
        self.assertEqual(self.fx.db_snapshot(path), rows, "the command changed the database's rows")
        if check_bytes:
            self.assertEqual(self.fx.file_digest(path), digest, "the command changed the database file")

    def assert_refused(self, code, args, *needles, env_extra=None, db=True, check_bytes=True):
        """Runs args: exit `code`, nothing on stdout, a 'sileram: error:' message on stderr that
        holds every needle, and the database unchanged. Returns stderr."""
        with self.unchanged(check_bytes=check_bytes):
            rc, out, err = self.fx.run(*args, env_extra=env_extra, db=db)
        context = (f"sileram {' '.join(map(repr, args))[:300]}\nexit {rc}\nstdout: {out[:500]!r}\n"
                   f"stderr: {err[:1000]!r}")
        self.assertEqual(rc, code, context)
        self.assertEqual(out, "", context)
        self.assertTrue(err.startswith("sileram: error: "), context)
        for needle in needles:
            self.assertIn(needle, err, context)
        return err


class Result(unittest.TestResult):
    """Prints one line per test, keeps the folder of a failed test and removes the others."""

    def __init__(self, stream):
        super().__init__(stream, True, 2)
        self.out = stream
        self.passed = 0
        self.expected = []

    def _line(self, test, verdict):
        self.out.write(f"{verdict:<6} {test.id()}\n")
        self.out.flush()

    def _remove(self, test):
        tmp = getattr(test, "tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    def _keep(self, test):
        tmp = getattr(test, "tmp", None)
        if tmp and os.path.isdir(tmp):
            self.out.write(f"       folder kept: {tmp}\n")

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1
        self._line(test, "ok")
        self._remove(test)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.passed += 1
        self.expected.append(test)
        self._line(test, "xfail")
        self._remove(test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(test, "FAIL")
        self._keep(test)

    def addError(self, test, err):
        super().addError(test, err)
        self._line(test, "ERROR")
        self._keep(test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._line(test, "XPASS")
        self.out.write("       a known bug seems fixed: remove @unittest.expectedFailure\n")
        self._keep(test)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(test, "SKIP")
        self.out.write(f"       skipped tests count as failed: {reason}\n")

    @property
    def failed(self):
        return (len(self.failures) + len(self.errors) + len(self.unexpectedSuccesses)
                + len(self.skipped))


def main():
    """Entry point of a test file: argv[1] is the binary, further arguments pick tests by name."""
    global BIN
    if len(sys.argv) < 2:
        sys.stderr.write(f"usage: {sys.argv[0]} PATH/TO/sileram [TestClass[.test_name] ...]\n")
        sys.exit(2)
    BIN = os.path.abspath(sys.argv.pop(1))
    if not os.access(BIN, os.X_OK):
        sys.stderr.write(f"{BIN} is not an executable file\n")
        print("0 passed, 1 failed")
        sys.exit(1)
    module = sys.modules["__main__"]
    loader = unittest.TestLoader()
    names = sys.argv[1:]
    suite = loader.loadTestsFromNames(names, module) if names else loader.loadTestsFromModule(module)
    result = Result(sys.stdout)
    started = time.monotonic()
    suite.run(result)
    for test, trace in result.failures + result.errors:
        print(f"\n=== {test.id()}\n{trace}")
    if result.expected:
        print(f"\n{len(result.expected)} known bug(s), marked expectedFailure:")
        for test in result.expected:
            doc = (test.shortDescription() or "").strip()
            print(f"  {test.id()}" + (f": {doc}" if doc else ""))
    print(f"({time.monotonic() - started:.1f} s)")
    print(f"{result.passed} passed, {result.failed} failed")
    sys.exit(0 if result.failed == 0 else 1)
