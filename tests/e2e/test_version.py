#!/usr/bin/env python3
"""`sileram --version`: the version, the git revision built from, and the libraries in use.

The version is the project's (CMakeLists.txt); the revision is the checkout's own when the
sources are a git checkout, and a build outside git (a release tarball) gets none; SQLite's is
the library's, as Python's sqlite3 module sees the same system library; libcurl's is that of
the libcurl.so.4 sending mail would load; libpq's that of the libpq.so.5 a PostgreSQL database
would load. Ordinary commands still do not load libcurl, and libpq only for a PostgreSQL
database.

Usage: test_version.py PATH/TO/sileram
"""
import ctypes
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import harness

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def project_version():
    with open(os.path.join(SOURCE, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(sileram VERSION (\S+)", f.read()).group(1)


class Version(harness.SileramTestCase):

    def version_lines(self):
        return self.ok("--version", db=False).splitlines()

    def test_version_and_revision(self):
        first = self.version_lines()[0]
        expected = "sileram " + project_version()
        if os.path.exists(os.path.join(SOURCE, ".git")) and shutil.which("git"):
            match = re.fullmatch(re.escape(expected) + r" \(git ([0-9a-f]{12})(-dirty)?\)", first)
            self.assertIsNotNone(match, first)
            # a commit of this checkout (HEAD when built after the last commit)
            known = subprocess.run(["git", "-C", SOURCE, "cat-file", "-e",
                                    match.group(1) + "^{commit}"], capture_output=True)
            self.assertEqual(known.returncode, 0, f"{first}: not a commit of {SOURCE}")
        else:
            self.assertEqual(first, expected)

    def test_sqlite_libcurl_and_libpq_in_use(self):
        lines = self.version_lines()
        self.assertIn("SQLite " + sqlite3.sqlite_version, lines)
        curl = ctypes.CDLL("libcurl.so.4")
        curl.curl_version.restype = ctypes.c_char_p
        # "libcurl/7.88.1 OpenSSL/3.0.11 ..."
        loaded = curl.curl_version().decode().split(" ")[0].split("/")[1]
        self.assertIn("libcurl " + loaded, lines)
        # PostgreSQL 10 and later: major * 10000 + minor.
        number = ctypes.CDLL("libpq.so.5").PQlibVersion()
        self.assertIn(f"libpq {number // 10000}.{number % 10000}", lines)

    def test_other_commands_do_not_load_libcurl(self):
        # The dynamic loader reports every library it opens; --version opens libcurl, list not.
        env = {"LD_DEBUG": "files"}
        self.fx.run("init")
        _, _, loaded_by_version = self.fx.run("--version", db=False, env_extra=env)
        self.assertIn("libcurl.so.4", loaded_by_version)
        code, _, loaded_by_list = self.fx.run("list", env_extra=env)
        self.assertEqual(code, 0, loaded_by_list[-2000:])
        self.assertNotIn("libcurl", loaded_by_list)

    def test_a_sqlite_file_does_not_load_libpq(self):
        # libpq brings some 25 libraries; a command on a SQLite file starts without them (the
        # PostgreSQL tests load it with every command they run).
        env = {"LD_DEBUG": "files"}
        self.fx.run("init")
        code, _, loaded_by_list = self.fx.run("list", env_extra=env)
        self.assertEqual(code, 0, loaded_by_list[-2000:])
        self.assertNotIn("libpq", loaded_by_list)

    def test_a_build_outside_git_has_no_revision(self):
        with tempfile.TemporaryDirectory() as outside:
            output = os.path.join(outside, "revision.hpp")
            subprocess.run(["cmake", f"-DSOURCE_DIR={outside}", f"-DOUTPUT={output}", "-P",
                            os.path.join(SOURCE, "cmake", "revision.cmake")], check=True)
            with open(output, encoding="utf-8") as f:
                self.assertIn('k_revision = "";', f.read())


if __name__ == "__main__":
    harness.main()
