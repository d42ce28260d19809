# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client every module of the collection uses to talk to Connect.

It owns the things that must be right once and only once: the base URL, the
``Authorization: Key`` header, TLS settings, deadlines, retries with backoff,
pagination, and the check of every answer (answers.py) before a caller sees it.
Callers get JSON that came from Connect, or a ConnectError.
"""

from __future__ import annotations

from urllib.parse import urlsplit
import traceback

from ansible_collections.posit.connect.plugins.module_utils._http.responses import (
    NotConnectAnswer,
    describe_transport_error,
    error_from_response,
    expect_listing,
    expect_object,
    is_name_resolution_failure,
    is_refused,
    json_body,
    plain_http_to_tls,
    refuse_redirect,
    request_was_sent,
)
from ansible_collections.posit.connect.plugins.module_utils._http.address import api_base_url, check_ca_path
from ansible_collections.posit.connect.plugins.module_utils._http.concurrency import WorkPool
from ansible_collections.posit.connect.plugins.module_utils._http.errors import RETRYABLE_STATUSES, ConnectError, ConnectRequestError
from ansible_collections.posit.connect.plugins.module_utils._http.retry import (
    REFUSED_RETRIES,
    RetryPolicy,
    retry_after_seconds,
)
from ansible_collections.posit.connect.plugins.module_utils._http.transport import (
    DeadlineExceeded,
    ThreadSessions,
    new_session,
    send_within,
    speaks_tls,
)

try:
    import requests
    import requests.exceptions
    import urllib3

    REQUESTS_IMPORT_ERROR = None
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()


PAGE_SIZE = 500

__all__ = ["ConnectClient", "ConnectOutcomeUnknown", "Listing", "RetryPolicy", "RETRYABLE_STATUSES", "api_base_url"]


class ConnectOutcomeUnknown(ConnectError):
    """A request that is not safe to repeat was sent, and no answer came back.

    The server may or may not have applied it. Callers re-read the server to
    find out rather than sending it again blindly (see ConnectClient.create).
    """

    retry_after = None

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


class ConnectClient:
    """A session with one Connect server.

    ``request`` retries calls that are safe to repeat; ``create`` sends a call
    that is not, and re-reads the server when its answer is lost.
    """

    def __init__(self, url, api_key, validate_certs=True, ca_path=None, timeout=30.0, retry_policy=None,
                 concurrency=4):
        if not api_key:
            raise ConnectError("The api_key option is empty; set it or CONNECT_API_KEY to a Connect API key.")
        self.base_url = api_base_url(url)
        self.server_url = self.base_url[: -len("/__api__")]
        self.timeout = timeout
        self.retry_policy = retry_policy or RetryPolicy()
        self.validate_certs = bool(validate_certs)
        # The task's one concurrency budget: pages of a whole listing, member reads and writes.
        self.pool = WorkPool(concurrency)
        # Whether the url's port speaks TLS, asked only when an http:// request is closed unanswered.
        self._tls_port = None
        if ca_path:
            check_ca_path(ca_path)
        # Passed with every request: a Session-level setting would lose to
        # REQUESTS_CA_BUNDLE in the environment, silently ignoring ca_path.
        # validate_certs: false turns verification off, ca_path or not.
        self.verify = (ca_path or True) if self.validate_certs else False
        auth = ApiKeyAuth(api_key)
        headers = {"Accept": "application/json", "User-Agent": "ansible-posit.connect"}
        self._sessions = ThreadSessions(lambda: new_session(auth, headers))
        if not validate_certs:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

    @property
    def session(self):
        """This thread's requests Session."""
        return self._sessions.get()

    @session.setter
    def session(self, session):
        """Use one given session in every thread (tests replace the transport this way)."""
        self._sessions.pinned = session

    # -- plain calls ---------------------------------------------------------

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def put(self, path, body):
        return self.request("PUT", path, body=body)

    def post(self, path, body):
        """A POST that is safe to repeat (Connect's lock, modify and member calls are)."""
        return self.request("POST", path, body=body)

    def patch(self, path, body):
        """A PATCH that is safe to repeat (it sets fields to values; Connect's content updates are)."""
        return self.request("PATCH", path, body=body)

    def delete(self, path):
        return self.request("DELETE", path)

    def get_object(self, path, kind, fields=("guid",), params=None):
        """GET one object, checked to be a Connect ``kind`` with ``fields``."""
        return expect_object(self.get(path, params), kind, fields, "GET", path)

    def request(self, method, path, params=None, body=None, safe_to_retry=True):
        """Send one logical request, retrying what may be retried; the parsed JSON answer."""
        budget = self.retry_policy.start()
        while True:
            budget.attempts += 1
            try:
                response = send_within(self.session, self.timeout, method, self.base_url + path, params=params,
                                       json=body, verify=self.verify, allow_redirects=False)
            except (requests.exceptions.RequestException, DeadlineExceeded) as exc:
                if self._may_retry_transport(exc, budget, safe_to_retry, method, path):
                    continue
                raise self._transport_error(exc, budget, method, path)
            status = response.status_code
            if 300 <= status < 400:
                refuse_redirect(response, self.server_url, method, path)
            if status in RETRYABLE_STATUSES:
                retry_after = retry_after_seconds(response)
                if not safe_to_retry and status != 429:
                    # A gateway error may hide a request the server applied.
                    lost = ConnectOutcomeUnknown(status=status, method=method, path=path, attempts=budget.attempts)
                    lost.retry_after = retry_after
                    raise lost
                if budget.wait_before_retry(retry_after):
                    continue
            if status >= 400:
                error = error_from_response(response, self.server_url, method, path, budget.attempts)
                error.stopped = budget.why_stopped()
                raise error
            return json_body(response, self.server_url, method, path)

    def _may_retry_transport(self, exc, budget, safe_to_retry, method, path):
        """Whether to try again after a request got no answer (sleeping first)."""
        if isinstance(exc, requests.exceptions.SSLError) or is_name_resolution_failure(exc):
            return False
        if self._closed_as_tls_port(exc):
            raise ConnectRequestError(plain_http_to_tls(self.server_url), method, path, budget.attempts)
        if request_was_sent(exc) and not safe_to_retry:
            raise ConnectOutcomeUnknown(method=method, path=path, attempts=budget.attempts)
        if is_refused(exc):
            budget.refused += 1
            return budget.wait_before_retry(max_attempts=REFUSED_RETRIES)
        return budget.wait_before_retry()

    def _closed_as_tls_port(self, exc):
        """Whether an http:// request was closed unanswered by a port that speaks TLS (asked once per client).

        A TLS server drops a plain HTTP request just as a failing server does; one handshake tells them apart,
        so the mistake is named at once instead of after every retry.
        """
        if not self.server_url.startswith("http://") or not isinstance(exc, requests.exceptions.ConnectionError):
            return False
        if isinstance(exc, requests.exceptions.ConnectTimeout) or is_refused(exc):
            return False
        if self._tls_port is None:
            parts = urlsplit(self.server_url)
            self._tls_port = speaks_tls(parts.hostname, parts.port or 80, min(self.timeout, 5.0))
        return self._tls_port

    def _transport_error(self, exc, budget, method, path):
        reason = describe_transport_error(exc, self.server_url, self.timeout, self.validate_certs)
        error = ConnectRequestError(reason, method, path, budget.attempts)
        error.stopped = budget.why_stopped()
        # A server that refuses connections (after the retries) or a name that does not resolve will not
        # take the next write either: a bulk run stops instead of failing every entry the same way.
        error.ends_the_run = is_refused(exc) or is_name_resolution_failure(exc)
        return error

    def create(self, method, path, body, find_existing):
        """Send a create (POST, or PUT with a ticket) once, even when an answer is lost: (object, created).

        When Connect's answer to a create is lost, ``find_existing()`` reads the
        server: the object it returns (the create landed) is the result, and
        only when it returns None is the create sent again, after Retry-After
        when the server gave one. A conflict (409) is read the same way: the
        object exists, made by an earlier attempt that landed late or by a run
        in parallel. ``created`` is False when the object was found, not made.
        """
        budget = self.retry_policy.start()
        while True:
            try:
                return self.request(method, path, body=body, safe_to_retry=False), True
            except ConnectOutcomeUnknown as lost:
                budget.attempts += 1
                existing = find_existing()
                if existing is not None:
                    return existing, False
                if not budget.wait_before_retry(lost.retry_after):
                    lost.attempts = budget.attempts
                    lost.stopped = budget.why_stopped()
                    raise
            except NotConnectAnswer:
                raise
            except ConnectError as error:
                if error.status != 409:
                    raise
                existing = find_existing()
                if existing is None:
                    raise
                return existing, False

    # -- pagination ----------------------------------------------------------

    def paginate(self, path, params=None, limit=None, kind="object", fields=("guid",)):
        """Every item of a paginated listing (at most ``limit``), in server order.

        The list's ``total`` is the server's count of all matching items. A
        whole listing without a prefix is read in parallel once the first page
        gives its total (the pool's size in pages at a time, each page asked
        once, so the calls are the same as read in turn); a prefix search or a
        limited read goes page by page, since old servers cannot page those.
        """
        if limit is not None or (params or {}).get("prefix") or self.pool.size <= 1:
            return self._paginate_in_turn(path, params, limit, kind, fields)
        return self._paginate_in_parallel(path, params, kind, fields)

    def _paginate_in_turn(self, path, params, limit, kind, fields):
        items = Listing()
        for item in self.iterate(path, params, items, kind, fields):
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
        return items

    def _page(self, path, params, page_number, kind, fields):
        page = expect_listing(self.get(path, dict(params or {}, page_number=page_number, page_size=PAGE_SIZE)), "GET", path)
        return page, [expect_object(item, kind, fields, "GET", path) for item in page["results"]]

    def _paginate_in_parallel(self, path, params, kind, fields):
        first, results = self._page(path, params, 1, kind, fields)
        total = first.get("total")
        if total is None or not results or len(results) >= total:
            return self._collect([results], total)
        # The server may give fewer than PAGE_SIZE a page ("best effort"): count pages by what it gave.
        pages = -(-total // len(results))
        rest = self.pool.map(lambda number: self._page(path, params, number, kind, fields)[1], range(2, pages + 1))
        items = self._collect([results] + rest, total)
        if len(items) < total and all(rest):
            # Accounts were added while we read: go on page by page from where the parallel read stopped.
            number = pages + 1
            while True:
                more = self._collect([self._page(path, params, number, kind, fields)[1]], total, seen=items, first=number)
                if not more:
                    break
                items.extend(more)
                items.page_of.update(more.page_of)
                number += 1
        return items

    @staticmethod
    def _collect(pages, total, seen=None, first=1):
        """The items of ``pages`` (numbered from ``first``) in order, each once (a page boundary may shift while a
        listing is read), with the page each came on."""
        known = set(item["guid"] for item in seen or [])
        items = Listing()
        for number, results in enumerate(pages, first):
            for item in results:
                if item["guid"] not in known:
                    known.add(item["guid"])
                    items.append(item)
                    items.page_of[item["guid"]] = number
        items.total = total if total is not None else len(items)
        return items

    def read_pages(self, path, numbers, kind="object", fields=("guid",)):
        """The items of some pages of a whole listing (``numbers``, as ``Listing.page_of`` gave them), read again."""
        pages = self.pool.map(lambda number: self._page(path, None, number, kind, fields)[1], sorted(set(numbers)))
        return [item for results in pages for item in results]

    def iterate(self, path, params=None, listing=None, kind="object", fields=("guid",)):
        """Yield the items of a paginated listing page by page, without duplicates.

        A caller that stops early saves the pages it did not need. Paging stops
        on an empty page, once ``total`` items are in, or when a page brings
        nothing new: servers before 2025.04 answer page 2 of a prefix search
        with nothing (users) or with page 1 again (groups). ``listing.complete``
        then says whether every one of ``total`` items was seen.
        """
        listing = listing if listing is not None else Listing()
        seen = set()
        page_number = 1
        while True:
            page, results = self._page(path, params, page_number, kind, fields)
            total = page.get("total")
            listing.total = total if total is not None else len(seen) + len(results)
            fresh = [item for item in results if item["guid"] not in seen]
            for item in fresh:
                seen.add(item["guid"])
                listing.page_of[item["guid"]] = page_number
                yield item
            listing.complete = len(seen) >= listing.total
            if not fresh or listing.complete or total is None:
                # A server that gives no total sends everything in one answer.
                listing.complete = listing.complete or total is None
                return
            page_number += 1

    def total(self, path, params=None):
        """The server's count of items matching ``params``, in one request."""
        page = expect_listing(self.get(path, dict(params or {}, page_number=1, page_size=1)), "GET", path)
        return page.get("total") or 0

    def search_by_name(self, path, name, kind, fields, filters=None):
        """The items of a prefix search on ``name``, then, when that search was cut short, of the whole listing.

        Connect has only a prefix search. On servers whose prefix search cannot
        page (before 2025.04) an item past the first 500 matches is not seen,
        so when the search ended short of its total the whole listing is read
        (each item is yielded once). A caller stops as soon as it has its item.
        """
        listing = Listing()
        seen = set()
        for item in self.iterate(path, dict(filters or {}, prefix=name), listing, kind, fields):
            seen.add(item["guid"])
            yield item
        if listing.complete:
            return
        for item in self.iterate(path, filters, None, kind, fields):
            if item["guid"] not in seen:
                yield item


class Listing(list):
    """A list of items with the server's ``total`` for the query, and the page each item came on (by guid)."""

    total = 0
    complete = True

    def __init__(self, *args):
        super().__init__(*args)
        self.page_of = {}
