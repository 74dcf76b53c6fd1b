#!/usr/bin/env python3
"""Benchmark of `sileram close --send`: N queued feedback mails (default 10,000: 2,000 closed
signals with 5 submitters each) sent to a local aiosmtpd over one SMTP connection.

Usage: python3 bench/mail_send.py PATH/TO/sileram [--mails N]
Prints the time and mails per second (the target is at least 200/s). Needs Debian's
python3-aiosmtpd, which runs under /usr/bin/python3. Works in a temporary folder it removes.
"""
import argparse
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

NOW = "2026-11-23T12:00:00Z"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(db, mails, per_signal=5):
    """Closed (rejected) signals with `per_signal` submitters and one queued mail each."""
    con = sqlite3.connect(db)
    with con:
        signals = (mails + per_signal - 1) // per_signal
        queued = 0
        for sid in range(1, signals + 1):
            con.execute("INSERT INTO signals (id, title, state, step, submitted_by, submitted_at, "
                        "updated_at, triage_reason) VALUES (?, ?, 'closed', 10, ?, ?, ?, ?)",
                        (sid, f"Signaal {sid}: de factuur is onduidelijk — waarom?",
                         f"s{sid}.0@example.nl", NOW, NOW, "geen klantsignaal"))
            for k in range(per_signal):
                if queued == mails:
                    break
                who = f"s{sid}.{k}@example.nl"
                con.execute("INSERT INTO submitters (signal_id, email, joined_at, via) "
                            "VALUES (?, ?, ?, ?)", (sid, who, NOW, "submit" if k == 0 else "join"))
                con.execute("INSERT INTO feedback (signal_id, recipient, outcome, status, "
                            "queued_at) VALUES (?, ?, 'rejected', 'queued', ?)", (sid, who, NOW))
                queued += 1
    con.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sileram")
    parser.add_argument("--mails", type=int, default=10000)
    args = parser.parse_args()
    binary = os.path.abspath(args.sileram)
    tmp = tempfile.mkdtemp(prefix="sileram-bench-mail-")
    server = None
    try:
        db = os.path.join(tmp, "bench.db")
        env = dict(os.environ, SILERAM_NOW=NOW, TZ="UTC", SILERAM_USER="bench")
        env.pop("SILERAM_CONFIG", None)
        subprocess.run([binary, "--db", db, "init"], check=True, env=env, cwd=tmp,
                       stdout=subprocess.DEVNULL)
        fill(db, args.mails)
        port = free_port()
        server = subprocess.Popen(["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                                   f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("aiosmtpd did not start")
                time.sleep(0.05)
        with open(os.path.join(tmp, "sileram.toml"), "w") as f:
            f.write(f'[mail]\nfrom = "Klantsignalen <signalen@example.org>"\n'
                    f'url = "smtp://127.0.0.1:{port}/bench.example.org"\n')
        started = time.monotonic()
        p = subprocess.run([binary, "--db", db, "close", "--send", "--quiet"], env=env, cwd=tmp)
        seconds = time.monotonic() - started
        con = sqlite3.connect(db)
        sent = con.execute("SELECT count(*) FROM feedback WHERE status = 'sent'").fetchone()[0]
        con.close()
        print(f"close --send: {sent} of {args.mails} mails sent in {seconds:.2f} s "
              f"(exit {p.returncode}): {sent / seconds:.0f} mails/s over one connection "
              f"(target >= 200/s)")
        sys.exit(0 if sent == args.mails and p.returncode == 0 else 1)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
