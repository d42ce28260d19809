"""WSGI layer in front of Flask: logs every /__api__ call and applies injected faults.

It sits outside Flask on purpose: a dropped connection must never reach Flask's
error handling (which would turn it into a 500), and a "before_commit" drop must
not run the view at all.
"""

from __future__ import annotations

import json
import socket
import time
from http import HTTPStatus

from .faults import FaultPlan
from .requestlog import RequestLog

API_PREFIX = "/__api__"
# Recorded as the status of a call whose connection was dropped (no answer was sent).
NO_RESPONSE = 0


class SimulatedDisconnect(ConnectionAbortedError):
    """Werkzeug treats ConnectionError from the app as "client went away" and sends nothing."""


def drop_connection(environ) -> None:
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise SimulatedDisconnect("connection dropped by a simulator fault rule")


def status_reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def fault_response(status: int, retry_after, start_response) -> list[bytes]:
    reason = status_reason(status)
    body = json.dumps({"code": 1, "error": f"Simulated fault: HTTP {status} {reason}.",
                       "payload": None}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if retry_after is not None:
        # Whole seconds print as "1", not "1.0", as clients parse an integer.
        seconds = int(retry_after) if float(retry_after).is_integer() else retry_after
        headers.append(("Retry-After", str(seconds)))
    start_response(f"{status} {reason}", headers)
    return [body]


class FaultAndLogMiddleware:
    def __init__(self, app, faults: FaultPlan, log: RequestLog) -> None:
        self.app = app
        self.faults = faults
        self.log = log

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
            return self.app(environ, start_response)
        return self._api_call(environ, start_response, path)

    def _api_call(self, environ, start_response, path):
        began = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET")
        entry = self.log.start(method, path, environ.get("QUERY_STRING", ""))
        decision = self.faults.decide(method, path[len(API_PREFIX):] or "/")
        if decision.delay_ms:
            time.sleep(decision.delay_ms / 1000)

        def elapsed_ms() -> float:
            return (time.perf_counter() - began) * 1000

        if decision.drop == "before_commit":
            self.log.finish(entry, NO_RESPONSE, elapsed_ms(), fault="drop_before_commit")
            drop_connection(environ)
        if decision.status is not None:
            self.log.finish(entry, decision.status, elapsed_ms(), fault="status")
            return fault_response(decision.status, decision.retry_after, start_response)

        captured = {}

        def recording_start_response(status, headers, exc_info=None):
            captured["status"] = int(status.split(" ", 1)[0])
            if decision.drop:
                return lambda data: None  # nothing may reach the client
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start_response)
        if decision.drop == "after_commit":
            # The view already ran (Flask executes it before returning the body),
            # so the change is kept; only the answer is lost.
            body_closer = getattr(result, "close", None)
            if body_closer:
                body_closer()
            self.log.finish(entry, NO_RESPONSE, elapsed_ms(), fault="drop_after_commit")
            drop_connection(environ)
        self.log.finish(entry, captured.get("status", NO_RESPONSE), elapsed_ms())
        return result
