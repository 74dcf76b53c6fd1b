#!/usr/bin/env python3
"""The Debian package installs, works and goes away cleanly in a fresh Debian 12.

Takes the build folder holding sileram_VERSION_ARCH.deb (`cmake --build DIR --target package`).
A minimal Debian 12 root is made once with debootstrap from Debian's mirror and kept as
DIR/debian-root; each run copies it, so every run starts from a root that never saw sileram.
In the copy: `apt-get install ./sileram_….deb` (which must pull in every dependency, libcurl
included), the files in their Debian places, `sileram --version`, the demo
(examples/demo.sh as installed) against the installed binary, then `apt-get purge`, after which
no file of the package may be left. Then lintian on the .deb: no errors; its warnings are printed.
Needs root (chroot) and, the first time, the network.

Usage: test_deb.py BUILD_DIR
"""
import glob
import os
import shutil
import subprocess
import sys
import time

MIRROR = "http://deb.debian.org/debian"
SUITE = "bookworm"

# The files a user and the shells look for, as the package must install them.
EXPECTED = [
    "/usr/bin/sileram",
    "/usr/share/man/man1/sileram.1.gz",
    "/usr/share/bash-completion/completions/sileram",
    "/usr/share/zsh/vendor-completions/_sileram",
    "/usr/share/fish/vendor_completions.d/sileram.fish",
    "/usr/share/doc/sileram/copyright",
    "/usr/share/doc/sileram/changelog.gz",
    "/usr/share/doc/sileram/examples/demo.sh",
    "/usr/share/doc/sileram/examples/templates-nl/closed.mustache",
    "/usr/share/doc/sileram/examples/systemd/sileram-send.service",
    "/usr/share/doc/sileram/examples/systemd/sileram-send.timer",
    "/usr/share/doc/sileram/examples/cron/sileram-send",
]

failures = []


def check(ok, what, detail=""):
    """Prints the check; `detail` only when it failed."""
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else "\n" + detail))
    if not ok:
        failures.append(what)


def run(*args, check_rc=True, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if check_rc and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def in_root(root, *args, check_rc=True):
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive",
           "LANG": "C.UTF-8", "HOME": "/root", "TZ": os.environ.get("TZ", "UTC")}
    return run("chroot", root, *args, check_rc=check_rc, env=env)


def prepared_root(build):
    """The cached minimal Debian 12 root with fresh package lists, made on first use."""
    root = os.path.join(build, "debian-root")
    if not os.path.isdir(root):
        partial = root + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        print(f"debootstrap --variant=minbase {SUITE} (once; kept as {root})")
        run("debootstrap", "--variant=minbase", SUITE, partial, MIRROR)
        shutil.copy("/etc/resolv.conf", os.path.join(partial, "etc/resolv.conf"))
        in_root(partial, "apt-get", "update", "-qq")
        os.rename(partial, root)
    return root


def the_package(build):
    debs = glob.glob(os.path.join(build, "sileram_*.deb"))
    if len(debs) != 1:
        raise RuntimeError(f"expected one sileram_*.deb in {build}, found {debs}")
    return debs[0]


def test_in_root(root, deb):
    name = os.path.basename(deb)
    shutil.copy(deb, os.path.join(root, "tmp", name))
    installed = in_root(root, "apt-get", "install", "-y", "-q", f"/tmp/{name}", check_rc=False)
    if installed.returncode != 0:  # package lists gone stale since the root was made
        in_root(root, "apt-get", "update", "-qq")
        installed = in_root(root, "apt-get", "install", "-y", "-q", f"/tmp/{name}", check_rc=False)
    check(installed.returncode == 0, "apt-get install ./" + name, installed.stderr[-2000:])
    if installed.returncode != 0:
        return
    for path in EXPECTED:
        check(os.path.isfile(root + path), f"installed {path}")
    depends = in_root(root, "dpkg-query", "-W", "-f=${Depends}", "sileram").stdout
    for library in ("libc6", "libstdc++6", "libsqlite3-0", "libcurl4", "libpq5", "libutf8proc2"):
        check(library in depends, f"Depends names {library}: {depends}")
    # Both are loaded with dlopen, so only Depends brings them.
    for loaded in ("libcurl4", "libpq5"):
        status = in_root(root, "dpkg-query", "-W", "-f=${Status}", loaded, check_rc=False).stdout
        check("install ok installed" in status, f"installing sileram pulled in {loaded}")

    version = in_root(root, "sileram", "--version", check_rc=False)
    check(version.returncode == 0 and version.stdout.startswith("sileram ")
          and "SQLite 3." in version.stdout and "libcurl 7." in version.stdout
          and "libpq 15." in version.stdout,
          "sileram --version names SQLite and the libcurl and libpq it would load:\n"
          + version.stdout)

    demo = in_root(root, "bash", "/usr/share/doc/sileram/examples/demo.sh", check_rc=False)
    check(demo.returncode == 0 and "closed" in demo.stdout,
          f"the demo against the installed binary (exit {demo.returncode})", demo.stderr[-2000:])

    files = [line for line in in_root(root, "dpkg-query", "-L", "sileram").stdout.splitlines()
             if os.path.isfile(root + line)]
    purged = in_root(root, "apt-get", "purge", "-y", "-q", "sileram", check_rc=False)
    check(purged.returncode == 0, "apt-get purge sileram")
    left = [path for path in files if os.path.lexists(root + path)]
    check(not left, f"no file of the package left after purge: {left}")
    status = in_root(root, "dpkg-query", "-W", "-f=${Status}", "sileram", check_rc=False)
    check("install ok installed" not in status.stdout and "config-files" not in status.stdout,
          f"dpkg knows sileram no more: {status.stdout}{status.stderr.strip()}")


def lintian(deb):
    result = run("lintian", "--tag-display-limit", "0", deb, check_rc=False)
    lines = result.stdout.splitlines()
    for line in lines:
        print("lintian: " + line)
    errors = [line for line in lines if line.startswith("E:")]
    check(not errors, f"lintian reports no errors ({len(lines)} lines, {len(errors)} errors)")


def main():
    build = os.path.abspath(sys.argv[1])
    deb = the_package(build)
    start = time.monotonic()
    root = prepared_root(build)
    prepared = time.monotonic()
    work = os.path.join(build, "debian-root.test")
    shutil.rmtree(work, ignore_errors=True)
    run("cp", "-a", root, work)
    try:
        test_in_root(work, deb)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    tested = time.monotonic()
    lintian(deb)
    print(f"times: root {prepared - start:.0f} s, install/demo/purge {tested - prepared:.0f} s, "
          f"lintian {time.monotonic() - tested:.0f} s")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
