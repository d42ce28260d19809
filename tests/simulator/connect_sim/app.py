"""Assemble the Flask application: Connect's API, the control plane and the fault layer."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from .auth import authenticate
from .config import SimConfig
from .content_api import content_bp
from .content_permissions_api import content_permissions_bp
from .context import EXTENSION_NAME, SimContext
from .control import control_bp
from .errors import APIError
from .faults import FaultPlan
from .groups_api import groups_bp
from .middleware import API_PREFIX, FaultAndLogMiddleware
from .requestlog import RequestLog
from .settings import settings_bp
from .store import Store
from .users_api import users_bp

log = logging.getLogger("connect_sim")


def _api_blueprint() -> Blueprint:
    """Everything under /__api__ that needs an API key."""
    api = Blueprint("api", __name__, url_prefix=API_PREFIX)
    api.before_request(authenticate)
    api.register_blueprint(users_bp)
    api.register_blueprint(groups_bp)
    api.register_blueprint(content_bp)
    api.register_blueprint(content_permissions_bp)
    return api


def _is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(APIError)
    def api_error(error: APIError):
        return error.to_response()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _is_api_request():
            if error.code in (404, 405):
                # Connect reports unknown paths and unsupported methods alike.
                return APIError(2).to_response()
            return APIError(1, error.description, status=error.code).to_response()
        return jsonify({"error": error.description}), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unexpected error while serving %s %s", request.method, request.path)
        if _is_api_request():
            return APIError(1, f"An internal failure occurred: {error}").to_response()
        return jsonify({"error": f"internal error: {error}"}), 500


def create_app(config: SimConfig | None = None) -> Flask:
    config = config or SimConfig()
    app = Flask("connect_sim")
    app.json.sort_keys = False  # keep Connect's field order, it reads better in logs
    app.json.compact = True
    # Connect answers OPTIONS like any unsupported method (404, code 2); Flask would answer 200.
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    context = SimContext(config=config, store=Store(config), faults=FaultPlan(),
                         requests=RequestLog())
    app.extensions[EXTENSION_NAME] = context
    app.register_blueprint(settings_bp, url_prefix=API_PREFIX)
    app.register_blueprint(_api_blueprint())
    app.register_blueprint(control_bp)
    _register_error_handlers(app)
    app.wsgi_app = FaultAndLogMiddleware(app.wsgi_app, context.faults, context.requests)
    return app
