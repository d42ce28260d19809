# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""timeout bounds a whole request: a server that trickles its answer or never answers is cut off on time."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from ansible_collections.posit.connect.plugins.module_utils._http.client import ConnectClient, RetryPolicy
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError


class SlowServer:
    """A local socket server that sends its headers and then one body byte every ``interval`` seconds,
    or (``silent``) accepts and never answers."""

    def __init__(self, silent=False, interval=0.2):
        self.silent = silent
        self.interval = interval
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, unused_address = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            conn.recv(65536)
            if not self.silent:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            while not self.stop.is_set():
                if not self.silent:
                    conn.sendall(b" ")
                time.sleep(self.interval)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()


@pytest.fixture
def slow_server(request):
    server = SlowServer(**getattr(request, "param", {}))
    yield server
    server.close()


def failure_within(seconds, call):
    """The ConnectError ``call`` raises, which must come within ``seconds`` (the test fails, not hangs, otherwise)."""
    outcome = []

    def attempt():
        try:
            call()
            outcome.append(None)
        except ConnectError as error:
            outcome.append(error)

    started = time.monotonic()
    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the request was still running after %s seconds" % seconds
    assert outcome and outcome[0] is not None, "the request succeeded"
    return outcome[0], time.monotonic() - started


def _client(url, timeout):
    return ConnectClient(url, "k3y", timeout=timeout, retry_policy=RetryPolicy(retries=0))


def test_a_trickled_body_ends_within_the_timeout(slow_server):
    client = _client(slow_server.url, timeout=1.5)
    error, elapsed = failure_within(4.0, lambda: client.get("/v1/users"))
    assert elapsed >= 1.4
    assert "did not answer within" in error.message and "1.5 seconds" in error.message


@pytest.mark.parametrize("slow_server", [{"silent": True}], indirect=True)
def test_a_server_that_never_answers_ends_within_the_timeout(slow_server):
    client = _client(slow_server.url, timeout=1.0)
    error, unused_elapsed = failure_within(3.5, lambda: client.get("/v1/users"))
    assert "did not answer within" in error.message


def test_retries_of_a_trickled_request_stay_within_retry_max_time(slow_server):
    client = ConnectClient(slow_server.url, "k3y", timeout=1.0, retry_policy=RetryPolicy(retries=5, max_time=1.5))
    # Each attempt is cut at 1 s; the waiting between attempts is bounded by retry_max_time.
    error, elapsed = failure_within(15.0, lambda: client.get("/v1/users"))
    assert elapsed < 1.0 * slow_server.connections + 1.5 + 2.0
    assert "did not answer within" in error.message


def test_the_session_works_again_after_a_cut_request(slow_server):
    client = _client(slow_server.url, timeout=1.0)
    for unused in range(2):
        error, unused_elapsed = failure_within(3.5, lambda: client.get("/v1/users"))
        assert "did not answer within" in error.message
    assert slow_server.connections == 2
