# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of connect_groups: reads ``src`` on the controller (plugin_utils/src_files.py), then runs the module."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._planning.groups import group_entry_spec
from ansible_collections.posit.connect.plugins.plugin_utils.src_files import Layout, SrcAction


class ActionModule(SrcAction):

    entries_option = "groups"
    # One column per entry option of connect_groups, taken from the module's own spec.
    layout = Layout.of_entries(group_entry_spec())
