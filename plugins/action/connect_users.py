# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of connect_users: reads ``src`` on the controller (plugin_utils/src_files.py), then runs the module."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.plugin_utils.src_files import Layout, SrcAction


class ActionModule(SrcAction):

    entries_option = "users"
    # The entry options (users.py's user_argument_spec and groups), in the order a CSV header usually lists them.
    layout = Layout(("username", "guid", "state", "email", "first_name", "last_name", "user_role", "password",
                     "user_must_set_password", "unique_id", "force", "groups"), list_columns=("groups",))
