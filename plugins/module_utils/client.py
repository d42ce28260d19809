# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client every module of the collection uses to talk to Connect.

It owns the things that must be right once and only once: the base URL, the
``Authorization: Key`` header, TLS settings, timeouts, retries with backoff,
pagination and the translation of failures into ConnectError.
"""

from __future__ import annotations

import email.utils
import os
import random
import time
import traceback

from ansible_collections.posit.connect.plugins.module_utils.errors import (
    ConnectError,
    ConnectRequestError,
)

try:
    import requests
    import requests.adapters
    import requests.exceptions
    import urllib3

    REQUESTS_IMPORT_ERROR = None
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

PAGE_SIZE = 500

# Statuses that mean "the server did not do it, try again later".
RETRYABLE_STATUSES = frozenset([429, 502, 503, 504])


class ConnectOutcomeUnknown(ConnectError):
    """A request that is not safe to repeat was sent, and no answer came back.

    The server may or may not have applied it. Callers re-read the server to
    find out rather than sending it again blindly (see ConnectClient.create).
    """

    def _cause(self):
        if self.status is not None:
            return super()._cause()
        return "the connection closed before Connect answered {0} {1}{2}, so whether it was applied is unknown.".format(
            self.method, self.path, self._tries())


class ApiKeyAuth:
    """Sets ``Authorization: Key <key>`` on every request.

    Passing an auth object to requests (rather than a default header) also
    stops requests from replacing the header with a ``~/.netrc`` entry.
    """

    def __init__(self, api_key):
        self._api_key = api_key

    def __call__(self, request):
        request.headers["Authorization"] = "Key " + self._api_key
        return request

    def __repr__(self):
        return "ApiKeyAuth(<hidden>)"


def api_base_url(url):
    """The ``.../__api__`` base for a server URL given with or without it."""
    if not isinstance(url, str) or not url.strip():
        raise ConnectError("The url option is empty; set it or CONNECT_SERVER to the Connect server's address.")
    url = url.strip().rstrip("/")
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest or rest.startswith("/"):
        raise ConnectError("The url {0!r} is not an http:// or https:// address of a Connect server.".format(url))
    if url.endswith("/__api__"):
        url = url[: -len("/__api__")]
    return url + "/__api__"


class RetryPolicy:
    """How often and how long to retry: jittered exponential backoff, bounded twice.

    ``retries`` bounds the number of extra attempts and ``max_time`` the total
    seconds spent waiting, so a task never hangs on a server that stays down.
    """

    def __init__(self, retries=5, max_time=60.0, backoff=0.5, backoff_cap=10.0, sleep=time.sleep, clock=time.monotonic):
        self.retries = max(0, int(retries))
        self.max_time = float(max_time)
        self.backoff = float(backoff)
        self.backoff_cap = float(backoff_cap)
        self._sleep = sleep
        self._clock = clock

    def start(self):
        return _RetryBudget(self)


class _RetryBudget:
    """The retries left for one logical request."""

    def __init__(self, policy):
        self._policy = policy
        self._deadline = policy._clock() + policy.max_time
        self.attempts = 0

    def wait_before_retry(self, retry_after=None):
        """Sleep before the next attempt; False when the budget is spent."""
        policy = self._policy
        if self.attempts > policy.retries:
            return False
        exponential = min(policy.backoff_cap, policy.backoff * (2 ** (self.attempts - 1)))
        delay = random.uniform(exponential / 2, exponential)
        if retry_after is not None:
            delay = max(delay, retry_after)
        if policy._clock() + delay > self._deadline:
            return False
        policy._sleep(delay)
        return True


def _retry_after_seconds(response):
    """Seconds from a Retry-After header (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _error_from_response(response, method, path, attempts):
    code = error = None
    try:
        body = response.json()
        if isinstance(body, dict):
            code, error = body.get("code"), body.get("error")
    except ValueError:
        error = (response.reason or "").strip() or None
    return ConnectError(status=response.status_code, code=code, error=error,
                        method=method, path=path, attempts=attempts)


def _describe_transport_error(exc, base_url, timeout=None):
    if isinstance(exc, requests.exceptions.SSLError):
        return ("the TLS certificate of {0} could not be verified; give its CA with ca_path "
                "(or CONNECT_CA_CERTIFICATE), or set validate_certs: false").format(base_url)
    if isinstance(exc, requests.exceptions.Timeout):
        within = "the timeout of {0:g} seconds".format(timeout) if timeout else "the timeout"
        return "Connect at {0} did not answer within {1}".format(base_url, within)
    return "Connect at {0} could not be reached ({1})".format(base_url, type(_root_cause(exc)).__name__)


def _root_cause(exc):
    while exc.__context__ is not None and exc.__context__ is not exc:
        exc = exc.__context__
    return exc


def _request_was_sent(exc):
    """Whether a transport failure happened after the request left this machine."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(exc, requests.exceptions.ConnectionError):
        cause = _root_cause(exc)
        return not isinstance(cause, (ConnectionRefusedError, urllib3.exceptions.NewConnectionError))
    return True


class ConnectClient:
    """A session with one Connect server.

    ``request`` retries calls that are safe to repeat; ``create`` sends a call
    that is not, and re-reads the server when its answer is lost.
    """

    def __init__(self, url, api_key, validate_certs=True, ca_path=None, timeout=30.0,
                 retry_policy=None, pool_size=10):
        if not api_key:
            raise ConnectError("The api_key option is empty; set it or CONNECT_API_KEY to a Connect API key.")
        self.base_url = api_base_url(url)
        self.timeout = timeout
        self.retry_policy = retry_policy or RetryPolicy()
        self.session = requests.Session()
        self.session.auth = ApiKeyAuth(api_key)
        # Passed with every request: a Session-level setting would lose to
        # REQUESTS_CA_BUNDLE in the environment, silently ignoring ca_path.
        if ca_path and not os.path.exists(ca_path):
            raise ConnectError("ca_path {0!r} does not exist; give the PEM file (or directory) of the CA that signed "
                               "Connect's certificate.".format(ca_path))
        self.verify = ca_path if ca_path else bool(validate_certs)
        self.session.headers["Accept"] = "application/json"
        self.session.headers["User-Agent"] = "ansible-posit.connect"
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=max(1, pool_size))
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        if not validate_certs:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

    def _describe(self, exc):
        return _describe_transport_error(exc, self.base_url, self.timeout)

    # -- plain calls ---------------------------------------------------------

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def put(self, path, body):
        return self.request("PUT", path, body=body)

    def post(self, path, body):
        """A POST that is safe to repeat (Connect's lock, rename and member calls are)."""
        return self.request("POST", path, body=body)

    def delete(self, path):
        return self.request("DELETE", path)

    def request(self, method, path, params=None, body=None, safe_to_retry=True):
        """Send one logical request, retrying what may be retried; the parsed JSON answer."""
        budget = self.retry_policy.start()
        while True:
            budget.attempts += 1
            try:
                response = self.session.request(
                    method, self.base_url + path, params=params, json=body, timeout=self.timeout, verify=self.verify)
            except requests.exceptions.RequestException as exc:
                if isinstance(exc, requests.exceptions.SSLError):
                    raise ConnectRequestError(self._describe(exc), method, path, budget.attempts)
                if _request_was_sent(exc) and not safe_to_retry:
                    raise ConnectOutcomeUnknown(method=method, path=path, attempts=budget.attempts)
                if budget.wait_before_retry():
                    continue
                raise ConnectRequestError(self._describe(exc), method, path, budget.attempts)
            if response.status_code in RETRYABLE_STATUSES:
                if not safe_to_retry and response.status_code != 429:
                    # A gateway error may hide a request the server applied.
                    raise ConnectOutcomeUnknown(
                        status=response.status_code, method=method, path=path, attempts=budget.attempts)
                if budget.wait_before_retry(_retry_after_seconds(response)):
                    continue
            if response.status_code >= 400:
                raise _error_from_response(response, method, path, budget.attempts)
            return _json_or_none(response)

    def create(self, method, path, body, find_existing):
        """Send a create (POST, or PUT with a ticket) once, even when an answer is lost.

        When Connect's answer to a create is lost, ``find_existing()`` reads the
        server: the object it returns (the create landed) is the result, and
        only when it returns None is the create sent again. A conflict (409)
        is read the same way: the object exists, made by an earlier attempt
        that landed late or by a run in parallel, and it is the result.
        """
        budget = self.retry_policy.start()
        while True:
            try:
                return self.request(method, path, body=body, safe_to_retry=False)
            except ConnectOutcomeUnknown as lost:
                budget.attempts += 1
                existing = find_existing()
                if existing is not None:
                    return existing
                if not budget.wait_before_retry():
                    lost.attempts = budget.attempts
                    raise
            except ConnectError as error:
                if error.status != 409:
                    raise
                existing = find_existing()
                if existing is None:
                    raise
                return existing

    # -- pagination ----------------------------------------------------------

    def paginate(self, path, params=None, limit=None):
        """Every item of a paginated listing (at most ``limit``), in server order.

        The list's ``total`` is the server's count of all matching items.
        """
        items = Listing()
        for item in self.iterate(path, params, items):
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
        return items

    def iterate(self, path, params=None, listing=None):
        """Yield the items of a paginated listing page by page, without duplicates.

        A caller that stops early saves the pages it did not need. Paging stops
        on an empty page, once ``total`` items are in, or when a page brings
        nothing new: servers before 2025.04 ignore page_number on prefix
        searches and would otherwise be asked for the same page for ever.
        """
        seen = set()
        page_number = 1
        while True:
            page = self.get(path, dict(params or {}, page_number=page_number, page_size=PAGE_SIZE))
            results = page.get("results") or []
            if listing is not None:
                listing.total = page.get("total", 0)
            fresh = [item for item in results if _identity(item) not in seen]
            for item in fresh:
                seen.add(_identity(item))
                yield item
            if not fresh or len(seen) >= (page.get("total") or 0):
                return
            page_number += 1

    def total(self, path, params=None):
        """The server's count of items matching ``params``, in one request."""
        page = self.get(path, dict(params or {}, page_number=1, page_size=1))
        return page.get("total", 0)


class Listing(list):
    """A list of items with the server's ``total`` for the query."""

    total = 0


def _identity(item):
    return item.get("guid") or repr(sorted(item.items()))


def _json_or_none(response):
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None
