"""Start-up options of one simulated Connect server, and the version rules they imply."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

PROVIDERS = ("password", "ldap", "saml", "oauth2", "pam", "proxy")
VERSIONS = ("2026.01.0", "2025.04.0", "2024.08.0", "2023.09.0", "2022.10.0", "hidden")
DEFAULT_VERSION = "2025.04.0"
# A server that hides its version still has to behave like *some* release.
HIDDEN_VERSION_BEHAVES_AS = "2024.08.0"
# How GET /v1/groups/{guid}/members answers: in pages like /v1/users, or every member at once.
MEMBER_LISTINGS = ("paged", "all")
# Providers whose groups may carry the provider's unique id (with GroupsByUniqueId on).
GROUP_UNIQUE_ID_PROVIDERS = ("saml", "oauth2", "proxy")
# Authorization.DefaultUserRole: viewer (Connect's default) or publisher, never administrator.
DEFAULT_USER_ROLES = ("viewer", "publisher")


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class SimConfig:
    provider: str = "password"
    google: bool = False
    version: str = DEFAULT_VERSION
    admin_key: str = field(default_factory=lambda: secrets.token_hex(16))
    username_case: str = "sensitive"
    group_provisioning: bool = False
    publishers_can_own_groups: bool = False
    groups_by_unique_id: bool = False
    member_listing: str = "paged"
    default_user_role: str = "viewer"

    def __post_init__(self) -> None:
        if self.provider not in PROVIDERS:
            raise ValueError(f"unknown provider {self.provider!r}")
        if self.version not in VERSIONS:
            raise ValueError(f"unknown version {self.version!r}")
        if self.username_case not in ("sensitive", "insensitive"):
            raise ValueError(f"unknown username case mode {self.username_case!r}")
        if self.member_listing not in MEMBER_LISTINGS:
            raise ValueError(f"unknown member listing mode {self.member_listing!r}")
        if self.default_user_role not in DEFAULT_USER_ROLES:
            raise ValueError(f"the default user role must be viewer or publisher, "
                             f"not {self.default_user_role!r}")
        if self.groups_by_unique_id and self.provider not in GROUP_UNIQUE_ID_PROVIDERS:
            raise ValueError("--groups-by-unique-id needs the saml, oauth2 or proxy provider")

    # -- provider capabilities -------------------------------------------------

    @property
    def remote_user_search(self) -> bool:
        """Users come from a searchable directory and are created with a ticket."""
        return self.provider == "ldap" or (self.provider == "oauth2" and self.google)

    @property
    def ldap(self) -> bool:
        return self.provider == "ldap"

    @property
    def unique_id_required(self) -> bool:
        return self.provider == "saml" or (self.provider == "oauth2" and not self.google)

    @property
    def provider_supplies_group_members(self) -> bool:
        return self.ldap or self.group_provisioning

    # -- version rules ---------------------------------------------------------

    @property
    def effective_version(self) -> str:
        return HIDDEN_VERSION_BEHAVES_AS if self.version == "hidden" else self.version

    def at_least(self, version: str) -> bool:
        return _version_tuple(self.effective_version) >= _version_tuple(version)

    @property
    def prefix_search_paginates(self) -> bool:
        # Before 2025.04.0 a search with a prefix always answered page 1.
        return self.at_least("2025.04.0")

    @property
    def later_prefix_pages_empty(self) -> bool:
        # Before 2025.04.0, page 2+ of a user prefix search came back empty (groups
        # repeated page 1): posit-dev/connectapi PR #326, tested against real servers.
        return not self.prefix_search_paginates

    @property
    def new_fields(self) -> bool:
        # Users' external_id and groups' gid: connectapi R/ptype.R, 2026 commits.
        return self.at_least("2026.01.0")

    @property
    def self_lock_allowed(self) -> bool:
        # The 2020-era docs forbid locking yourself; 2023.09 docs allow it.
        return self.at_least("2023.09.0")

    @property
    def users_rename_themselves(self) -> bool:
        """username_editable_by is adminandself: a real 2023.11 password server says so."""
        return self.provider == "password"

    def normalize_username(self, username: str) -> str:
        """Key used for username uniqueness checks."""
        return username.casefold() if self.username_case == "insensitive" else username
