# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules are one family: what they share is documented and shaped the same way.

ansible-core's doc fragments cannot carry RETURN, so the shared return values
(status, code, operations) are written in each module and held equal here.
"""

from __future__ import annotations

import ast
import os

import pytest
import yaml

MODULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "modules")
MODULES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.startswith("connect_") and name.endswith(".py"))


def docs_of(module):
    """The module's DOCUMENTATION and RETURN, parsed as ansible-doc would."""
    with open(os.path.join(MODULES_DIR, module + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    strings = dict((node.targets[0].id, node.value.value) for node in tree.body
                   if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                   and node.targets[0].id in ("DOCUMENTATION", "RETURN"))
    return yaml.safe_load(strings["DOCUMENTATION"]), yaml.safe_load(strings["RETURN"]) or {}


def test_there_are_modules_to_compare():
    assert len(MODULES) >= 7


@pytest.mark.parametrize("key", ["status", "code"])
def test_failure_values_are_documented_alike_everywhere(key):
    documented = dict((module, docs_of(module)[1].get(key)) for module in MODULES)
    missing = [module for module, doc in documented.items() if doc is None]
    assert not missing, "{0} not documented in {1}".format(key, ", ".join(missing))
    first = documented[MODULES[0]]
    differing = [module for module, doc in documented.items() if doc != first]
    assert not differing, "{0} is documented differently in {1}".format(key, ", ".join(differing))


def test_operations_have_one_shape_in_every_module_that_writes():
    shapes = {}
    for module in MODULES:
        operations = docs_of(module)[1].get("operations")
        if operations is None:
            assert module.endswith("_info"), "{0} writes but does not document operations".format(module)
            continue
        assert (operations["type"], operations["elements"], operations["returned"]) == ("list", "dict", "always")
        shapes[module] = operations["contains"]
    first = next(iter(shapes.values()))
    assert [module for module, shape in shapes.items() if shape != first] == []
