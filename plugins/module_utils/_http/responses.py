# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a server answered, checked before anything else sees it.

Connect's API answers JSON and never redirects. Anything else (a redirect, an
SSO login page, a proxy's error page, JSON of another shape) means the request
did not reach Connect, so it is refused here in one sentence that names the
server, instead of being taken for a success or crashing a planner.
"""

from __future__ import annotations

import re
import socket
import ssl
from urllib.parse import urljoin, urlsplit

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError, present
from ansible_collections.posit.connect.plugins.module_utils._http.transport import DeadlineExceeded

try:
    import requests.exceptions
    import urllib3.exceptions
except ImportError:
    requests = urllib3 = None


class NotConnectAnswer(ConnectError):
    """An answer that did not come from Connect's API (never retried, never tolerated).

    Its HTTP status is kept apart from ``status``, so that no caller takes a
    proxy's 404 for "no such user" or its 409 for "already there".
    """

    # A bulk run sends nothing more after such an answer (see plan.apply_each).
    ends_the_run = True

    def __init__(self, message, status=None, **kwargs):
        super().__init__(message, **kwargs)
        self.http_status = status

    def to_result(self):
        return present(status=self.http_status)


def _where(server_url, method, path):
    return "{0} answered {1} {2}".format(server_url, method, path)


# -- redirects -------------------------------------------------------------------


def refuse_redirect(response, server_url, method, path):
    """Fail on a 3xx: following it would turn writes into reads or send the key elsewhere."""
    location = response.headers.get("Location") or ""
    target = urljoin(response.url or server_url + "/", location) if location else "an unnamed address"
    hint = "check url"
    here, there = urlsplit(server_url), urlsplit(target)
    if location and here.scheme == "http" and there.scheme == "https" and here.hostname == there.hostname:
        hint = "set url to https://{0}".format(there.netloc) + _server_path(here.path)
    raise NotConnectAnswer(
        "The server at {0} redirected {1} {2} to {3} (HTTP {4}); Connect's API does not redirect, so nothing was "
        "sent there: {5}.".format(server_url, method, path, _without_query(target), response.status_code, hint),
        status=response.status_code, method=method, path=path)


def _server_path(path):
    return path.rstrip("/") if path and path != "/" else ""


def _without_query(url):
    """A Location without its query: a login portal's query can carry tokens."""
    return url.split("?", 1)[0].split("#", 1)[0]


# -- bodies ----------------------------------------------------------------------


def _looks_like_html(response):
    content_type = (response.headers.get("Content-Type") or "").lower()
    start = response.content[:512].lstrip().lower()
    return "html" in content_type or start.startswith(b"<!doctype") or start.startswith(b"<html") or start.startswith(b"<")


def json_body(response, server_url, method, path):
    """The JSON of a successful answer; None for an empty body (lock, delete, member calls)."""
    if not response.content or not response.content.strip():
        return None
    try:
        return response.json()
    except ValueError:
        pass
    if _looks_like_html(response):
        what = "an HTML page (a login page or a proxy may be in the way)"
    else:
        what = "text that is not JSON"
    raise NotConnectAnswer("{0} with HTTP {1} and {2}, not Connect's JSON API; check url.".format(
        _where(server_url, method, path), response.status_code, what), status=response.status_code, method=method, path=path)


# Statuses some callers take as a normal outcome (404: already gone, 409: already there).
TOLERATED_BY_CALLERS = (404, 409)

# Paths every Connect server serves: a 404 there means url does not point where Connect answers.
ALWAYS_SERVED = ("/server_settings", "/v1/user", "/v1/users", "/v1/groups")

# What web servers answer a plain HTTP request on a TLS port (Go's net/http, which Connect uses; nginx).
_PLAIN_TO_TLS = re.compile(r"HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port", re.I)


def https_url(server_url):
    """The https:// form of an http:// server url (same host, port and path)."""
    return "https://" + server_url.split("://", 1)[1]


def plain_http_to_tls(server_url):
    """The cause, in words, of sending plain HTTP to a port that speaks TLS."""
    return "{0} speaks TLS (https) on that port, not plain HTTP; use {1}".format(server_url, https_url(server_url))


def _refuse_plain_http_to_tls(response, server_url, method, path):
    """A TLS port's answer to a plain HTTP request (Go's and nginx's 400): say to use https://."""
    if response.status_code == 400 and server_url.startswith("http://") and _PLAIN_TO_TLS.search(response.text or ""):
        raise NotConnectAnswer("Connect request {0} {1} failed: {2}.".format(method, path, plain_http_to_tls(server_url)),
                               status=400, method=method, path=path)


def _refuse_missed_api(response, server_url, method, path):
    """Connect's 404 for a path every Connect server serves: the url has a path Connect is not served under."""
    if response.status_code == 404 and path in ALWAYS_SERVED:
        raise NotConnectAnswer(
            "The server answered HTTP 404 to {0} {1}/__api__{2}, an address every Connect server serves, so Connect "
            "is not served at url {1}; check url: the server's address, with a path only where Connect is served "
            "under one.".format(method, server_url, path), status=404, method=method, path=path)


def error_from_response(response, server_url, method, path, attempts):
    """The ConnectError for a 4xx or 5xx answer."""
    _refuse_plain_http_to_tls(response, server_url, method, path)
    code = error = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and ("code" in body or "error" in body):
        _refuse_missed_api(response, server_url, method, path)
        code, error = body.get("code"), body.get("error")
        if not isinstance(code, int) or isinstance(code, bool):
            code = None
        error = error if isinstance(error, str) else None
    elif response.status_code in TOLERATED_BY_CALLERS:
        # Connect's own 404s and 409s carry its JSON error; a bare one is another web
        # server's, and must not pass for "already gone" or "already there".
        raise NotConnectAnswer(
            "{0} with HTTP {1} and no Connect error, so {2} is not a Connect server; check url.".format(
                _where(server_url, method, path), response.status_code, server_url),
            status=response.status_code, method=method, path=path)
    else:
        error = (response.reason or "").strip() or None
    return ConnectError(status=response.status_code, code=code, error=error, method=method, path=path, attempts=attempts)


# -- shapes ----------------------------------------------------------------------


def expect_object(answer, kind, fields, method, path):
    """``answer`` as a dict that has ``fields`` (strings), or a NotConnectAnswer naming what came back."""
    if isinstance(answer, dict) and all(isinstance(answer.get(field), str) and answer.get(field) for field in fields):
        return answer
    raise NotConnectAnswer("Connect answered {0} {1} with {2}, not a Connect {3}; check url.".format(
        method, path, _describe_json(answer, fields), kind), method=method, path=path)


def expect_listing(answer, method, path):
    """A page of a listing: a dict with a ``results`` list (and an integer ``total`` when given)."""
    if isinstance(answer, dict) and isinstance(answer.get("results"), list):
        total = answer.get("total")
        if total is None or (isinstance(total, int) and not isinstance(total, bool) and total >= 0):
            return answer
    raise NotConnectAnswer("Connect answered {0} {1} with {2}, not a Connect listing; check url.".format(
        method, path, _describe_json(answer, ("results", "total"))), method=method, path=path)


def expect_array(answer, kind, fields, method, path):
    """An unpaged listing (Connect's content API answers a JSON array): each item a ``kind`` with ``fields``."""
    if isinstance(answer, list):
        return [expect_object(item, kind, fields, method, path) for item in answer]
    raise NotConnectAnswer("Connect answered {0} {1} with {2}, not a list of Connect {3}s; check url.".format(
        method, path, _describe_json(answer, ()), kind), method=method, path=path)


def _describe_json(answer, fields):
    if answer is None:
        return "an empty body"
    if isinstance(answer, dict):
        missing = [field for field in fields if field not in answer]
        if missing:
            return "JSON that has no {0}".format(" or ".join(missing))
        if not fields:
            return "a JSON object"
        return "JSON whose {0} is not what Connect sends".format(" or ".join(fields))
    return "a JSON {0}".format({list: "list", str: "string", bool: "boolean"}.get(type(answer), "value"))


# -- transport failures ---------------------------------------------------------------


def root_cause(exc):
    seen = set()
    while exc.__context__ is not None and id(exc.__context__) not in seen:
        seen.add(id(exc))
        exc = exc.__context__
    return exc


def _chain(exc):
    seen = []
    while exc is not None and all(exc is not other for other in seen):
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def is_name_resolution_failure(exc):
    return any(isinstance(link, socket.gaierror) for link in _chain(exc)) or "NameResolutionError" in repr(exc)


def is_refused(exc):
    return any(isinstance(link, ConnectionRefusedError) for link in _chain(exc))


def request_was_sent(exc):
    """Whether a transport failure happened after the request left this machine."""
    if isinstance(exc, requests.exceptions.ConnectTimeout) or is_refused(exc) or is_name_resolution_failure(exc):
        return False
    if isinstance(exc, requests.exceptions.ConnectionError):
        return not any(isinstance(link, urllib3.exceptions.NewConnectionError) for link in _chain(exc))
    return True


_NO_TLS = re.compile(r"wrong.version.number|record.layer.failure|unknown.protocol|http.request|packet.length.too.long", re.I)


def describe_transport_error(exc, server_url, timeout, validate_certs):
    """The cause of a request that got no HTTP answer, in words (never the exception's bare text)."""
    host = urlsplit(server_url).hostname or server_url
    if isinstance(exc, requests.exceptions.SSLError):
        return _describe_tls_error(exc, server_url, validate_certs)
    if is_name_resolution_failure(exc):
        return "the host name '{0}' could not be resolved; check url".format(host)
    if is_refused(exc):
        return "{0} refused the connection (nothing listens on that port, or the server is down)".format(server_url)
    cause = root_cause(exc)
    if isinstance(exc, (requests.exceptions.Timeout, DeadlineExceeded)) or isinstance(cause, DeadlineExceeded):
        return "Connect at {0} did not answer within the timeout of {1:g} seconds".format(server_url, timeout)
    return "the connection to {0} failed before Connect answered ({1})".format(server_url, type(cause).__name__)


def _describe_tls_error(exc, server_url, validate_certs):
    text = " ".join(str(link) for link in _chain(exc))
    if _NO_TLS.search(text):
        return ("{0} does not speak TLS on that port (it answered in plain HTTP); use an http:// url, "
                "or the port where Connect serves https").format(server_url)
    if validate_certs and ("CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text):
        return ("the TLS certificate of {0} is not trusted; give the CA that signed it with ca_path "
                "(or CONNECT_CA_CERTIFICATE)").format(server_url)
    if "hostname" in text.lower() and "match" in text.lower():
        return "the TLS certificate of {0} is for another host name; check url".format(server_url)
    return "the TLS handshake with {0} failed ({1})".format(server_url, _tls_reason(exc))


def _tls_reason(exc):
    for link in _chain(exc):
        if isinstance(link, ssl.SSLError) and getattr(link, "reason", None):
            return str(link.reason).lower().replace("_", " ")
    return "no reason given"
