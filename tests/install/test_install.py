#!/usr/bin/env python3
"""`cmake --install` with DESTDIR and a prefix puts every file where Debian and the shells look.

Installs the build folder into a temporary DESTDIR with prefix /usr, then checks the binary
runs, `man -w sileram` finds the gzipped page under share/man/man1, the completions sit in
their Debian places (and the bash one is what the binary generates), and the docs and examples
are under share/doc/sileram.

Usage: test_install.py BUILD_DIR
"""
import gzip
import os
import subprocess
import sys
import tempfile

EXPECTED = [
    "usr/bin/sileram",
    "usr/share/man/man1/sileram.1.gz",
    "usr/share/bash-completion/completions/sileram",
    "usr/share/zsh/vendor-completions/_sileram",
    "usr/share/fish/vendor_completions.d/sileram.fish",
    "usr/share/doc/sileram/README.md",
    "usr/share/doc/sileram/copyright",
    "usr/share/doc/sileram/changelog.gz",
    "usr/share/doc/sileram/examples/demo.sh",
    "usr/share/doc/sileram/examples/demo.toml",
    "usr/share/doc/sileram/examples/templates-nl/closed.mustache",
    "usr/share/doc/sileram/examples/systemd/sileram-send.service",
    "usr/share/doc/sileram/examples/systemd/sileram-send.timer",
    "usr/share/doc/sileram/examples/cron/sileram-send",
]


def main():
    build = os.path.abspath(sys.argv[1])
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory(prefix="sileram-install-") as dest:
        env = dict(os.environ, DESTDIR=dest)
        p = subprocess.run(["cmake", "--install", build, "--prefix", "/usr"], env=env,
                           capture_output=True, text=True)
        check(p.returncode == 0, "cmake --install\n" + p.stdout + p.stderr)
        for path in EXPECTED:
            check(os.path.isfile(os.path.join(dest, path)), path)
        binary = os.path.join(dest, "usr/bin/sileram")
        check(os.access(binary, os.X_OK), "the binary is executable")
        with gzip.open(os.path.join(dest, "usr/share/man/man1/sileram.1.gz"), "rt") as f:
            check(".TH SILERAM 1" in f.read(), "the man page is the gzipped roff of docs/sileram.1")
        man = subprocess.run(["man", "-w", "sileram"], capture_output=True, text=True,
                             env=dict(os.environ, MANPATH=os.path.join(dest, "usr/share/man")))
        check(man.stdout.strip() == os.path.join(dest, "usr/share/man/man1/sileram.1.gz"),
              f"man -w sileram finds the installed page: {man.stdout.strip()} {man.stderr.strip()}")
        generated = subprocess.run([binary, "--config", os.devnull, "completion", "bash"],
                                   capture_output=True, text=True).stdout
        with open(os.path.join(dest, "usr/share/bash-completion/completions/sileram")) as f:
            installed = f.read()
        check(installed.startswith("# bash completion for sileram") and "_sileram_offer" in installed,
              "the bash completion is the generated script")
        check(generated == installed, "the installed bash completion is what the binary prints")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
