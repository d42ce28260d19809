"""Checks shared by the parts of a seed: lists of objects, strings, flags, each error located."""

from __future__ import annotations


class SeedError(ValueError):
    """The control plane answers 400 with this message."""


def listed(payload: dict, name: str) -> list:
    value = payload.get(name, [])
    if not isinstance(value, list):
        raise SeedError(f"{name} must be a list")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise SeedError(f"{name}[{index}] must be an object")
    return value


def text(spec: dict, name: str, where: str, required: bool = False, default=""):
    value = spec.get(name)
    if value is None:
        if required:
            raise SeedError(f"{where}: {name} is required")
        return default
    if not isinstance(value, str) or (required and value == ""):
        raise SeedError(f"{where}: {name} must be a non-empty string" if required
                        else f"{where}: {name} must be a string")
    return value


def flag(spec: dict, name: str, where: str, default: bool) -> bool:
    value = spec.get(name, default)
    if not isinstance(value, bool):
        raise SeedError(f"{where}: {name} must be true or false")
    return value
