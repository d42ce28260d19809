"""--tls: the simulator serves HTTPS with its own CA."""

from __future__ import annotations

import os

import pytest
import requests


@pytest.fixture
def tls(sims):
    return sims("tls")


def test_ready_dict_has_https_url_and_ca_file(tls):
    assert tls.url.startswith("https://")
    assert os.path.isfile(tls.ready["ca_file"])


def test_requests_with_the_ca_file_work(tls):
    with requests.Session() as http:
        http.trust_env = False
        resp = http.get(f"{tls.url}/__api__/v1/user", headers={"Authorization": f"Key {tls.api_key}"}, verify=tls.ready["ca_file"], timeout=10)
    assert resp.status_code == 200 and resp.json()["username"] == "admin"
    assert tls.create_user("secure")["username"] == "secure"  # the suite's helper, verify=ca_file


def test_default_verification_fails(tls):
    with requests.Session() as http:
        http.trust_env = False  # ignore REQUESTS_CA_BUNDLE and friends
        with pytest.raises(requests.exceptions.SSLError):
            http.get(f"{tls.url}/__sim__/health", timeout=10)


def test_plain_http_is_not_served_on_the_tls_port(tls):
    plain = tls.url.replace("https://", "http://", 1)
    try:
        resp = requests.get(f"{plain}/__sim__/health", timeout=5)
    except requests.exceptions.RequestException:
        return
    assert resp.status_code >= 400
