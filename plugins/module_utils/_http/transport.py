# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sessions whose requests end on time, one per thread.

requests' ``timeout`` bounds each read, not the request: a proxy that sends a
byte every half second keeps a request alive for ever. Here a timer closes the
connection of a request that is still running when its whole time is up, so
``timeout`` bounds the connection, the headers and the body together.

requests does not document a Session as safe to share between threads, so each
thread (connect_users writes from a pool of them) gets its own.
"""

from __future__ import annotations

import socket
import ssl
import threading


try:
    import requests
    import requests.adapters
    import urllib3
    import urllib3.connection
    import urllib3.connectionpool
except ImportError:
    requests = urllib3 = None

_running = threading.local()


class _Watch:
    """The socket a request runs on, shut down when the request's time is up."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sock = None
        self._finished = False
        self.expired = False

    def attach(self, sock):
        if sock is None:
            return
        with self._lock:
            self._sock = sock
            expired = self.expired
        if expired:
            _shut(sock)

    def expire(self):
        with self._lock:
            if self._finished:
                return
            self.expired = True
            sock = self._sock
        if sock is not None:
            _shut(sock)

    def finish(self):
        with self._lock:
            self._finished = True


def _shut(sock):
    try:
        # Wakes up the read blocked on this socket in the requesting thread.
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _watch_socket(sock):
    watch = getattr(_running, "watch", None)
    if watch is not None:
        watch.attach(sock)


def _watched(connection_class):
    # The socket is taken when the connection is made, and again when a kept-alive
    # one is reused: http.client forgets it (sock = None) once a response will close it.
    class WatchedConnection(connection_class):
        def connect(self):
            super().connect()
            _watch_socket(self.sock)

        def request(self, *args, **kwargs):
            _watch_socket(self.sock)
            return super().request(*args, **kwargs)

    return WatchedConnection


if urllib3 is not None:
    class _HTTPPool(urllib3.connectionpool.HTTPConnectionPool):
        ConnectionCls = _watched(urllib3.connection.HTTPConnection)

    class _HTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
        ConnectionCls = _watched(urllib3.connection.HTTPSConnection)

    class _WatchedAdapter(requests.adapters.HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def new_session(auth, headers):
    """A requests Session whose connections the deadline timer can close."""
    session = requests.Session()
    session.auth = auth
    session.headers.update(headers)
    # The auth object keeps a ~/.netrc entry from replacing the key; verify is
    # passed with every request so that REQUESTS_CA_BUNDLE cannot override ca_path.
    adapter = _WatchedAdapter(pool_connections=1, pool_maxsize=1)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class DeadlineExceeded(Exception):
    """A request ran past its whole-request timeout and its connection was closed."""


def send_within(session, timeout, method, url, **kwargs):
    """``session.request`` that ends within ``timeout`` seconds as a whole, or raises."""
    watch = _Watch()
    _running.watch = watch
    timer = threading.Timer(timeout, watch.expire)
    timer.daemon = True
    timer.start()
    try:
        return session.request(method, url, timeout=(timeout, timeout), **kwargs)
    except requests.exceptions.RequestException as exc:
        if watch.expired:
            raise DeadlineExceeded() from exc
        raise
    finally:
        timer.cancel()
        watch.finish()
        _running.watch = None


class ThreadSessions:
    """One Session per thread, made on first use."""

    def __init__(self, factory):
        self._factory = factory
        self._local = threading.local()
        self.pinned = None

    def get(self):
        if self.pinned is not None:
            return self.pinned
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._factory()
        return session


def speaks_tls(host, port, timeout):
    """Whether a TLS handshake with ``host:port`` completes. Certificates are not checked: only the protocol is
    asked, to explain a plain http:// request that a TLS port closed unanswered."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            with context.wrap_socket(sock, server_hostname=host):
                return True
    except (OSError, ValueError):
        return False
