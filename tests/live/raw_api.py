# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Send a list of raw requests to Connect's API in one process, for the contract suite's probes.

The contract suite (tests/live) checks dozens of single answers (a status, an error code, a few keys).
One ansible.builtin.uri task per request costs a module process each; this sends them all, in order,
with the standard library, and prints every answer. It never goes through the collection's code.

stdin:  a JSON list of {"method": "GET", "path": "/v1/users?prefix=x", "body": {...}, "no_key": false}
        (path relative to /__api__; body sent as JSON when given; no_key leaves out the Authorization header)
stdout: a JSON list of {"status": 200, "json": <the answer, or null>, "text": <the answer when not JSON>}
env:    CONNECT_SERVER, CONNECT_API_KEY, and optionally CONNECT_CA_CERTIFICATE and CONNECT_INSECURE,
        read as the modules read them; the key never appears in arguments or output.
"""

from __future__ import annotations

import json
import os
import ssl
import sys
import urllib.error
import urllib.request


def tls_context():
    if os.environ.get("CONNECT_INSECURE", "").strip().lower() in ("1", "true", "yes"):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=os.environ.get("CONNECT_CA_CERTIFICATE") or None)


def send(server, key, context, request):
    body = request.get("body")
    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if not request.get("no_key"):
        headers["Authorization"] = "Key " + key
    outgoing = urllib.request.Request(server + "/__api__" + request["path"], data=data, headers=headers,
                                      method=request.get("method", "GET"))
    try:
        with urllib.request.urlopen(outgoing, timeout=30, context=context) as answer:  # nosec - a test server's URL
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    text = raw.decode("utf-8", "replace")
    try:
        parsed = json.loads(text) if text.strip() else None
    except ValueError:
        parsed = None
    return {"status": status, "json": parsed, "text": "" if parsed is not None else text[:500]}


def main():
    server = os.environ["CONNECT_SERVER"].rstrip("/")
    key = os.environ["CONNECT_API_KEY"].strip()
    context = tls_context() if server.startswith("https:") else None
    requests = json.load(sys.stdin)
    json.dump([send(server, key, context, request) for request in requests], sys.stdout)


if __name__ == "__main__":
    main()
