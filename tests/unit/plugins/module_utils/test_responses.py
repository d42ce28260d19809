# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every answer is checked before a caller sees it: redirects, HTML, text, shapes, foreign 404s, transport causes."""

from __future__ import annotations

import builtins
import socket
import ssl
import threading
import time

import pytest
import requests
import urllib3

from ansible_collections.posit.connect.plugins.module_utils._http.responses import NotConnectAnswer
from ansible_collections.posit.connect.plugins.module_utils._api.connect import ConnectApi
from ansible_collections.posit.connect.plugins.module_utils._http import client as client_module
from ansible_collections.posit.connect.plugins.module_utils._http.client import ConnectClient
from ansible_collections.posit.connect.plugins.module_utils._http.transport import speaks_tls
from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.fake_connect import FakeConnect, answer, make_user
from ansible_collections.posit.connect.tests.unit.plugins.module_utils.test_client import client_with


def failure_of(call):
    with pytest.raises(ConnectError) as failed:
        call()
    message = failed.value.message
    assert "\n" not in message and "Traceback" not in message
    assert "k3y" not in message
    return failed.value, message.lower()


# -- redirects -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
@pytest.mark.parametrize("location", ["https://sso.example.org/login?token=abc", "/__api__/v1/other"])
def test_any_redirect_fails_and_nothing_is_sent_to_the_location(status, method, location):
    client, sleeps = client_with([answer(status, headers={"Location": location}), answer(200, {"guid": "g"})])
    error, message = failure_of(lambda: client.request(method, "/v1/users", body={"username": "ana"} if method != "GET" else None))
    assert "redirected" in message
    assert location.split("?")[0].lower() in message
    assert "token=abc" not in message
    assert len(client.session.sent) == 1 and sleeps == []
    assert isinstance(error, NotConnectAnswer)


def test_a_redirect_of_a_create_is_not_followed_nor_read_back():
    client, unused_sleeps = client_with([answer(302, headers={"Location": "https://other.example.com/x"})])
    found = []
    failure_of(lambda: client.create("POST", "/v1/users", {"username": "ana"}, lambda: found.append(1)))
    assert len(client.session.sent) == 1 and found == []


def test_http_to_https_redirect_suggests_the_https_url():
    client, unused_sleeps = client_with([answer(301, headers={"Location": "https://connect.example.com/__api__/v1/user"})],
                                        url="http://connect.example.com")
    unused_error, message = failure_of(lambda: client.get("/v1/user"))
    assert "redirected" in message and "set url to https://connect.example.com" in message


def test_http_to_https_hint_keeps_the_path_prefix():
    client, unused_sleeps = client_with([answer(308, headers={"Location": "https://connect.example.com/rsc/__api__/v1/user"})],
                                        url="http://connect.example.com/rsc")
    unused_error, message = failure_of(lambda: client.get("/v1/user"))
    assert "set url to https://connect.example.com/rsc" in message


def test_a_redirect_to_another_host_does_not_suggest_it():
    client, unused_sleeps = client_with([answer(302, headers={"Location": "https://evil.example.org/"})],
                                        url="http://connect.example.com")
    unused_error, message = failure_of(lambda: client.get("/v1/user"))
    assert "set url to" not in message and "check url" in message


# -- bodies ----------------------------------------------------------------------------------


def test_an_html_page_is_not_taken_for_an_answer():
    page = "<!DOCTYPE html><html><body>Sign in to Okta</body></html>"
    client, unused_sleeps = client_with([answer(200, text=page, headers={"Content-Type": "text/html"})])
    error, message = failure_of(lambda: client.get("/v1/users"))
    assert "html page" in message and "check url" in message and "okta" not in message
    assert error.status is None


def test_html_without_a_content_type_is_recognised():
    client, unused_sleeps = client_with([answer(200, text="  <html><body>proxy</body></html>")])
    unused_error, message = failure_of(lambda: client.get("/v1/users"))
    assert "html page" in message


def test_text_that_is_not_json_fails():
    client, unused_sleeps = client_with([answer(200, text="OK", headers={"Content-Type": "text/plain"})])
    unused_error, message = failure_of(lambda: client.get("/v1/users"))
    assert "not json" in message


def test_an_empty_body_is_none_for_writes():
    client, unused_sleeps = client_with([answer(204)])
    assert client.post("/v1/users/g/lock", {"locked": True}) is None


# -- shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [[{"guid": "g", "username": "ana"}], {"username": "ana"}, {"guid": 5, "username": "ana"},
                                  "ana", {"guid": "", "username": "ana"}])
def test_a_user_of_the_wrong_shape_is_not_a_connect_user(body):
    client, unused_sleeps = client_with([answer(200, body)])
    unused_error, message = failure_of(lambda: ConnectApi(client).users.get("6f300623-1e0c-48e6-a473-ddf630c0c0c3"))
    assert "not a connect user" in message


@pytest.mark.parametrize("body", [[], {"total": 1}, {"results": {}, "total": 0}, {"results": [], "total": "3"},
                                  {"results": [], "total": -1}, {"results": [], "total": True}])
def test_a_listing_of_the_wrong_shape_is_not_a_connect_listing(body):
    client, unused_sleeps = client_with([answer(200, body)])
    unused_error, message = failure_of(lambda: client.paginate("/v1/users"))
    assert "not a connect listing" in message


def test_a_listed_item_without_guid_is_refused():
    client, unused_sleeps = client_with([answer(200, {"results": [{"username": "ana"}], "total": 1})])
    unused_error, message = failure_of(ConnectApi(client).users.all)
    assert "not a connect user" in message


def test_a_create_answered_with_the_wrong_shape_is_refused():
    fake = FakeConnect()
    fake.inject("POST", "/v1/groups", answer(200, ["eng"]))
    unused_error, message = failure_of(lambda: fake.api().groups.create("eng"))
    assert "not a connect group" in message


# -- 404s --------------------------------------------------------------------------------------


def test_a_404_that_is_not_connects_means_the_url_is_not_connect():
    client, unused_sleeps = client_with([answer(404, text="<h1>Not Found</h1>", headers={"Content-Type": "text/html"})])
    error, message = failure_of(lambda: ConnectApi(client).users.get("6f300623-1e0c-48e6-a473-ddf630c0c0c3"))
    assert "not a connect server" in message and "https://connect.example.com" in message
    # Never taken for "no such user": that would turn a wrong url into a create.
    assert isinstance(error, NotConnectAnswer)


def test_connects_own_404_is_no_such_object():
    fake = FakeConnect()
    assert fake.api().users.get("6f300623-1e0c-48e6-a473-ddf630c0c0c3") is None


def test_a_foreign_409_on_a_create_is_not_read_as_already_there():
    fake = FakeConnect()
    fake.inject("POST", "/v1/groups", answer(409, text="<html>conflict</html>", headers={"Content-Type": "text/html"}))
    with pytest.raises(ConnectError) as failed:
        fake.api().groups.create("eng")
    assert isinstance(failed.value, NotConnectAnswer) and failed.value.http_status == 409
    assert fake.groups == {}


# -- transport -----------------------------------------------------------------------------------


def _ssl_failure(text, inner=None):
    inner = inner or ssl.SSLError(1, text)
    wrapped = urllib3.exceptions.SSLError(inner)
    return requests.exceptions.SSLError(urllib3.exceptions.MaxRetryError(None, "/__api__/v1/user", wrapped))


def test_an_untrusted_certificate_points_to_ca_path():
    failure = _ssl_failure("", ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                                                               "self-signed certificate (_ssl.c:1006)"))
    client, sleeps = client_with([failure])
    unused_error, message = failure_of(lambda: client.get("/v1/user"))
    assert "certificate" in message and "ca_path" in message
    assert sleeps == [] and len(client.session.sent) == 1


@pytest.mark.parametrize("text", ["[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
                                  "[SSL: WRONG_VERSION_NUMBER] wrong version number", "[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] alert"])
def test_tls_failures_never_suggest_turning_verification_off(text):
    for validate in (True, False):
        client, unused_sleeps = client_with([_ssl_failure(text)])
        client.validate_certs = validate
        unused_error, message = failure_of(lambda: client.get("/v1/user"))
        assert "validate_certs" not in message
        assert "tls" in message or "certificate" in message


class _PlainHttp:
    """A plain-HTTP server on 127.0.0.1 answering anything with a 400 page."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, unused_address = self.sock.accept()
            except OSError:
                return
            try:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            conn.close()

    def close(self):
        self.sock.close()


def test_an_https_url_to_a_plain_http_port_says_so():
    server = _PlainHttp()
    try:
        client = ConnectClient("https://127.0.0.1:%d" % server.port, "k3y", timeout=5)
        client.retry_policy.retries = 0
        unused_error, message = failure_of(lambda: client.get("/v1/user"))
    finally:
        server.close()
    assert "tls" in message and "http://" in message


def test_an_http_url_to_a_tls_port_says_use_https_at_once(monkeypatch):
    # A TLS server closes a plain HTTP request unanswered, as a failing server would; one handshake tells them apart.
    asked = []
    monkeypatch.setattr(client_module, "speaks_tls", lambda host, port, timeout: asked.append((host, port)) or True)
    dropped = requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end closed'))")
    client, sleeps = client_with([dropped, dropped], url="http://127.0.0.1:8443")
    error, message = failure_of(lambda: client.get("/v1/users"))
    assert "use https://127.0.0.1:8443" in message and "speaks tls" in message
    assert sleeps == [] and len(client.session.sent) == 1 and asked == [("127.0.0.1", 8443)]
    assert error.status is None


def test_a_dropped_http_request_on_a_plain_port_is_retried_and_asked_about_once(monkeypatch):
    asked = []
    monkeypatch.setattr(client_module, "speaks_tls", lambda host, port, timeout: asked.append(port) or False)
    dropped = requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end closed'))")
    client, sleeps = client_with([dropped, dropped, answer(200, {"ok": 1})], url="http://127.0.0.1:8080")
    assert client.get("/v1/user") == {"ok": 1}
    assert len(sleeps) == 2 and asked == [8080]


@pytest.mark.parametrize("text", ["Client sent an HTTP request to an HTTPS server.\n",
                                  "<html><body>400 The plain HTTP request was sent to HTTPS port</body></html>"])
def test_a_tls_ports_answer_to_plain_http_says_use_https(text):
    client, unused_sleeps = client_with([answer(400, text=text)], url="http://c.example.com:3939")
    error, message = failure_of(lambda: client.get("/v1/users"))
    assert "use https://c.example.com:3939" in message and error.ends_the_run


def test_speaks_tls_is_false_for_a_plain_http_port_and_a_closed_one():
    server = _PlainHttp()
    try:
        assert speaks_tls("127.0.0.1", server.port, 2) is False
    finally:
        server.close()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    assert speaks_tls("127.0.0.1", port, 2) is False


def test_a_refused_connection_fails_within_a_few_seconds():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    client = ConnectClient("http://127.0.0.1:%d" % port, "k3y", timeout=5)
    started = time.monotonic()
    unused_error, message = failure_of(lambda: client.get("/v1/user"))
    assert "refused the connection" in message
    assert time.monotonic() - started < 5


def test_an_unknown_host_fails_at_once_without_retries():
    sleeps = []
    client = ConnectClient("https://connect.invalid", "k3y", timeout=5)
    client.retry_policy._sleep = sleeps.append  # pylint: disable=protected-access
    unused_error, message = failure_of(lambda: client.get("/v1/user"))
    assert "could not be resolved" in message and "connect.invalid" in message
    assert sleeps == []


# -- ca_path ---------------------------------------------------------------------------------------


def test_a_ca_path_that_is_not_pem_is_refused_before_any_request(tmp_path):
    bundle = tmp_path / "ca.der"
    bundle.write_bytes(b"\x30\x82\x01\x0a binary")
    unused_error, message = failure_of(lambda: ConnectClient("https://c.example.com", "k3y", ca_path=str(bundle)))
    assert "ca_path" in message and "pem" in message


def test_an_unreadable_ca_path_is_refused(tmp_path, monkeypatch):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    real_open = builtins.open

    def guarded(path, *args, **kwargs):
        if str(path) == str(bundle):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    unused_error, message = failure_of(lambda: ConnectClient("https://c.example.com", "k3y", ca_path=str(bundle)))
    assert "ca_path" in message and "read" in message


def test_a_missing_ca_path_is_named():
    unused_error, message = failure_of(lambda: ConnectClient("https://c.example.com", "k3y", ca_path="/nonexistent/ca.pem"))
    assert "ca_path" in message and "/nonexistent/ca.pem" in message


def test_a_pem_ca_path_is_sent_with_every_request(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    seen = []
    fake = FakeConnect([make_user("ana")])
    client = ConnectClient("https://c.example.com", "k3y", ca_path=str(bundle))

    class Spy:
        def request(self, *args, **kwargs):
            seen.append(kwargs.get("verify"))
            return fake.request(*args, **kwargs)

    client.session = Spy()
    client.paginate("/v1/users")
    client.get("/server_settings")
    assert seen == [str(bundle), str(bundle)]


def test_a_proxys_409_on_a_member_add_is_not_taken_for_already_a_member():
    # A 409 without Connect's JSON error did not come from Connect: the user was not added, so the task must fail.
    ana = make_user("ana")
    fake = FakeConnect([ana], [{"guid": "6f300623-1e0c-48e6-a473-ddf630c0c0c3", "name": "eng", "owner_guid": None}])
    conflict_page = answer(409, text="<html><body>Conflict</body></html>", headers={"Content-Type": "text/html"})
    fake.inject("POST", "/v1/groups/*/members", conflict_page)
    with pytest.raises(ConnectError):
        fake.api().groups.add_member("6f300623-1e0c-48e6-a473-ddf630c0c0c3", ana["guid"])
    assert fake.members["6f300623-1e0c-48e6-a473-ddf630c0c0c3"] == []
