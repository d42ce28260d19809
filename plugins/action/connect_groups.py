# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of connect_groups: reads ``src`` on the controller (plugin_utils/src_files.py), then runs the module."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.plugin_utils.src_files import Layout, SrcAction


class ActionModule(SrcAction):

    entries_option = "groups"
    # The entry options of connect_groups (GROUP_OPTIONS), in the order a CSV header usually lists them.
    layout = Layout(("name", "guid", "state", "owner", "members"), list_columns=("members",))
