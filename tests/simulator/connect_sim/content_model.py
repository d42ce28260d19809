"""Content items and their permission entries, and the JSON shapes Connect gives them.

The item's keys and their order follow a recorded answer of GET /v1/content/{guid}
(posit-sdk-py's tests/posit/connect/__api__/v1/content/<guid>.json); its numeric
``id`` (and ``bundle_id``) are strings there, and so are permission ids. Nothing is
ever deployed to the simulator, so the runtime settings stay null and ``app_mode``
stays ``unknown`` unless a seed says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACCESS_TYPES = ("all", "logged_in", "acl")
# access types under which every logged-in account may view an item
OPEN_ACCESS_TYPES = ("all", "logged_in")
PRINCIPAL_TYPES = ("user", "group")
# Connect's permission role "owner" is what the dashboard calls a collaborator.
PERMISSION_ROLES = ("viewer", "owner")
# A caller's relation to an item (the app_role field), strongest first.
APP_ROLES = ("owner", "editor", "viewer", "none")

# Settings a deployment or an administrator sets; null until then (2023.09 spec, Content).
_RUNTIME_BEFORE_TIMES = (
    "connection_timeout", "read_timeout", "init_timeout", "idle_timeout", "max_processes",
    "min_processes", "max_conns_per_process", "load_factor", "memory_request", "memory_limit",
    "cpu_request", "cpu_limit", "amd_gpu_limit", "nvidia_gpu_limit", "service_account_name",
    "default_image_name",
)
_RUNTIME_AFTER_CATEGORY = (
    "cluster_name", "image_name", "r_version", "py_version", "quarto_version",
    "r_environment_management", "default_r_environment_management",
    "py_environment_management", "default_py_environment_management", "run_as",
)


@dataclass(slots=True, eq=False)
class Permission:
    id: int
    content_guid: str
    principal_guid: str
    principal_type: str  # user | group
    role: str  # viewer | owner

    def to_json(self) -> dict:
        return {"id": str(self.id), "content_guid": self.content_guid,
                "principal_guid": self.principal_guid, "principal_type": self.principal_type,
                "role": self.role}


@dataclass(slots=True, eq=False)
class Content:
    guid: str
    name: str
    owner_guid: str
    title: str | None = None
    description: str = ""
    access_type: str = "acl"
    created_time: str = ""
    last_deployed_time: str | None = None
    bundle_id: str | None = None
    app_mode: str = "unknown"
    content_category: str = ""
    id: int = 0  # given by the store when the item is added
    # principal guid -> its entry; the owner never has one (Connect does not list the owner)
    grants: dict[str, Permission] = field(default_factory=dict)

    def permissions(self) -> list[Permission]:
        return sorted(self.grants.values(), key=lambda permission: permission.id)

    def to_json(self, base_url: str, app_role: str) -> dict:
        data = {"guid": self.guid, "name": self.name, "title": self.title,
                "description": self.description, "access_type": self.access_type}
        data.update(dict.fromkeys(_RUNTIME_BEFORE_TIMES))
        data.update({
            "created_time": self.created_time, "last_deployed_time": self.last_deployed_time,
            "bundle_id": self.bundle_id, "app_mode": self.app_mode,
            "content_category": self.content_category, "parameterized": False,
        })
        data.update(dict.fromkeys(_RUNTIME_AFTER_CATEGORY))
        data.update({
            "run_as_current_user": False, "owner_guid": self.owner_guid,
            "content_url": f"{base_url}/content/{self.guid}/",
            "dashboard_url": f"{base_url}/connect/#/apps/{self.guid}",
            "app_role": app_role, "id": str(self.id),
        })
        return data


def owner_json(user) -> dict:
    """What ``include=owner`` adds to an item."""
    return {"guid": user.guid, "username": user.username, "first_name": user.first_name,
            "last_name": user.last_name}
