#!/usr/bin/env python3
"""`sileram completion bash|zsh|fish`: scripts generated from the command table that complete.

The bash script is driven as bash drives it: COMP_WORDS and COMP_CWORD set, the function that
`complete -p sileram` names called, COMPREPLY read. The zsh and fish scripts are parsed by their
shells (`zsh -n`, `fish --no-execute`) and must name the commands, options and report names.

Usage: test_completion.py PATH/TO/sileram
"""
import shutil
import subprocess
import unittest

import harness

STATES = ["submitted", "accepted", "analysed", "prioritised", "root-caused", "planned",
          "approved", "in-progress", "implemented", "measured", "closed", "rejected", "duplicate",
          "needs-info", "parked", "dropped"]


class BashCompletion(harness.SileramTestCase):

    def script(self, *extra):
        return self.ok(*extra, "completion", "bash", db=False)

    def complete(self, line, script=None):
        """What bash offers at the end of `line`: split into words as bash does (at spaces, and
        "=" a word of its own, as COMP_WORDBREAKS has it); a trailing space starts an empty word."""
        words = []
        for word in line.split(" "):
            before, equals, after = word.partition("=")
            words += [before, "=", after] if equals else [word]
        driver = (
            'source /dev/stdin\n'
            'spec=$(complete -p sileram) || exit 3\n'
            'function=${spec#*-F }; function=${function%% *}\n'
            'COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n'
            'COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}\n'
            '"$function" sileram "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"\n'
            'printf "%s\\n" "${COMPREPLY[@]}"\n')
        p = subprocess.run(["bash", "--norc", "-c", driver, "bash"] + words,
                           input=script if script is not None else self.script(), text=True,
                           capture_output=True, cwd=self.tmp, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        return [w for w in p.stdout.split("\n") if w]

    def test_command_from_its_start(self):
        self.assertEqual(self.complete("sileram rep"), ["report"])
        self.assertEqual(self.complete("sileram comp"), ["completion"])

    def test_every_command_of_help_is_offered(self):
        offered = self.complete("sileram ")
        for name in ["init", "submit", "triage", "impact", "root-cause", "act", "measure", "close",
                     "list", "show", "report", "customer", "export", "backup", "completion"]:
            self.assertIn(name, offered)

    def test_report_names_after_report(self):
        self.assertEqual(self.complete("sileram report "),
                         ["impact", "fields", "funnel", "effect", "customers", "overdue",
                          "response", "recurrence", "trend", "scope", "all"])
        self.assertEqual(self.complete("sileram report fu"), ["funnel"])
        # only the first argument is a report name
        self.assertEqual(self.complete("sileram report funnel "), [])

    def test_options_of_the_command(self):
        self.assertEqual(self.complete("sileram list --st"), ["--state", "--step"])
        self.assertIn("--contacts", self.complete("sileram impact 3 --co"))
        self.assertIn("--db", self.complete("sileram list --d"))

    def test_states_after_state(self):
        self.assertEqual(self.complete("sileram list --state "), STATES)
        self.assertEqual(self.complete("sileram list --state=ro"), ["root-caused"])
        self.assertEqual(self.complete("sileram list --class "), ["high", "medium", "low"])

    def test_global_options_with_a_value_are_skipped_when_finding_the_command(self):
        self.assertEqual(self.complete("sileram --db x.db --as lead report "),
                         ["impact", "fields", "funnel", "effect", "customers", "overdue",
                          "response", "recurrence", "trend", "scope", "all"])
        self.assertEqual(self.complete("sileram --as rep"), [])  # a name, not a command

    def test_files_after_a_file_option(self):
        self.fx.write("signals-2026.db", "")
        self.assertEqual(self.complete("sileram --db signals-"), ["signals-2026.db"])

    def test_configured_field_values(self):
        config = self.fx.write("sileram.toml", '[fields]\nchannel = ["phone", "e-mail", "walk in"]\n')
        script = self.script("--config", config)
        self.assertEqual(self.complete("sileram list --channel ", script),
                         ["phone", "e-mail", "walk in"])
        self.assertIn("--channel", self.complete("sileram report impact --ch", script))

    def test_an_unknown_shell_is_a_usage_error(self):
        code, out, err = self.fx.run("completion", "ksh", db=False)
        self.assertEqual(code, 2, err)
        self.assertIn("ksh", err)
        self.assertEqual(out, "")


class OtherShells(harness.SileramTestCase):

    def check_script(self, shell, parse_command, names):
        script = self.ok("completion", shell, db=False)
        for name in ["report", "list", "completion", "root-cause", "funnel"] + names:
            self.assertIn(name, script, f"{shell} script lacks {name}")
        self.assertIsNotNone(shutil.which(parse_command[0]),
                             f"{parse_command[0]} is missing (debian-packages.txt)")
        path = self.fx.write(f"sileram.{shell}", script)
        p = subprocess.run(parse_command + [path], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, f"{shell} does not parse the script: {p.stderr}")
        return script

    def test_zsh(self):
        script = self.check_script("zsh", ["zsh", "-n"], ["--state", "--db"])
        self.assertTrue(script.startswith("#compdef sileram\n"))

    def test_fish(self):
        script = self.check_script("fish", ["fish", "--no-execute"], ["-l state", "-l db"])
        self.assertIn("complete -c sileram -n '__fish_seen_subcommand_from list' -l state -x -a",
                      script)


if __name__ == "__main__":
    harness.main()
