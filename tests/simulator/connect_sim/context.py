"""Where request handlers find the simulator's shared objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from .config import SimConfig
    from .faults import FaultPlan
    from .requestlog import RequestLog
    from .store import Store

EXTENSION_NAME = "connect_sim"


@dataclass
class SimContext:
    config: "SimConfig"
    store: "Store"
    faults: "FaultPlan"
    requests: "RequestLog"


def sim() -> SimContext:
    return current_app.extensions[EXTENSION_NAME]


def user_json(user) -> dict:
    """A user as this server version shows it."""
    return user.to_json(sim().config.new_fields)


def group_json(group) -> dict:
    """A group as this server version shows it."""
    return group.to_json(sim().config.new_fields)
