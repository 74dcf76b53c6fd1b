#!/usr/bin/env python3
"""`sileram report NAME --html` and `report all --html` opened in a real browser: Debian's
headless chromium, driven over the DevTools protocol on a pipe (fds 3 and 4). Every report's page
renders without a console error or a blocked load, makes no network request, holds the same figures
as --json (key figures, every table cell, the charts' tables), and gives a screenshot with more than
one colour and a PDF print with pages. A hostile title injects no element.
Usage: python3 test_html.py PATH/TO/sileram"""
import base64
import json
import os
import re
import shutil
import tempfile
import time
import unittest
import zlib

import harness
from harness import SileramTestCase
from test_reports import seed

REPORTS = ["impact", "fields", "funnel", "effect", "customers", "overdue", "response", "recurrence",
           "trend", "scope"]
HOSTILE = "Kapot <script>alert(1)</script><img src=x onerror=alert(2)> \"quoted\" & 'so' &amp;"
CHROMIUM = shutil.which("chromium")
BROWSER_SECONDS = 60


class Browser:
    """A headless chromium on a DevTools pipe: send() a command, read events as they come."""

    def __init__(self, folder):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        # The browser reads commands from its fd 3 and writes answers to its fd 4; every other
        # descriptor of ours is close-on-exec.
        argv = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--window-size=1200,900",
                f"--user-data-dir={os.path.join(folder, 'profile')}", "about:blank"]
        self.pid = os.posix_spawn(CHROMIUM, argv, os.environ, file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, to_browser_r, 3),
            (os.POSIX_SPAWN_DUP2, from_browser_w, 4)])
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=True):
        self._next_id += 1
        command = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            command["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + BROWSER_SECONDS
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method):
        deadline = time.monotonic() + BROWSER_SECONDS
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            message = self._read_message(deadline)
            self.events.append(message)
            if message.get("method") == method:
                return message

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        self.session = self.send("Target.attachToTarget",
                                 {"targetId": target["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")
        # Anything reported while loading arrives before this answer.
        self.evaluate("1")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except (RuntimeError, TimeoutError, OSError):
            pass
        deadline = time.monotonic() + 20
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.05)
        os.close(self._to_browser)
        os.close(self._from_browser)


# Everything the page shows as data: key figures, then per table its section and rows of cells.
EXTRACT = """(() => {
  const value = (el) => JSON.parse(el.getAttribute('data-value'));
  const reports = {};
  for (const section of document.querySelectorAll('section.report')) {
    const summary = {};
    for (const dd of section.querySelectorAll('dl.figures dd')) {
      summary[dd.dataset.key] = value(dd);
    }
    const tables = [];
    for (const table of section.querySelectorAll('table')) {
      const rows = [];
      for (const tr of table.querySelectorAll('tbody tr')) {
        const row = {};
        for (const cell of tr.querySelectorAll('[data-key]')) { row[cell.dataset.key] = value(cell); }
        if (Object.keys(row).length) rows.push(row);
      }
      const totals = {};
      for (const cell of table.querySelectorAll('tfoot [data-key]')) {
        totals[cell.dataset.key] = value(cell);
      }
      tables.push({id: table.id, section: table.dataset.section, rows, totals,
                   headers: table.querySelectorAll('thead th[scope=col]').length});
    }
    reports[section.dataset.report] = {summary, tables,
      charts: section.querySelectorAll('figure.chart-box svg').length,
      text: section.textContent};
  }
  return {reports,
          scripts: document.querySelectorAll('script').length,
          images: document.querySelectorAll('img').length,
          iframes: document.querySelectorAll('iframe, object, embed').length,
          lang: document.documentElement.lang,
          csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]').content,
          generated: document.getElementById('generated').textContent,
          database: document.getElementById('database').textContent,
          filters: document.getElementById('filters').textContent,
          toc: [...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href'))};
})()"""


def png_colours(data, limit=2):
    """The distinct pixel values of an 8-bit RGB(A) PNG, counting up to `limit`."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat, width, height, channels = 8, b"", 0, 0, 0
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            assert body[8] == 8 and body[9] in (2, 6), "only 8-bit RGB or RGBA"
            channels = 3 if body[9] == 2 else 4
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for y in range(height):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, row = line[0], bytearray(line[1:])
        for i in range(stride):
            a = row[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                row[i] = (row[i] + a) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + b) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        if y % 8 == 0:
            for x in range(0, stride, channels * 4):
                colours.add(bytes(row[x:x + channels]))
            if len(colours) >= limit:
                return colours
        previous = row
    return colours


@unittest.skipUnless(CHROMIUM, "chromium is not installed (a [tests] package of debian-packages.txt)")
class HtmlInBrowser(SileramTestCase):
    def setUp(self):
        super().setUp()
        self.ids = self.from_template(seed)
        # A project with a hostile name, so that report scope has a row of each section.
        self.ok("project", "add", "Portal <b>2.0</b> & co", "--customer", "Acme BV", "--start",
                "2020-01-01")
        self.hostile = self.submit(HOSTILE, "agent9@example.nl", "--channel", "phone",
                                   "--process", "billing", "--customer", "Acme BV", "--project",
                                   "Portal <b>2.0</b> & co")
        self.ok("triage", self.hostile, "--accept")
        self.ok("impact", self.hostile, "--contacts", "40", "--satisfaction-impact", "2",
                "--cost-per-contact", "7.5")
        self.browser = Browser(self.fx.tmp)
        self.addCleanup(self.browser.close)

    def page(self, *args):
        """Writes the --html page of `report ARGS` to a file, opens it; returns (file, DOM data)."""
        html = self.ok("report", *args, "--html")
        path = os.path.join(self.fx.tmp, "-".join(args) + ".html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)
        self.browser.open("file://" + path)
        return path, html, self.browser.evaluate(EXTRACT)

    def assert_clean_load(self):
        errors = [e for e in self.browser.events
                  if (e.get("method") == "Runtime.consoleAPICalled"
                      and e["params"]["type"] in ("error", "warning", "assert"))
                  or e.get("method") == "Runtime.exceptionThrown"
                  or (e.get("method") == "Log.entryAdded"
                      and e["params"]["entry"]["level"] in ("error", "warning"))]
        self.assertEqual(errors, [])
        requests = [e["params"]["request"]["url"] for e in self.browser.events
                    if e.get("method") == "Network.requestWillBeSent"]
        self.assertTrue(requests and all(u.startswith("file://") for u in requests), requests)
        self.assertEqual(len(requests), 1, requests)  # the page itself and nothing else

    def assert_same_as_json(self, name, shown, data):
        self.assertEqual(shown["summary"], data["summary"], name)
        seen = set()
        for table in shown["tables"]:
            expected = data[table["section"]]
            self.assertGreater(table["headers"], 0)
            if table["id"].endswith("-numbers"):  # a chart's table: some columns of the section
                self.assertEqual(len(table["rows"]), len(expected), table["id"])
                for row, full in zip(table["rows"], expected):
                    self.assertEqual(row, {k: full[k] for k in row}, table["id"])
                if all(row == full for row, full in zip(table["rows"], expected)):
                    seen.add(table["section"])  # the whole section, shown beside its chart
            else:
                self.assertEqual(table["rows"], expected, f"{name} {table['section']}")
                self.assertEqual(table["totals"], data["totals"].get(table["section"], {}))
                seen.add(table["section"])
        sections = {k for k, v in data.items() if isinstance(v, list)}
        self.assertEqual(seen, sections, name)

    def test_every_report_renders_cleanly_with_the_figures_of_json(self):
        charted = {"impact", "funnel", "effect", "customers", "trend"}
        for name in REPORTS:
            with self.subTest(report=name):
                _, html, dom = self.page(name)
                self.assert_clean_load()
                self.assertEqual(dom["lang"], "en")
                self.assertIn("default-src 'none'", dom["csp"])
                self.assertEqual((dom["scripts"], dom["images"], dom["iframes"]), (0, 0, 0))
                self.assertNotIn("<script", html)
                self.assertNotRegex(html, r"(?i)(src|href)=\"(https?:|//)")
                data = self.fx.js("report", name)
                self.assertEqual(list(dom["reports"]), [name])
                shown = dom["reports"][name]
                self.assert_same_as_json(name, shown, data)
                self.assertEqual(shown["charts"], 1 if name in charted else 0, name)
                self.assertEqual(dom["generated"], harness.NOW)
                self.assertIn("--limit 20", dom["filters"])

    def test_the_charts_carry_the_figures(self):
        _, html, dom = self.page("impact")
        impact = self.fx.js("report", "impact")
        bubbles = re.findall(r'<g class="bubble"><title>(#\d+)</title>', html)
        self.assertEqual(sorted(bubbles), sorted(f"#{r['id']}" for r in impact["signals"]))
        self.assertEqual(html.count('class="cut"'), 2)  # the quadrant lines
        _, html, _ = self.page("effect")
        effect = self.fx.js("report", "effect")
        months = {}
        for line in effect["signals"]:
            month = months.setdefault(line["measured_at"][:7], [0, 0])
            month[0] += round(line["saved_per_year"] * 100)
            month[1] += round((line["expected_per_year"] or 0) * 100)
        self.assertEqual([m["month"] for m in effect["months"]], sorted(months))
        for m in effect["months"]:
            saved, expected = months[m["month"]]
            self.assertAlmostEqual(m["saved_per_month"], saved / 1200, places=2)
            self.assertAlmostEqual(m["expected_per_month"], expected / 1200, places=2)
        self.assertEqual(html.count('class="column"'),
                         sum((m["saved_per_month"] is not None) + (m["expected_per_month"] is not None)
                             for m in effect["months"]))
        _, html, _ = self.page("customers")
        care = [c["customer"] for c in self.fx.js("report", "customers")["customers"]
                if c["care"] and c["revenue"] is not None]
        self.assertEqual(html.count('class="marked"'), len(care))
        _, html, _ = self.page("funnel")
        steps = self.fx.js("report", "funnel")["steps"]
        self.assertEqual(html.count('class="bar"'), len(steps))

    def test_report_all_is_one_page_with_contents(self):
        path, html, dom = self.page("all", "--since", "2026-01-01", "--channel", "phone")
        self.assert_clean_load()
        self.assertEqual(list(dom["reports"]), REPORTS)
        self.assertEqual(dom["toc"], [f"#report-{n}" for n in REPORTS])
        data = self.fx.js("report", "all", "--since", "2026-01-01", "--channel", "phone")
        self.assertEqual(data["report"], "all")
        self.assertEqual(list(data["reports"]), REPORTS)
        for name in REPORTS:
            self.assertEqual(data["reports"][name],
                             self.fx.js("report", name, "--since", "2026-01-01", "--channel",
                                        "phone"))
            self.assert_same_as_json(name, dom["reports"][name], data["reports"][name])
        self.assertIn("--since 2026-01-01", dom["filters"])
        self.assertIn("--channel phone", dom["filters"])
        self.assertEqual(dom["database"], self.expected_database())

        shot = base64.b64decode(self.browser.send("Page.captureScreenshot", {"format": "png"})["data"])
        with open(path + ".png", "wb") as f:
            f.write(shot)
        self.assertGreaterEqual(len(png_colours(shot)), 2, "the screenshot is one colour")
        pdf = base64.b64decode(self.browser.send("Page.printToPDF", {"preferCSSPageSize": True})["data"])
        with open(path + ".pdf", "wb") as f:
            f.write(pdf)
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertGreater(len(pdf), 20_000)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        self.assertGreaterEqual(pages, len(REPORTS))  # a page break before every report
        # A4 at 72 dpi: 595 x 842 points
        self.assertRegex(pdf, rb"/MediaBox\s*\[\s*0 0 59[45]\.?\d* 84[12]")

    def expected_database(self):
        if harness.ON_POSTGRES:
            return re.sub(r"://([^:@/]*):[^@/]*@", r"://\1@", self.fx.db)
        return self.fx.db

    def test_a_hostile_title_injects_nothing(self):
        _, html, dom = self.page("all")
        self.assert_clean_load()
        self.assertEqual((dom["scripts"], dom["images"], dom["iframes"]), (0, 0, 0))
        self.assertIn(HOSTILE, dom["reports"]["impact"]["text"])
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; "
                      "&quot;quoted&quot; &amp; &#39;so&#39; &amp;amp;", html)
        self.assertNotIn("<img", html)

    def test_html_excludes_json_and_csv(self):
        for other in ("--csv", "--json"):
            args = ["report", "impact", "--html", other] if other == "--csv" else \
                ["--json", "report", "impact", "--html"]
            rc, out, err = self.fx.run(*args)
            self.assertEqual(rc, 2, err)
            self.assertIn("--html", err + out)
            self.assertEqual(out.strip() if other == "--csv" else "", "")
        rc, _, err = self.fx.run("report", "all", "--csv")
        self.assertEqual(rc, 2)
        self.assertIn("report all", err)


if __name__ == "__main__":
    harness.main()
