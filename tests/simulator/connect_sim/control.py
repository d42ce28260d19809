"""The /__sim__ control plane: seed, reset, inspect state, read the request log, set faults.

Not part of Connect and not authenticated: only tests talk to it.
"""

from __future__ import annotations

import json

from flask import Blueprint, jsonify, request

from .context import sim
from .faults import FaultSpecError
from .seeding import Seeder, SeedError

control_bp = Blueprint("control", __name__, url_prefix="/__sim__")


def bad_request(message: str):
    return jsonify({"error": message}), 400


def request_json():
    """The body as JSON, or None when it is not JSON at all."""
    try:
        return json.loads(request.get_data() or b"null")
    except ValueError:
        return None


@control_bp.get("/health")
def health():
    return jsonify({"status": "ok"})


@control_bp.post("/reset")
def reset():
    context = sim()
    context.store.reset()
    context.faults.clear()
    context.requests.clear()
    return jsonify({"status": "reset"})


@control_bp.post("/seed")
def seed():
    context = sim()
    payload = request_json()
    try:
        created = Seeder(context.store, context.config).seed(payload)
    except SeedError as error:
        return bad_request(f"seed rejected: {error}")
    return jsonify(created)


@control_bp.get("/state")
def state():
    return jsonify(sim().store.state())


@control_bp.get("/requests")
def list_requests():
    return jsonify({"requests": sim().requests.entries()})


@control_bp.delete("/requests")
def clear_requests():
    sim().requests.clear()
    return "", 204


@control_bp.get("/faults")
def get_faults():
    return jsonify(sim().faults.to_json())


@control_bp.put("/faults")
def set_faults():
    try:
        sim().faults.replace(request_json())
    except FaultSpecError as error:
        return bad_request(f"fault plan rejected: {error}")
    return jsonify(sim().faults.to_json())


@control_bp.delete("/faults")
def clear_faults():
    sim().faults.clear()
    return "", 204
