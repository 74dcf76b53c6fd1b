#!/usr/bin/env python3
"""Warnings are errors only where developers and CI ask for it.

Configures the sources twice into temporary folders (no compiling, file by file so each
source file has its own command): a user's or a packager's
Release configure compiles sileram's code with -Wall -Wextra -Wpedantic and without -Werror, so
a new compiler's new warning (GCC 12's false -Wrestrict at -O3) cannot stop their build; with
-DSILERAM_WARNINGS_AS_ERRORS=ON, as ./dev configures, every file of ours gets -Werror.

Usage: test_warnings.py SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile


def compile_commands(source, *options):
    with tempfile.TemporaryDirectory(prefix="sileram-configure-") as build:
        subprocess.run(["cmake", "-S", source, "-B", build, "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=Release", "-DSILERAM_TESTS=OFF",
                        "-DCMAKE_UNITY_BUILD=OFF", *options],
                       check=True, capture_output=True)
        with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
            return json.load(f)


def main():
    source = os.path.abspath(sys.argv[1])
    failures = 0
    for options, want_error in (((), False), (("-DSILERAM_WARNINGS_AS_ERRORS=ON",), True)):
        commands = compile_commands(source, *options)
        ours = [c for c in commands if os.sep + "src" + os.sep in c["file"]]
        wrong = [c["file"] for c in ours
                 if ("-Werror" in c["command"].split()) != want_error
                 or "-Wall" not in c["command"].split()]
        label = " ".join(options) or "a user's configure"
        ok = ours and not wrong
        print(("ok   " if ok else "FAIL ") +
              f"{label}: -Werror {'on' if want_error else 'off'} in all {len(ours)} files"
              + ("" if ok else f": {wrong[:5]}"))
        failures += 0 if ok else 1
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
