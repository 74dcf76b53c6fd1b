"""A real SMTP server for the mail tests, on aiosmtpd (Debian's python3-aiosmtpd).

Run with the system interpreter, which is where Debian installs aiosmtpd:
    /usr/bin/python3 smtp_server.py PORT DIR [--refuse ADDR]... [--defer ADDR]... [--delay SECONDS]
        [--refuse-data ADDR]... [--drop ADDR]... [--hold ADDR]...
Listens on 127.0.0.1:PORT and writes each accepted mail into DIR as N.json:
{"mail_from", "rcpt_tos", "data" (the message, base64)}, through a temporary file and a rename,
so a reader never sees half a mail. --refuse answers RCPT TO for ADDR with 550, --defer with
450; --delay waits that long before answering DATA (a slow server). For a mail to ADDR,
--refuse-data answers the end of DATA with 554, --drop closes the connection once the whole mail
is in, without a reply, and --hold waits before answering DATA until a file DIR/release exists.
Stops on SIGTERM.
"""
import argparse
import asyncio
import base64
import itertools
import json
import os
import signal
import threading

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, folder, refuse, defer, delay, refuse_data=(), drop=(), hold=()):
        self.folder = folder
        self.refuse = {a.lower() for a in refuse}
        self.defer = {a.lower() for a in defer}
        self.delay = delay
        self.refuse_data = {a.lower() for a in refuse_data}
        self.drop = {a.lower() for a in drop}
        self.hold = {a.lower() for a in hold}
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: no such user here" % address
        if address.lower() in self.defer:
            return "450 4.2.1 <%s>: mailbox busy, try later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        rcpts = {a.lower() for a in envelope.rcpt_tos}
        if rcpts & self.hold:
            while not os.path.exists(os.path.join(self.folder, "release")):
                await asyncio.sleep(0.02)
        if rcpts & self.drop:
            server.transport.close()
            return None
        if rcpts & self.refuse_data:
            return "554 5.7.1 message refused: content rejected by policy"
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            n = next(self.counter)
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                  "data": base64.b64encode(envelope.original_content).decode("ascii")}
        path = os.path.join(self.folder, "%06d.json" % n)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder")
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--defer", action="append", default=[])
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--refuse-data", action="append", default=[])
    parser.add_argument("--drop", action="append", default=[])
    parser.add_argument("--hold", action="append", default=[])
    args = parser.parse_args()
    handler = Handler(args.folder, args.refuse, args.defer, args.delay, args.refuse_data,
                      args.drop, args.hold)
    controller = Controller(handler, hostname="127.0.0.1", port=args.port,
                            data_size_limit=None, decode_data=False)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
