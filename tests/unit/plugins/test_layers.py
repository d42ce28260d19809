# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The layers of plugins/module_utils (docs/architecture.md): no import runs back up.

Each file of module_utils belongs to a layer; a file may import from its own
layer and the layers below it, never from one above. Inside the HTTP layer the
files are ordered too (errors, retry, transport, responses, client). The test
reads the files as text (their ``from ... import`` lines), so it also sees the
imports of code paths no other test runs.
"""

from __future__ import annotations

import ast
import os

import pytest

PACKAGE = "ansible_collections.posit.connect.plugins."
ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "plugins")

# Lower number = lower layer. A dotted name below plugins/ maps to the first matching prefix.
LAYERS = (
    ("module_utils._http.errors", 0),
    ("module_utils._http.retry", 1),
    ("module_utils._http.transport", 2),
    ("module_utils._http.responses", 3),
    ("module_utils._http.", 4),
    ("module_utils._api.", 10),
    ("module_utils._planning.", 20),
    ("module_utils.", 30),
    ("plugin_utils.", 30),
    ("modules.", 40),
    ("action.", 40),
    ("doc_fragments.", 40),
)


def layer_of(dotted):
    for prefix, rank in LAYERS:
        if dotted.startswith(prefix) or dotted + "." == prefix:
            return rank
    raise AssertionError("{0} is in no layer: add it to LAYERS and to docs/architecture.md".format(dotted))


def plugin_files():
    for folder, _dirs, files in os.walk(ROOT):
        for name in sorted(files):
            if name.endswith(".py") and name != "__init__.py":
                path = os.path.join(folder, name)
                dotted = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                yield dotted, path


def imports_of(path):
    """The collection's own dotted names (below plugins/) that a file imports."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
            module = node.module[len(PACKAGE):]
            for alias in node.names:
                # "from ..._planning import bulk_users" imports a module; "from ...x import Name" a name of x.
                submodule = module + "." + alias.name
                yield submodule if os.path.isfile(os.path.join(ROOT, *submodule.split(".")) + ".py") else module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE):
                    yield alias.name[len(PACKAGE):]


FILES = sorted(plugin_files())


@pytest.mark.parametrize("dotted, path", FILES, ids=[pair[0] for pair in FILES])
def test_no_import_runs_back_up(dotted, path):
    own = layer_of(dotted)
    upward = [name for name in imports_of(path) if layer_of(name) > own]
    assert not upward, "{0} (layer {1}) imports from a higher layer: {2}".format(dotted, own, ", ".join(upward))


def test_the_layers_cover_every_file():
    """A new file lands in a layer (layer_of raises otherwise), and the layers are not empty."""
    ranks = set(layer_of(pair[0]) for pair in FILES)
    assert {0, 4, 10, 20, 30, 40} <= ranks


def test_the_check_sees_an_upward_import(tmp_path):
    """The check itself can fail: an API file importing a planner is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from ansible_collections.posit.connect.plugins.module_utils._planning.plan import Plan\n")
    assert [layer_of(name) for name in imports_of(str(bad))] == [20]
    assert layer_of("module_utils._api.users") < 20
