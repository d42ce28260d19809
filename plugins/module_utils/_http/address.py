# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the client sends its requests and which CAs it trusts, checked before the first request.

A url or ca_path that cannot work is refused here in one sentence, so that a
mistake in the settings never looks like a server that fails.
"""

from __future__ import annotations

import os

from ansible_collections.posit.connect.plugins.module_utils._http.errors import ConnectError

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    urlsplit = None

PEM_MARKER = b"-----BEGIN CERTIFICATE-----"


def api_base_url(url):
    """The ``.../__api__`` base for a server URL given with or without it."""
    if not isinstance(url, str) or not url.strip():
        raise ConnectError("The url option is empty; set it or CONNECT_SERVER to the Connect server's address.")
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "://" not in url:
        raise ConnectError("The url {0!r} is not an http:// or https:// address of a Connect server.".format(url))
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ConnectError("The url {0!r} has a query or fragment; give the Connect server's address alone, "
                           "such as https://connect.example.com.".format(url.split("?")[0].split("#")[0]))
    if url.endswith("/__api__"):
        url = url[: -len("/__api__")]
    if "/__api__/" in urlsplit(url).path:
        # Such as .../__api__/v1, copied from an API example: every request would miss.
        raise ConnectError("The url {0!r} holds Connect's API path (/__api__/...); give the server's address alone, "
                           "such as {1}.".format(url, url[: url.index("/__api__/")]))
    return url + "/__api__"


def check_ca_path(ca_path):
    """Refuse a ca_path that cannot work, before any request (a directory of CAs is fine)."""
    if not os.path.exists(ca_path):
        raise ConnectError("ca_path {0!r} does not exist; give the PEM file (or directory) of the CA that signed "
                           "Connect's certificate.".format(ca_path))
    if os.path.isdir(ca_path):
        return
    try:
        with open(ca_path, "rb") as handle:
            content = handle.read(1024 * 1024)
    except (IOError, OSError) as error:
        raise ConnectError("ca_path {0!r} could not be read ({1}).".format(ca_path, error.strerror or type(error).__name__))
    if PEM_MARKER not in content:
        raise ConnectError("ca_path {0!r} is not a PEM file of CA certificates (no '-----BEGIN CERTIFICATE-----' "
                           "line); give the CA certificate in PEM form.".format(ca_path))
