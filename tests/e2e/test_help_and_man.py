#!/usr/bin/env python3
"""The man page (docs/sileram.1) and `--help` describe the same commands and options.

Checks that every subcommand of `sileram --help` has a `.SS` section under COMMANDS, that every
long option of `sileram COMMAND --help` appears in that section and each of the command's own
options has a list item (.TP or .IP) there with the value name --help shows, that every `.SS`
command exists in --help, and that every global option of `sileram --help` has an item in
GLOBAL OPTIONS.

Usage: test_help_and_man.py PATH/TO/sileram
"""

import os
import re
import subprocess
import sys
from pathlib import Path

MAN_PAGE = Path(__file__).resolve().parent.parent.parent / "docs" / "sileram.1"

class Results:
    """Counts the checks and prints each failure."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}")


class Unusable(Exception):
    """The binary's help or the man page cannot be read; nothing else can be checked."""


def run_help(binary, *args):
    env = dict(os.environ, NO_COLOR="1", TZ="UTC")
    command = [binary, *args, "--help"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False,
                                timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise Unusable(f"{' '.join(command)}: {error}") from error
    if result.returncode != 0:
        raise Unusable(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def block(help_text, heading):
    """The indented lines under `heading:` up to the next blank line."""
    lines = help_text.splitlines()
    try:
        start = lines.index(heading + ":") + 1
    except ValueError:
        return []
    found = []
    for line in lines[start:]:
        if not line.strip():
            break
        found.append(line)
    return found


def description_column(lines):
    """Where the descriptions start: the most common position after a gap of two spaces."""
    starts = {}
    for line in lines:
        match = re.match(r"\s+\S.*?\s{2,}(?=\S)", line)
        if match:
            starts[match.end()] = starts.get(match.end(), 0) + 1
    return max(starts, key=starts.get) if starts else 0


def options_of(help_text):
    """{'--name': 'VALUE' or ''} for every long option under Options:."""
    lines = block(help_text, "Options")
    column = description_column(lines)
    options = {}
    for line in lines:
        if column and len(line) > column and line[:column].strip() == "":
            continue  # a description wrapped onto its own line
        spec = line[:column].strip() if column and len(line) > column else line.strip()
        if not spec.startswith("-"):
            continue
        words = spec.split()
        names = words[0].split(",")
        value = [w for w in words[1:] if w not in ("...", "REQUIRED")]
        for name in names:
            if name.startswith("--"):
                options[name] = value[0] if value else ""
    return options


def subcommands_of(help_text):
    # A description wrapped onto the next line starts further in than a command's name.
    return [line.split()[0] for line in block(help_text, "Subcommands")
            if re.match(r"  \S", line)]


def macro_arguments(text):
    """Arguments of a roff macro line, honouring double quotes."""
    return [a[1:-1] if a.startswith('"') else a for a in re.findall(r'"[^"]*"|\S+', text)]


def plain(roff_line):
    """A roff line as the reader sees it, near enough to find options and values in it."""
    line = roff_line
    match = re.match(r"\.(B|I|SM|SB|BI|BR|IB|IR|RB|RI)\s+(.*)", line)
    if match:
        args = macro_arguments(match.group(2))
        line = (" " if match.group(1) in ("B", "I", "SM", "SB") else "").join(args)
    elif line.startswith(".") or line.startswith("'"):
        return ""
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", line)
    line = line.replace("\\-", "-").replace("\\ ", " ").replace("\\~", " ")
    line = line.replace("\\&", "").replace("\\:", "").replace("\\%", "")
    return line


def man_sections(man_text):
    """{'SECTION': [lines]} for .SH, and {'command': [lines]} for the .SS under COMMANDS."""
    sections, commands = {}, {}
    section = command = None
    for line in man_text.splitlines():
        if line.startswith(".SH"):
            section = " ".join(macro_arguments(line[3:]))
            sections[section] = []
            command = None
            continue
        if line.startswith(".SS") and section == "COMMANDS":
            command = " ".join(macro_arguments(line[3:]))
            commands[command] = []
            continue
        if section is not None:
            sections[section].append(line)
        if command is not None:
            commands[command].append(line)
    return sections, commands


def text_of(lines):
    # Joined with spaces, so an option in one macro line and its value in the next still meet.
    return " ".join(filter(None, (plain(line) for line in lines)))


def tags_of(lines):
    """The tags of the list items (.TP, .IP) in `lines`, where each option is documented."""
    tags = []
    for i, line in enumerate(lines):
        if line.startswith(".TP") and i + 1 < len(lines):
            tags.append(plain(lines[i + 1]))
        elif line.startswith(".IP"):
            args = macro_arguments(line[3:])
            if args:
                tags.append(plain(args[0]))
    return "\n".join(tags)


def has_option(text, name, value=""):
    # Not the start of a longer name: --satisfaction is not found in --satisfaction-impact.
    pattern = re.escape(name) + r"(?![A-Za-z0-9-])"
    if value:
        pattern += r"\s+" + re.escape(value)
    return re.search(pattern, text) is not None


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    results = Results()
    try:
        check_all(sys.argv[1], results)
    except Unusable as error:
        results.check(False, str(error))
    print(f"{results.passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


def check_all(binary, results):
    try:
        man_text = MAN_PAGE.read_text(encoding="utf-8")
    except OSError as error:
        raise Unusable(f"cannot read the man page: {error}") from error
    sections, man_commands = man_sections(man_text)

    top_help = run_help(binary)
    global_options = options_of(top_help)
    commands = subcommands_of(top_help)
    results.check(commands, "sileram --help lists subcommands")
    results.check("COMMANDS" in sections, f"{MAN_PAGE} has a COMMANDS section")

    global_tags = tags_of(sections.get("GLOBAL OPTIONS", []))
    for name, value in global_options.items():
        results.check(has_option(global_tags, name, value),
                      f"global option {' '.join(filter(None, (name, value)))} has an item in "
                      "GLOBAL OPTIONS")

    for command in commands:
        results.check(command in man_commands, f"command {command} has a .SS section")
        if command not in man_commands:
            continue
        section_text = text_of(man_commands[command])
        section_tags = tags_of(man_commands[command])
        for name, value in options_of(run_help(binary, command)).items():
            results.check(has_option(section_text, name),
                          f"{command}: option {name} is in its .SS section")
            # The command's own options each have an item, with the value name --help shows.
            if name not in global_options:
                results.check(has_option(section_tags, name, value),
                              f"{command}: option {' '.join(filter(None, (name, value)))} has an "
                              "item in its .SS section")

    for command in man_commands:
        results.check(command in commands,
                      f"man page command {command} is a subcommand of sileram --help")


if __name__ == "__main__":
    sys.exit(main())
