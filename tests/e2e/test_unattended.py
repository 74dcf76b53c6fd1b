#!/usr/bin/env python3
"""The systemd units and the cron line of examples/ for sending mail unattended.

`systemd-analyze verify` accepts the units (with ExecStart pointed at the binary under test and
the man page of docs/ findable, as the package installs it); the service counts nothing but 0 as
success; the timer fires every 5 minutes; the cron line runs the same command every 5 minutes;
the command line of both is one sileram accepts. README.md explains the exit codes.

Usage: test_unattended.py PATH/TO/sileram
"""
import gzip
import os
import re
import shutil
import subprocess

import harness

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(SOURCE, "examples")


def read(*parts):
    with open(os.path.join(*parts), encoding="utf-8") as f:
        return f.read()


def settings(unit):
    """key -> list of values of a unit file, comments left out."""
    found = {}
    for line in unit.splitlines():
        if "=" in line and not line.startswith(("#", ";")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


class Units(harness.SileramTestCase):

    def setUp(self):
        super().setUp()
        self.service = read(EXAMPLES, "systemd", "sileram-send.service")
        self.timer = read(EXAMPLES, "systemd", "sileram-send.timer")

    def test_systemd_analyze_verify(self):
        self.assertIsNotNone(shutil.which("systemd-analyze"), "install systemd (debian-packages.txt)")
        units = os.path.join(self.tmp, "units")
        os.makedirs(units)
        with open(os.path.join(units, "sileram-send.service"), "w", encoding="utf-8") as f:
            f.write(self.service.replace("/usr/bin/sileram", os.path.abspath(harness.BIN)))
        with open(os.path.join(units, "sileram-send.timer"), "w", encoding="utf-8") as f:
            f.write(self.timer)
        man1 = os.path.join(self.tmp, "man", "man1")
        os.makedirs(man1)
        with open(os.path.join(SOURCE, "docs", "sileram.1"), "rb") as f, \
                gzip.open(os.path.join(man1, "sileram.1.gz"), "wb") as out:
            out.write(f.read())
        env = dict(self.fx.env, MANPATH=os.path.join(self.tmp, "man"))
        p = subprocess.run(["systemd-analyze", "verify", "sileram-send.timer",
                            "sileram-send.service"], cwd=units, env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(p.stderr.strip(), "")

    def test_only_0_is_success_and_75_is_explained(self):
        service = settings(self.service)
        self.assertEqual(service["SuccessExitStatus"], ["0"])
        self.assertEqual(service["Type"], ["oneshot"])
        comments = "\n".join(l for l in self.service.splitlines() if l.startswith("#"))
        self.assertIn("75", comments)

    def test_every_5_minutes(self):
        timer = settings(self.timer)
        self.assertEqual(timer["OnCalendar"], ["*:0/5"])
        self.assertEqual(timer["WantedBy"], ["timers.target"])
        p = subprocess.run(["systemd-analyze", "calendar", "--iterations=3", "*:0/5"],
                           capture_output=True, text=True, timeout=60, check=True)
        minutes = re.findall(r"(?:Next elapse|Iter\. #\d): \w+ \S+ \d\d:(\d\d):00", p.stdout)
        self.assertEqual(len(minutes), 3, p.stdout)
        self.assertTrue(all(int(m) % 5 == 0 for m in minutes), minutes)

    def test_cron_line_runs_the_same_command(self):
        lines = [l for l in read(EXAMPLES, "cron", "sileram-send").splitlines()
                 if l and not l.startswith("#") and "=" not in l.split()[0]]
        self.assertEqual(len(lines), 1, lines)
        fields = lines[0].split(None, 6)
        self.assertEqual(fields[:5], ["*/5", "*", "*", "*", "*"])
        exec_start = settings(self.service)["ExecStart"][0]
        self.assertEqual(fields[6], exec_start)

    def test_the_command_sends_an_empty_queue_quietly(self):
        # The unit's command line, run as the unit would (its environment), on a fresh database.
        argv = settings(self.service)["ExecStart"][0].split()[1:]
        self.ok("init")  # a missing database is refused: a typo in the unit must not pass
        code, out, err = self.fx.run(*argv, db=False, env_extra={"SILERAM_DB": self.db})
        self.assertEqual((code, out, err), (0, "", ""))

    def test_readme_explains_the_exit_codes(self):
        readme = read(SOURCE, "README.md")
        section = readme.split("## Sending mail unattended", 1)[1].split("\n## ", 1)[0]
        for code in ("0", "1", "2", "75"):
            self.assertRegex(section, rf"\b{code}\b")
        self.assertIn("sileram-send.timer", section)


if __name__ == "__main__":
    harness.main()
