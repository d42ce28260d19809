"""GET /__api__/server_settings: the version and what the auth provider can do.

Clients (posit-sdk, rsconnect, our Ansible modules) read ``version`` to pick
behaviour and the ``authentication`` flags to learn how users and groups are
managed. The flag meanings are inferred from their names.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from .config import SimConfig
from .context import sim
from .validation import PROHIBITED_USERNAMES

settings_bp = Blueprint("settings", __name__)

# What each provider does itself, before the --google / --group-provisioning tweaks.
# handles_credentials/handles_login: Connect shows its own login form.
# external_user_data/id: names, e-mail and identity come from the provider.
PROVIDER_FLAGS = {
    "password": dict(handles_credentials=True, handles_login=True,
                     external_user_data=False, external_user_id=False),
    "pam": dict(handles_credentials=True, handles_login=True,
                external_user_data=False, external_user_id=False),
    "ldap": dict(handles_credentials=True, handles_login=True,
                 external_user_data=True, external_user_id=True),
    "saml": dict(handles_credentials=False, handles_login=False,
                 external_user_data=True, external_user_id=True),
    "oauth2": dict(handles_credentials=False, handles_login=False,
                   external_user_data=True, external_user_id=True),
    "proxy": dict(handles_credentials=False, handles_login=False,
                  external_user_data=True, external_user_id=True),
}


# authentication.name is a display name on real servers: "Posit Connect" on a 2023.11
# password server (rsconnect-python's recorded server_settings), "LDAP" on connectapi's
# LDAP test server. The other names are guesses. Clients should read the flags instead.
DISPLAY_NAMES = {
    "password": "Posit Connect", "pam": "PAM", "ldap": "LDAP", "saml": "SAML",
    "oauth2": "OAuth2", "proxy": "Proxy",
}


def authentication_block(config: SimConfig) -> dict:
    provider_groups = config.provider_supplies_group_members
    block = {
        **PROVIDER_FLAGS[config.provider],
        "challenge_response_enabled": False,
        "external_user_search": config.remote_user_search,
        "groups_enabled": True,
        "external_group_search": config.ldap,
        "external_group_members": provider_groups,
        "external_group_id": provider_groups,
        "external_group_owner": provider_groups,
        "unique_usernames": True,
        "name_editable_by": "adminandself",
        "email_editable_by": "adminandself",
        # adminandself on a real password server; the other providers' value is a guess.
        "username_editable_by": "adminandself" if config.users_rename_themselves else "admin",
        "role_editable_by": "adminandself",
        "name": DISPLAY_NAMES[config.provider],
        "notice": "",
        "warning_delay": 10,
    }
    return block


def server_settings(config: SimConfig) -> dict:
    if config.version == "hidden":
        return {}
    return {
        "hostname": "connect-sim",
        "version": config.version,
        "build": f"v{config.version}-sim",
        "about": f"Posit Connect v{config.version} (simulated)",
        "authentication": authentication_block(config),
        "prohibited_usernames": list(PROHIBITED_USERNAMES),
        "username_validator": "default",
        "viewers_can_only_see_themselves": False,
        "self_registration": False,
        "runtimes": ["R", "Python", "Quarto"],
    }


@settings_bp.get("/server_settings")
def get_server_settings():
    # Connect serves this without a key (its login page needs it).
    return jsonify(server_settings(sim().config))
