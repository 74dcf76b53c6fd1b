#!/usr/bin/env python3
"""Feedback mail: `close --send` against a real SMTP server (aiosmtpd on loopback, started with
/usr/bin/python3 and stopped by PID), and into a folder of .eml files. Every received mail is
parsed with Python's email package (default policy) and its headers, encodings and body checked.
Covers a normal batch, one mail per person per signal, the server down (exit 75, nothing lost,
sent once on the next run), a 5xx refusal, a 4xx deferral, three overlapping runs, a run killed
mid-batch, the file transport, --dry-run, CR/LF never reaching a header, STARTTLS required,
progress mails, templates from a folder, and the migration of a version-1 database.
Usage: python3 test_mail.py PATH/TO/sileram"""
import base64
import email
import email.policy
import glob
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import unittest

import harness
from harness import EXAMPLE_BY, SileramTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SYSTEM_PYTHON = "/usr/bin/python3"  # where Debian's python3-aiosmtpd is installed
B = "b@example.nl"
C = "c@example.nl"
FROM = "Klantsignalen Café <signalen@example.org>"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpServer:
    """aiosmtpd in its own process; received mails are files in self.folder."""

    def __init__(self, folder, port=None, *options):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.port = port or free_port()
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, os.path.join(HERE, "smtp_server.py"), str(self.port), folder,
             *options], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline()
        if line.strip() != b"ready":
            self.stop()
            raise AssertionError("the SMTP server did not start")

    def stop(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc.stdout.close()

    def received(self):
        """[(envelope recipients, parsed message, raw bytes)] in arrival order."""
        mails = []
        for path in sorted(glob.glob(os.path.join(self.folder, "*.json"))):
            with open(path) as f:
                record = json.load(f)
            raw = base64.b64decode(record["data"])
            mails.append((record["rcpt_tos"],
                          email.message_from_bytes(raw, policy=email.policy.default), raw))
        return mails


class MailTestCase(SileramTestCase):

    def setUp(self):
        super().setUp()
        self.servers = []
        # The harness pins TZ=UTC; CTest runs this file under Europe/Amsterdam as well, where a
        # local hour in the Date header would show.
        self.fx.env["TZ"] = os.environ.get("TZ", "UTC")

    def tearDown(self):
        for server in self.servers:
            server.stop()

    def server(self, *options, port=None):
        s = SmtpServer(os.path.join(self.tmp, f"inbox{len(self.servers)}"), port, *options)
        self.servers.append(s)
        return s

    def configure(self, url, extra=""):
        self.fx.write("sileram.toml", f'[mail]\nfrom = "{FROM}"\nurl = "{url}"\n{extra}')

    def send(self, *extra, rc=0):
        return self.fx.js("close", "--send", *extra, rc=rc)

    def start_send(self, db=None, *extra):
        """A `close --send --json` running in the background."""
        return subprocess.Popen([harness.BIN, "--db", db or self.db, "close", "--send", "--json",
                                 *extra], cwd=self.tmp, env=self.fx.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def finish(self, p, timeout=120):
        """(exit status, JSON result or None, stderr) of a background run."""
        out, err = p.communicate(timeout=timeout)
        try:
            result = json.loads(out)
        except ValueError:
            result = None
        return p.returncode, result, err.decode()

    def statuses(self):
        return dict(self.fx.query("SELECT recipient, status FROM feedback"))

    def wait_until(self, condition, what, timeout=30):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                self.fail(f"timed out waiting until {what}")
            time.sleep(0.02)

    def feedback(self, sid):
        return self.show(sid)["feedback"]

    def rejected_signal(self, title, *joiners, by=EXAMPLE_BY):
        """A signal by `by`, joined by `joiners`, rejected and closed: feedback queued."""
        sid = self.submit(title, by)
        for who in joiners:
            self.ok("submit", "zelfde", "--by", who, "--join", sid, "--quiet")
        self.ok("triage", sid, "--reject", "geen klantsignaal", "--quiet")
        self.ok("close", sid, "--quiet")
        return sid

    def check_wellformed(self, raw, msg):
        head = raw.split(b"\r\n\r\n", 1)[0]
        for line in raw.split(b"\r\n"):
            self.assertLessEqual(len(line), 78, f"line too long: {line!r}")
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), "a bare LF")
        for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
            self.assertEqual(len(msg.get_all(name) or []), 1, f"{name} once: {head!r}")
        self.assertEqual(msg["MIME-Version"], "1.0")
        self.assertEqual(msg.get_content_type(), "text/plain")
        self.assertEqual(msg.get_content_charset(), "utf-8")
        self.assertEqual(msg["Content-Transfer-Encoding"], "quoted-printable")
        self.assertTrue(all(b < 128 for b in raw), "8-bit bytes in the message")
        self.assertEqual(str(msg["Date"]), "Mon, 23 Nov 2026 12:00:00 +0000")
        self.assertRegex(msg["Message-ID"], r"^<sileram\.\d+\.\d+\.[0-9a-f]{16}@example\.org>$")
        self.assertEqual(msg["From"].addresses[0].display_name, "Klantsignalen Café")
        self.assertEqual(msg["From"].addresses[0].addr_spec, "signalen@example.org")


class Delivery(MailTestCase):

    def test_a_normal_batch(self):
        title = "Factuur onduidelijk: bedragen en btw-regels staan door elkaar, klanten bellen ons — ‘waarom?’"
        closed = self.walk("closed", title=title)
        rejected = self.rejected_signal("Bezorgtijd klopt niet", C, by=B)
        server = self.server()
        self.configure(f"smtp://127.0.0.1:{server.port}/sileram.test")
        result = self.send()
        self.assertEqual((result["sent"], result["failed"], result["queued"]), (3, 0, 0))
        mails = server.received()
        self.assertEqual(sorted(r[0] for r, _, _ in mails), sorted([EXAMPLE_BY, B, C]))
        by_to = {str(m["To"]): (m, raw) for _, m, raw in mails}
        for m, raw in by_to.values():
            self.check_wellformed(raw, m)
        m, _ = by_to[EXAMPLE_BY]
        self.assertEqual(m["Subject"], f"Your signal {closed} is closed: {title}")
        body = m.get_content()
        for needle in (title, "2026-11-23", "Nieuwe factuurlayout", "Tekst btw-regel herschrijven",
                       "5,000 fewer customer contacts per month", "EUR 50,000.00",
                       "EUR 600,000.00", "6.90 before, 7.20 after (+0.30)",
                       "Nieuwe factuur sinds januari", "Thank you"):
            self.assertIn(needle, body)
        m, _ = by_to[B]
        self.assertEqual(m["Subject"], f"Your signal {rejected}: Bezorgtijd klopt niet")
        self.assertIn("geen klantsignaal", m.get_content())
        # Recorded: sent, the time and the Message-ID the mail carried.
        for f in self.feedback(closed) + self.feedback(rejected):
            self.assertEqual((f["status"], f["sent_at"], f["attempts"]),
                             ("sent", harness.NOW, 1))
            self.assertEqual(f"<{f['message_id']}>", str(by_to[f["to"]][0]["Message-ID"]))
        # Nothing is queued any more: the next run sends nothing.
        self.assertEqual(self.send()["sent"], 0)
        self.assertEqual(len(server.received()), 3)

    def test_one_mail_per_person_per_signal(self):
        original = self.submit("Factuur onduidelijk", "Piet@Example.nl")
        dup = self.submit("Factuur snap ik niet", "piet@example.nl")
        self.ok("submit", "ook", "--by", B, "--join", dup, "--quiet")
        self.ok("triage", dup, "--duplicate-of", original, "--quiet")
        self.ok("triage", original, "--reject", "geen klantsignaal", "--quiet")
        self.ok("close", original, "--quiet")
        self.ok("close", dup, "--quiet")
        server = self.server()
        self.configure(f"smtp://127.0.0.1:{server.port}")
        self.assertEqual(self.send()["sent"], 4)
        got = sorted((str(m["To"]).lower(), m["Subject"]) for _, m, _ in server.received())
        self.assertEqual(got, sorted([
            ("piet@example.nl", f"Your signal {original}: Factuur onduidelijk"),
            ("b@example.nl", f"Your signal {original}: Factuur onduidelijk"),
            ("piet@example.nl", f"Your signal {dup} joined signal {original}: Factuur snap ik niet"),
            ("b@example.nl", f"Your signal {dup} joined signal {original}: Factuur snap ik niet"),
        ]))

    def test_server_down_then_up(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B, C)
        port = free_port()
        self.configure(f"smtp://127.0.0.1:{port}", 'username = "sileram"\n'
                       'password_env = "TEST_SMTP_PASSWORD"\n')
        secret = {"TEST_SMTP_PASSWORD": "s3cret-Pw-9"}
        rc, out, err = self.fx.run("close", "--send", "--json", env_extra=secret)
        self.assertEqual(rc, 75, err)
        self.assertNotIn("s3cret", out + err)
        self.assertIn("try again later" if "try again" in err else "again", err)
        result = json.loads(out)
        self.assertEqual((result["sent"], result["queued"]), (0, 3))
        fb = self.feedback(sid)
        self.assertEqual([f["status"] for f in fb], ["queued"] * 3)
        self.assertEqual([f["attempts"] for f in fb], [1, 0, 0])  # the run stopped at the first
        self.assertIn("onnect", fb[0]["error"])
        self.assertNotIn("s3cret", repr(self.fx.query("SELECT last_error FROM feedback")))
        # The server is back: every mail goes out exactly once.
        server = self.server(port=port)
        self.configure(f"smtp://127.0.0.1:{port}")
        self.assertEqual(self.send()["sent"], 3)
        self.assertEqual(self.send()["sent"], 0)
        self.assertEqual(sorted(r[0] for r, _, _ in server.received()), sorted([EXAMPLE_BY, B, C]))
        self.assertEqual([f["status"] for f in self.feedback(sid)], ["sent"] * 3)

    def test_a_5xx_refusal_marks_the_mail_failed(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B, C)
        server = self.server("--refuse", B)
        self.configure(f"smtp://127.0.0.1:{server.port}")
        rc, out, err = self.fx.run("close", "--send")
        self.assertEqual(rc, 1, out + err)
        self.assertIn(B, err)
        self.assertIn("550", err)
        status = {f["to"]: (f["status"], f["attempts"]) for f in self.feedback(sid)}
        self.assertEqual(status, {EXAMPLE_BY: ("sent", 1), B: ("failed", 1), C: ("sent", 1)})
        self.assertIn("550", [f for f in self.feedback(sid) if f["to"] == B][0]["error"])
        self.assertEqual(sorted(r[0] for r, _, _ in server.received()), sorted([EXAMPLE_BY, C]))
        # Failed is final: the next run neither retries it nor fails.
        rc, out, err = self.fx.run("close", "--send")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(server.received()), 2)

    def test_a_4xx_deferral_keeps_the_mail_queued(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B, C)
        server = self.server("--defer", B)
        self.configure(f"smtp://127.0.0.1:{server.port}")
        result = self.send(rc=75)
        self.assertEqual((result["sent"], result["queued"]), (2, 1))
        status = {f["to"]: (f["status"], f["attempts"]) for f in self.feedback(sid)}
        self.assertEqual(status, {EXAMPLE_BY: ("sent", 1), B: ("queued", 1), C: ("sent", 1)})
        self.send(rc=75)
        self.assertEqual([f["attempts"] for f in self.feedback(sid) if f["to"] == B], [2])
        self.assertEqual(len(server.received()), 2)

    def test_three_overlapping_runs_send_each_mail_once(self):
        recipients = [f"p{i}@example.nl" for i in range(8)]
        self.rejected_signal("Bezorgtijd klopt niet", *recipients[1:], by=recipients[0])
        server = self.server("--delay", "0.05")
        self.configure(f"smtp://127.0.0.1:{server.port}")
        argv = [harness.BIN, "--db", self.db, "close", "--send", "--json"]
        runs = [subprocess.Popen(argv, cwd=self.tmp, env=self.fx.env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE) for _ in range(3)]
        results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in runs]
        for p in runs:
            p.stdout.close()
            p.stderr.close()
        self.assertEqual([rc for rc, _, _ in results], [0, 0, 0], results)
        sent = sum(json.loads(out)["sent"] for _, out, _ in results)
        self.assertEqual(sent, 8)
        got = sorted(r[0] for r, _, _ in server.received())
        self.assertEqual(got, sorted(recipients))  # each exactly once

    def test_killed_run_leaves_its_mail_in_doubt_and_never_resends_it(self):
        recipients = [f"p{i}@example.nl" for i in range(6)]
        sid = self.rejected_signal("Bezorgtijd klopt niet", *recipients[1:], by=recipients[0])
        held = recipients[2]
        server = self.server("--hold", held)
        self.configure(f"smtp://127.0.0.1:{server.port}")
        p = self.start_send()
        # Killed while the server holds the third mail: claimed, handed over, not recorded.
        self.wait_until(lambda: self.statuses().get(held) == "sending", "the third mail is claimed")
        self.wait_until(lambda: len(server.received()) == 2, "two mails are in")
        p.kill()
        p.communicate()
        with open(os.path.join(server.folder, "release"), "w"):
            pass  # the server may now take the held mail as well
        status = self.statuses()
        self.assertEqual([status[r] for r in recipients],
                         ["sent", "sent", "sending", "queued", "queued", "queued"])
        # The next run sends the rest and reports the held one as in doubt; it never sends it.
        rc, out, err = self.fx.run("close", "--send", "--json")
        self.assertEqual(rc, 0, err)
        result = json.loads(out)
        self.assertEqual((result["sent"], result["in_doubt"], result["queued"]), (3, 1, 0))
        doubt = [m for m in result["mails"] if m["status"] == "in-doubt"]
        self.assertEqual([m["to"] for m in doubt], [held])
        self.assertIn("in doubt", err)
        self.assertIn(held, err)
        # An hour after the claim, a run marks it failed, saying why; still never sent again.
        later = {"SILERAM_NOW": "2026-11-23T13:00:01Z"}
        rc, out, err = self.fx.run("close", "--send", "--json", env_extra=later)
        self.assertEqual(rc, 1, err)
        self.assertEqual(json.loads(out)["failed"], 1)
        failed = [f for f in self.feedback(sid) if f["to"] == held][0]
        self.assertEqual(failed["status"], "failed")
        self.assertRegex(failed["error"], r"delivery in doubt: claimed at 2026-11-23T12:00:00Z "
                         r"by [^/ ]+/\d+, which never recorded")
        self.assertEqual(self.fx.run("close", "--send", env_extra=later)[0], 0)
        got = [r[0] for r, _, _ in server.received()]
        self.assertEqual(sorted(r for r in got if r != held), sorted(set(recipients) - {held}))
        self.assertLessEqual(got.count(held), 1)
        self.assertEqual([f["status"] for f in self.feedback(sid)].count("sent"), 5)

    @harness.file_database
    def test_a_busy_database_does_not_send_a_mail_twice(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B)
        server = self.server("--delay", "0.3")
        self.configure(f"smtp://127.0.0.1:{server.port}")
        holder = sqlite3.connect(self.db, isolation_level=None, timeout=30)
        p = self.start_send()
        # Another process takes the write lock once the first mail is claimed, and holds it
        # past the normal busy timeout after the server has the mail.
        self.wait_until(lambda: "sending" in self.statuses().values(), "a mail is claimed")
        holder.execute("BEGIN IMMEDIATE")
        try:
            self.wait_until(lambda: len(server.received()) == 1, "the server has the first mail")
            received_at = time.monotonic()
            while time.monotonic() - received_at < 7:  # the busy timeout is 5 s
                self.assertIsNone(p.poll(), "close --send gave up while the server had the mail")
                time.sleep(0.05)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        rc, result, err = self.finish(p)
        self.assertEqual(rc, 0, err)
        self.assertEqual(result["sent"], 2)
        self.assertEqual(self.send()["sent"], 0)
        got = sorted(r[0] for r, _, _ in server.received())
        self.assertEqual(got, sorted([EXAMPLE_BY, B]))  # each exactly once
        self.assertEqual([f["status"] for f in self.feedback(sid)], ["sent"] * 2)

    @harness.file_database
    def test_runs_through_a_symbolic_link_share_the_claims(self):
        recipients = [f"p{i}@example.nl" for i in range(8)]
        self.rejected_signal("Bezorgtijd klopt niet", *recipients[1:], by=recipients[0])
        server = self.server("--delay", "0.5")
        self.configure(f"smtp://127.0.0.1:{server.port}")
        link = os.path.join(self.tmp, "via-link.db")
        os.symlink(self.db, link)
        first = self.start_send(link)
        self.wait_until(lambda: "sending" in self.statuses().values(), "the first run claims")
        second = self.start_send(self.db)
        results = [self.finish(first), self.finish(second)]
        self.assertEqual([rc for rc, _, _ in results], [0, 0], results)
        self.assertEqual(sum(r["sent"] for _, r, _ in results), 8)
        self.assertTrue(all(r["sent"] > 0 for _, r, _ in results), results)  # they overlapped
        got = sorted(r[0] for r, _, _ in server.received())
        self.assertEqual(got, sorted(recipients))  # each exactly once

    @harness.file_database
    def test_a_database_with_a_second_hard_link_is_refused(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B)
        server = self.server()
        self.configure(f"smtp://127.0.0.1:{server.port}")
        hard = os.path.join(self.tmp, "hard.db")
        os.link(self.db, hard)
        # Two names would be two write-ahead logs: a claim made through one is not seen through
        # the other. Both names are refused, and nothing is sent.
        for db in (hard, self.db):
            rc, out, err = self.fx.run("--db", db, "close", "--send", db=False)
            self.assertEqual(rc, 1, err)
            self.assertIn("hard links", err)
        self.assertEqual(server.received(), [])
        os.unlink(hard)
        self.assertEqual(self.send()["sent"], 2)
        self.assertEqual([f["status"] for f in self.feedback(sid)], ["sent"] * 2)

    def test_a_connection_dropped_in_data_says_so(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B)
        server = self.server("--drop", EXAMPLE_BY)
        self.configure(f"smtp://127.0.0.1:{server.port}")
        rc, out, err = self.fx.run("close", "--send", "--json")
        self.assertEqual(rc, 75, err)
        mail = json.loads(out)["mails"][0]
        self.assertEqual((mail["to"], mail["status"]), (EXAMPLE_BY, "queued"))
        self.assertIn("closed the connection after the whole mail", mail["error"])
        self.assertNotIn("errno", mail["error"])
        status = {f["to"]: f["status"] for f in self.feedback(sid)}
        self.assertEqual(status, {EXAMPLE_BY: "queued", B: "queued"})

    def test_a_refusal_at_the_end_of_data_quotes_the_refusal(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B)
        server = self.server("--refuse-data", B)
        self.configure(f"smtp://127.0.0.1:{server.port}")
        rc, out, err = self.fx.run("close", "--send")
        self.assertEqual(rc, 1, err)
        error = [f for f in self.feedback(sid) if f["to"] == B][0]["error"]
        self.assertIn("554 5.7.1 message refused", error)
        self.assertNotIn("221", error)
        self.assertEqual([r[0] for r, _, _ in server.received()], [EXAMPLE_BY])

    def test_no_mail_settings_names_the_keys(self):
        self.rejected_signal("Bezorgtijd klopt niet", B)
        self.assert_refused(2, ["close", "--send"], "mail.url", "mail.from", check_bytes=False)
        self.assertEqual(set(self.statuses().values()), {"queued"})

    def test_starttls_required_but_not_offered(self):
        self.rejected_signal("Bezorgtijd klopt niet", B)
        server = self.server()
        self.configure(f"smtp://127.0.0.1:{server.port}", "starttls = true\n")
        rc, out, err = self.fx.run("close", "--send")
        self.assertEqual(rc, 75, err)
        self.assertEqual(server.received(), [])

    def test_a_user_without_the_password_variable(self):
        self.rejected_signal("Bezorgtijd klopt niet", B)
        self.configure("smtp://127.0.0.1:1", 'username = "u"\npassword_env = "NOT_SET_HERE"\n')
        self.assert_refused(2, ["close", "--send"], "NOT_SET_HERE",
                            env_extra={"NOT_SET_HERE": None}, check_bytes=False)


class Folder(MailTestCase):

    def test_file_transport_writes_eml_files(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet € 5", B)
        outbox = os.path.join(self.tmp, "outbox")
        os.mkdir(outbox)
        self.configure(f"file://{outbox}")
        self.assertEqual(self.send()["sent"], 2)
        names = sorted(os.listdir(outbox))
        self.assertEqual(len(names), 2, names)
        self.assertTrue(all(n.endswith(".eml") and not n.startswith(".") for n in names))
        for name in names:
            with open(os.path.join(outbox, name), "rb") as f:
                raw = f.read()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            self.check_wellformed(raw, msg)
            self.assertEqual(msg["Subject"], f"Your signal {sid}: Bezorgtijd klopt niet € 5")
        self.assertEqual(self.send()["sent"], 0)
        self.assertEqual(len(os.listdir(outbox)), 2)

    def test_two_databases_never_overwrite_each_others_mails(self):
        outbox = os.path.join(self.tmp, "outbox")
        os.mkdir(outbox)
        self.configure(f"file://{outbox}")
        self.rejected_signal("Bezorgtijd klopt niet")
        other = os.path.join(self.tmp, "other.db")
        # The same signal and mail ids in a second database.
        self.ok("--db", other, "submit", "Bezorgtijd klopt niet", "--by", EXAMPLE_BY, db=False)
        for args in (["triage", "1", "--reject", "geen klantsignaal"], ["close", "1"]):
            self.ok("--db", other, *args, "--quiet", db=False)
        self.assertEqual(self.send()["sent"], 1)
        self.assertEqual(self.fx.js("--db", other, "close", "--send", db=False)["sent"], 1)
        ids = []
        for name in os.listdir(outbox):
            with open(os.path.join(outbox, name), "rb") as f:
                ids.append(email.message_from_bytes(f.read())["Message-ID"])
        self.assertEqual(len(set(ids)), 2, ids)

    def test_an_existing_eml_is_never_overwritten(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet")
        outbox = os.path.join(self.tmp, "outbox")
        os.mkdir(outbox)
        self.configure(f"file://{outbox}")
        # A Message-ID from an earlier attempt is kept; a file of that name is there already.
        self.fx.execute("UPDATE feedback SET message_id = 'sileram.1.1.0123456789abcdef@example.org'")
        existing = os.path.join(outbox, "sileram.1.1.0123456789abcdef.eml")
        with open(existing, "w") as f:
            f.write("an earlier mail\n")
        rc, out, err = self.fx.run("close", "--send")
        self.assertEqual(rc, 1, err)
        self.assertIn("already exists", err)
        with open(existing) as f:
            self.assertEqual(f.read(), "an earlier mail\n")
        self.assertEqual(sorted(os.listdir(outbox)), ["sileram.1.1.0123456789abcdef.eml"])
        self.assertEqual([f["status"] for f in self.feedback(sid)], ["failed"])

    def test_a_missing_outbox_keeps_the_mail_queued(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B)
        self.configure(f"file://{self.tmp}/nowhere")
        self.send(rc=75)
        self.assertEqual([f["status"] for f in self.feedback(sid)], ["queued"] * 2)

    def test_dry_run_sends_and_changes_nothing(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B)
        server = self.server()
        self.configure(f"smtp://127.0.0.1:{server.port}")
        with self.unchanged():
            out = self.ok("close", "--send", "--dry-run")
            result = self.send("--dry-run")
        self.assertIn(f"to {B}", out)
        self.assertIn("Subject: Your signal", out)
        self.assertIn("geen klantsignaal", out)
        self.assertEqual(result["would_send"], 2)
        self.assertTrue(all(m["status"] == "would-send" for m in result["mails"]))
        self.assertIn("MIME-Version: 1.0", result["mails"][0]["message"])
        self.assertEqual(server.received(), [])
        self.assertEqual([f["status"] for f in self.feedback(sid)], ["queued"] * 2)

    def test_send_and_id_do_not_mix(self):
        sid = self.walk("rejected")
        self.assert_refused(2, ["close", sid, "--send"], "--send")
        self.assert_refused(2, ["close", "--dry-run"], "--send")


class Headers(MailTestCase):

    def test_cr_lf_never_reaches_a_header(self):
        sid = self.rejected_signal("Bezorgtijd klopt niet", B, C)
        # What no command lets in, written behind sileram's back.
        self.fx.execute("UPDATE feedback SET recipient = ? WHERE recipient = ?",
                        ("b@example.nl\r\nBcc: evil@example.org", B))
        self.fx.execute("UPDATE signals SET title = ? WHERE id = ?",
                        ("Bezorgtijd\r\nBcc: evil@example.org", int(sid)))
        server = self.server()
        self.configure(f"smtp://127.0.0.1:{server.port}")
        rc, out, err = self.fx.run("close", "--send")
        self.assertEqual(rc, 1, err)
        self.assertIn("line break", err)
        mails = server.received()
        self.assertEqual(sorted(r[0] for r, _, _ in mails), sorted([EXAMPLE_BY, C]))
        for rcpt, msg, raw in mails:
            self.assertNotIn(b"evil", raw.split(b"\r\n\r\n", 1)[0].replace(b"=?", b""))
            self.assertIsNone(msg["Bcc"])
            self.assertNotIn("\n", msg["Subject"])
        failed = [f for f in self.feedback(sid) if f["status"] == "failed"]
        self.assertEqual(len(failed), 1)
        self.assertIn("line break", failed[0]["error"])


class Progress(MailTestCase):

    def test_progress_mails_for_the_configured_states(self):
        server = self.server()
        self.configure(f"smtp://127.0.0.1:{server.port}",
                       'notify = ["accepted", "prioritised"]\n')
        sid = self.submit()
        self.ok("submit", "ook", "--by", B, "--join", sid, "--quiet")
        self.advance(sid, "root-caused")
        fb = self.feedback(sid)
        self.assertEqual(sorted((f["to"], f["outcome"], f["stage"]) for f in fb), sorted([
            (EXAMPLE_BY, "progress", "accepted"), (B, "progress", "accepted"),
            (EXAMPLE_BY, "progress", "prioritised"), (B, "progress", "prioritised")]))
        self.assertEqual(self.send()["sent"], 4)
        subjects = sorted(m["Subject"] for _, m, _ in server.received())
        self.assertEqual(subjects, sorted(
            [f"Your signal {sid} is accepted: {harness.EXAMPLE_TITLE}"] * 2 +
            [f"Your signal {sid} is prioritised: {harness.EXAMPLE_TITLE}"] * 2))
        body = server.received()[0][1].get_content()
        self.assertIn("step 2 of 10", body + server.received()[2][1].get_content())

    def test_notify_names_real_states(self):
        self.configure("smtp://127.0.0.1:1", 'notify = ["acepted"]\n')
        self.assert_refused(2, ["close", "--send"], "sileram.toml:4", "mail.notify", "acepted")


class Templates(MailTestCase):

    def test_the_dutch_templates(self):
        folder = os.path.join(self.tmp, "sjablonen")
        shutil.copytree(os.path.join(ROOT, "examples", "templates-nl"), folder)
        outbox = os.path.join(self.tmp, "outbox")
        os.mkdir(outbox)
        self.configure(f"file://{outbox}", 'templates = "sjablonen"\n')
        sid = self.walk("closed")
        self.rejected_signal("Bezorgtijd klopt niet", by=B)
        self.assertEqual(self.send()["sent"], 2)
        subjects = []
        for name in os.listdir(outbox):
            with open(os.path.join(outbox, name), "rb") as f:
                msg = email.message_from_bytes(f.read(), policy=email.policy.default)
            subjects.append(msg["Subject"])
            self.assertIn("Bedankt", msg.get_content())
        self.assertIn(f"Je signaal {sid} is afgerond: {harness.EXAMPLE_TITLE}", subjects)

    def test_a_broken_template_stops_before_sending(self):
        folder = os.path.join(self.tmp, "tpl")
        os.mkdir(folder)
        self.fx.write("tpl/rejected.mustache", "Subject: x {{#open}}\n\nbody\n")
        self.rejected_signal("Bezorgtijd klopt niet", B)
        self.configure("smtp://127.0.0.1:1", 'templates = "tpl"\n')
        self.assert_refused(2, ["close", "--send"], "rejected.mustache", check_bytes=False)


class Migration(MailTestCase):
    FILE_DATABASE = True  # a SQLite file of schema version 1

    def test_a_version_1_database_keeps_its_feedback(self):
        with open(os.path.join(ROOT, "src", "storage", "sqlite", "migrations.cpp")) as f:
            source = f.read()
        v1 = re.search(r'k_schema_v1 = R"sql\((.*?)\)sql"', source, re.S).group(1)
        con = sqlite3.connect(self.db)
        con.executescript(v1)
        con.execute("PRAGMA user_version = 1")
        con.execute("INSERT INTO signals (id, title, state, step, submitted_by, submitted_at, "
                    "updated_at, triage_reason) VALUES (7, 'Oud signaal', 'closed', 10, "
                    "'a@example.nl', '2026-01-02T03:04:05Z', '2026-01-03T00:00:00Z', 'vaag')")
        con.execute("INSERT INTO submitters (signal_id, email, joined_at, via) VALUES "
                    "(7, 'a@example.nl', '2026-01-02T03:04:05Z', 'submit')")
        rows = [
            (11, 7, "a@example.nl", "rejected", "sent", "2026-01-03T00:00:00Z",
             "2026-01-03T00:05:00Z", "old.1@example.org", 2, ""),
            (12, 7, "b@example.nl", "rejected", "queued", "2026-01-03T00:00:00Z", None, "", 3,
             "connection refused"),
            (13, 7, "c@example.nl", "rejected", "failed", "2026-01-03T00:00:00Z", None, "", 1,
             "550 no such user"),
        ]
        con.executemany("INSERT INTO feedback (id, signal_id, recipient, outcome, status, "
                        "queued_at, sent_at, message_id, attempts, last_error) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.commit()
        con.close()
        self.fx.js("show", "7")  # migrates
        con = sqlite3.connect(self.db)
        self.assertGreaterEqual(con.execute("PRAGMA user_version").fetchone()[0], 4)
        got = con.execute("SELECT id, signal_id, recipient, outcome, status, queued_at, sent_at, "
                          "message_id, attempts, last_error, stage FROM feedback ORDER BY id"
                          ).fetchall()
        self.assertEqual(got, [row + ("",) for row in rows])
        self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        con.close()
        # The queued one is still sent.
        outbox = os.path.join(self.tmp, "outbox")
        os.mkdir(outbox)
        self.configure(f"file://{outbox}")
        result = self.send()
        self.assertEqual([(m["id"], m["status"]) for m in result["mails"]], [(12, "sent")])


if __name__ == "__main__":
    harness.main()
