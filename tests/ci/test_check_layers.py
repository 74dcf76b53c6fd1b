"""The layer check (.ci/check-layers) on small fake trees: it passes a tree whose includes point
down the layers and fails, naming file, line and layers, one with an include that points up or
sideways. Usage: python3 tests/ci/test_check_layers.py"""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".ci",
                      "check-layers")


def make_tree(root, files):
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


GOOD = {
    "include/sileram/errors.hpp": "#pragma once\n",
    "include/sileram/domain/signal.hpp": '#pragma once\n#include "sileram/errors.hpp"\n',
    "include/sileram/storage/store.hpp": '#include "sileram/domain/signal.hpp"\n',
    "src/storage/sqlite/connection.hpp": "#pragma once\n",
    "src/storage/sqlite/store.cpp": '#include "connection.hpp"\n#include <sqlite3.h>\n',
    "src/commands/submit.cpp": '#include "sileram/storage/store.hpp"\n'
                               '#include "sileram/mail/message.hpp"\n',
    "src/main.cpp": '#include "sileram/cli/app.hpp"\n',
}


class CheckLayers(unittest.TestCase):
    def run_on(self, files):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root, files)
            p = subprocess.run([sys.executable, SCRIPT, root], capture_output=True, text=True)
        return p.returncode, p.stderr

    def test_a_tree_whose_includes_point_down_passes(self):
        self.assertEqual(self.run_on(GOOD), (0, ""))

    def test_an_include_against_the_order_fails_and_names_file_and_line(self):
        bad = dict(GOOD)
        bad["src/domain/steps.cpp"] = ('#include "sileram/domain/signal.hpp"\n'
                                       '#include "sileram/commands/session.hpp"\n')
        rc, err = self.run_on(bad)
        self.assertEqual(rc, 1)
        self.assertIn("src/domain/steps.cpp:2: domain includes sileram/commands/session.hpp "
                      "of the layer commands", err)

    def test_an_include_beside_the_layer_and_from_a_header_fails(self):
        bad = dict(GOOD)
        bad["include/sileram/output/table.hpp"] = "#include <sileram/storage/store.hpp>\n"
        rc, err = self.run_on(bad)
        self.assertEqual(rc, 1)
        self.assertIn("include/sileram/output/table.hpp:1: output includes", err)

    def test_a_relative_include_into_a_higher_layer_fails(self):
        bad = dict(GOOD)
        bad["src/commands/common.hpp"] = "#pragma once\n"
        bad["src/storage/sqlite/store.cpp"] = '#include "../../commands/common.hpp"\n'
        rc, err = self.run_on(bad)
        self.assertEqual(rc, 1)
        self.assertIn("src/storage/sqlite/store.cpp:1: storage includes", err)


if __name__ == "__main__":
    unittest.main()
