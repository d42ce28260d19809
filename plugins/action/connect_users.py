# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of connect_users: reads ``src`` on the controller (plugin_utils/src_files.py), then runs the module."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._planning.users import user_entry_spec
from ansible_collections.posit.connect.plugins.plugin_utils.src_files import Layout, SrcAction


class ActionModule(SrcAction):

    entries_option = "users"
    # One column per entry option of connect_users, taken from the module's own spec.
    layout = Layout.of_entries(user_entry_spec())
