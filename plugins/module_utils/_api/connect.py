# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One Connect server as planners see it: its users, its groups, its content and the facts it publishes."""

from __future__ import annotations

from ansible_collections.posit.connect.plugins.module_utils._api.content import ContentApi
from ansible_collections.posit.connect.plugins.module_utils._api.groups import GroupsApi
from ansible_collections.posit.connect.plugins.module_utils._api.server_facts import ServerFacts
from ansible_collections.posit.connect.plugins.module_utils._api.users import UsersApi


class ConnectApi:
    """The resources of one server, over one client."""

    def __init__(self, client):
        self.client = client
        self.users = UsersApi(client)
        self.groups = GroupsApi(client)
        self.content = ContentApi(client)
        self.facts = ServerFacts(client, self.users)
