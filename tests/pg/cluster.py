"""A throwaway PostgreSQL cluster for the tests: nothing relies on a server installed by hand.

    python3 cluster.py start STATE_FILE   initdb in a new temporary folder, start the server on a
                                          free port of 127.0.0.1 with password authentication,
                                          and write how to reach it into STATE_FILE (JSON)
    python3 cluster.py stop STATE_FILE    stop that server by its PID and remove the folder
    python3 cluster.py run STATE_FILE CMD...
                                          run CMD with PGHOST, PGPORT, PGUSER, PGPASSWORD and
                                          SILERAM_TEST_DB=postgresql set for that server

CTest runs `start` and `stop` as the fixture `pg_cluster` around the tests labelled `pg`. initdb
refuses to run as root, so as root the server runs as the user `postgres` (Debian's
postgresql-common creates it); its folder then belongs to that user.
"""
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

START_TIMEOUT_SECONDS = 120


def bindir():
    out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
    if out.returncode == 0 and os.path.exists(os.path.join(out.stdout.strip(), "initdb")):
        return out.stdout.strip()
    base = "/usr/lib/postgresql"
    versions = sorted(os.listdir(base), key=lambda v: int(v) if v.isdigit() else 0) if os.path.isdir(base) else []
    for version in reversed(versions):
        candidate = os.path.join(base, version, "bin")
        if os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    sys.exit("cluster.py: no PostgreSQL server found (install postgresql-15)")


def as_server_user(argv):
    """argv run as the user that owns the cluster: `postgres` when we are root."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--"] + argv


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(state_file):
    folder = tempfile.mkdtemp(prefix="sileram-pg-")
    data = os.path.join(folder, "data")
    password = secrets.token_hex(16)
    pwfile = os.path.join(folder, "pw")
    with open(pwfile, "w") as f:
        f.write(password + "\n")
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        os.chown(pwfile, entry.pw_uid, entry.pw_gid)
    user = "sileram_test"
    binary = bindir()
    subprocess.run(as_server_user([os.path.join(binary, "initdb"), "-D", data, "-U", user,
                                   "--pwfile", pwfile, "--auth", "scram-sha-256", "-E", "UTF8",
                                   "--locale", "C.UTF-8", "--no-sync"]),
                   check=True, stdout=subprocess.DEVNULL)
    os.remove(pwfile)
    port = free_port()
    # The socket goes into the cluster's own folder; fsync off: a test cluster needs no durability.
    options = f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} " \
              "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=250"
    log = os.path.join(folder, "server.log")
    subprocess.run(as_server_user([os.path.join(binary, "pg_ctl"), "-D", data, "-l", log, "-o", options,
                                   "-w", "-t", str(START_TIMEOUT_SECONDS), "start"]),
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(data, "postmaster.pid")) as f:
        pid = int(f.readline())
    with open(state_file, "w") as f:
        json.dump({"folder": folder, "pid": pid, "host": "127.0.0.1", "port": port, "user": user,
                   "password": password}, f)
    print(f"PostgreSQL running on 127.0.0.1:{port} (pid {pid})")


def stop(state_file):
    if not os.path.exists(state_file):
        return
    with open(state_file) as f:
        state = json.load(f)
    try:
        os.kill(state["pid"], signal.SIGINT)  # fast shutdown: ends the sessions, then exits
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                os.kill(state["pid"], 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
    except ProcessLookupError:
        pass
    shutil.rmtree(state["folder"], ignore_errors=True)
    os.remove(state_file)


def environment(state_file):
    with open(state_file) as f:
        state = json.load(f)
    env = dict(os.environ)
    for key in [k for k in env if k.startswith("PG")]:
        del env[key]
    env.update({"PGHOST": state["host"], "PGPORT": str(state["port"]), "PGUSER": state["user"],
                "PGPASSWORD": state["password"], "PGDATABASE": "postgres",
                "SILERAM_TEST_DB": "postgresql"})
    return env


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("start", "stop", "run"):
        sys.exit(__doc__)
    if sys.argv[1] == "start":
        start(sys.argv[2])
    elif sys.argv[1] == "stop":
        stop(sys.argv[2])
    else:
        if not os.path.exists(sys.argv[2]):
            sys.exit("cluster.py: no test cluster is running (the CTest fixture pg_cluster starts it)")
        sys.exit(subprocess.run(sys.argv[3:], env=environment(sys.argv[2])).returncode)


if __name__ == "__main__":
    main()
