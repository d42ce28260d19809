# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small HTTP server that misbehaves on purpose, for the boundary suite.

One ``Front`` is one server on a loopback address and a free port, with one
behaviour (its mode) for every request: redirect, HTML, plain text, JSON of
the wrong shape, a trickled answer, a 404 page, or a pass-through to a real
simulator (optionally redirecting writes). Every request is recorded (method,
path, arrival time and what was answered) so a test can prove what the client
sent, and what it did not send, after a bad answer.

It only ever binds loopback addresses, every handler loop is bounded, and the
threads are daemons: a test that forgets to stop a Front cannot hang pytest.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LOGIN_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n"
              b"<body><form method=\"post\" action=\"/login\"><input name=\"username\">"
              b"<input name=\"password\" type=\"password\"></form></body></html>\n")
NOT_FOUND_PAGE = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
                  b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n")
PLAIN_TEXT = b"OK\nThis is not the API you are looking for.\n"

# A trickle sends at most this many bytes (one every TRICKLE_INTERVAL seconds), then hangs up:
# about 20 s, long enough to outlast any sane timeout and short enough to end on its own.
TRICKLE_BYTES = 40
TRICKLE_INTERVAL = 0.5
# An idle keep-alive connection is closed after this many seconds, so handler threads end.
IDLE_SECONDS = 10
# Pass-through calls to the upstream simulator give up after this many seconds.
UPSTREAM_TIMEOUT = 30
# Headers that describe one hop, not the message, and are not passed through.
HOP_HEADERS = frozenset(["connection", "keep-alive", "transfer-encoding", "content-length", "host"])

MODES = ("redirect", "redirect_writes", "proxy", "html", "text", "json", "trickle_body",
         "trickle_headers", "not_connect")
WRITE_METHODS = frozenset(["POST", "PUT", "PATCH", "DELETE"])


class Front:
    """One misbehaving server. Use as a context manager, or start() and stop().

    Options by mode:

    * redirect: ``status`` (3xx), ``target`` (scheme://host:port the Location points at;
      the request's path, without its query, is appended).
    * redirect_writes: as redirect for writes; reads are passed to ``upstream``.
    * proxy: every request is passed to ``upstream`` (a simulator URL) and its answer returned.
    * json: ``body``, a JSON value or a callable(path) returning one.
    * html, text, not_connect, trickle_body, trickle_headers: nothing.
    """

    def __init__(self, mode, host="127.0.0.1", **options):
        if mode not in MODES:
            raise ValueError("unknown mode {0!r}; one of {1}".format(mode, ", ".join(MODES)))
        # A test server must never be reachable from another machine.
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError("a Front only binds loopback addresses, not {0}".format(host))
        self.mode = mode
        self.options = options
        self._lock = threading.Lock()
        self._requests = []
        self._server = ThreadingHTTPServer((host, 0), _Handler)
        self._server.daemon_threads = True
        self._server.front = self
        self.host = host
        self.port = self._server.server_address[1]
        self.url = "http://{0}:{1}".format(host, self.port)
        self._thread = None

    # -- life cycle ------------------------------------------------------------------

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="front-" + self.mode, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *unused):
        self.stop()

    # -- the record ------------------------------------------------------------------

    def note(self, method, path):
        """Record a request on arrival; the entry is completed by ``answered``."""
        entry = {"method": method, "path": path, "time": time.monotonic(), "status": None, "location": None}
        with self._lock:
            self._requests.append(entry)
        return entry

    def answered(self, entry, status, location=None):
        with self._lock:
            entry["status"] = status
            entry["location"] = location

    @property
    def requests(self):
        """Every request received so far, in arrival order (copies)."""
        with self._lock:
            return [dict(entry) for entry in self._requests]

    def clear(self):
        with self._lock:
            del self._requests[:]

    def locations(self):
        """The Location headers this server answered with."""
        return [entry["location"] for entry in self.requests if entry["location"]]


class _Handler(BaseHTTPRequestHandler):
    """Dispatches every method to the Front's mode."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS
    server_version = "misbehaving/1"

    def log_message(self, *unused):
        """Quiet: pytest output is for failures, not for access logs."""

    @property
    def front(self):
        return self.server.front

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self):
        body = self._body()
        entry = self.front.note(self.command, self.path)
        answer = getattr(self, "_mode_" + self.front.mode)
        try:
            answer(entry, body)
        except OSError:
            # The client hung up (as it should on a trickle), or the upstream did: nothing more to say.
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    # -- plain answers ---------------------------------------------------------------

    def _send(self, entry, status, content_type, payload, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        self.front.answered(entry, status, dict(headers).get("Location"))

    def _redirect(self, entry):
        options = self.front.options
        location = options["target"].rstrip("/") + urlsplit(self.path).path
        message = json.dumps({"moved": location}).encode()
        self._send(entry, options.get("status", 302), "application/json", message, [("Location", location)])

    def _mode_redirect(self, entry, unused_body):
        self._redirect(entry)

    def _mode_html(self, entry, unused_body):
        self._send(entry, 200, "text/html; charset=utf-8", LOGIN_PAGE)

    def _mode_text(self, entry, unused_body):
        self._send(entry, 200, "text/plain; charset=utf-8", PLAIN_TEXT)

    def _mode_not_connect(self, entry, unused_body):
        self._send(entry, 404, "text/html; charset=utf-8", NOT_FOUND_PAGE)

    def _mode_json(self, entry, unused_body):
        body = self.front.options["body"]
        value = body(urlsplit(self.path).path) if callable(body) else body
        self._send(entry, 200, "application/json", json.dumps(value).encode())

    # -- slow answers ----------------------------------------------------------------

    def _trickle(self, entry, data):
        """Send ``data`` one byte at a time, at most TRICKLE_BYTES of it, then hang up."""
        self.front.answered(entry, 200)
        for byte in data[:TRICKLE_BYTES]:
            self.wfile.write(bytes([byte]))
            time.sleep(TRICKLE_INTERVAL)
        self.close_connection = True

    def _mode_trickle_body(self, entry, unused_body):
        # Quick headers that promise far more than will ever come.
        payload = json.dumps({"results": [], "total": 0, "padding": " " * 4000}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self._trickle(entry, payload)

    def _mode_trickle_headers(self, entry, unused_body):
        # Even the status line comes slowly; the blank line ending the headers never comes.
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " + b"z" * 200
        self._trickle(entry, head)

    # -- pass-through ----------------------------------------------------------------

    def _mode_proxy(self, entry, body):
        self._forward(entry, body)

    def _mode_redirect_writes(self, entry, body):
        if self.command in WRITE_METHODS:
            self._redirect(entry)
        else:
            self._forward(entry, body)

    def _forward(self, entry, body):
        upstream = urlsplit(self.front.options["upstream"])
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=UPSTREAM_TIMEOUT)
        try:
            headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in HOP_HEADERS)
            connection.request(self.command, self.path, body=body or None, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            passed = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_HEADERS]
        finally:
            connection.close()
        self.send_response(response.status)
        for name, value in passed:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        self.front.answered(entry, response.status, response.getheader("Location"))
