# -*- coding: utf-8 -*-
# Copyright: Posit Connect collection contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options every module takes.
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Address of the Connect server, for example C(https://connect.example.com).
      - The server root, with or without a trailing slash or C(/__api__); a path is kept (for Connect served under one).
      - It must not contain a user name or password (give the key with O(api_key)), a query or a fragment.
      - The modules never follow a redirect; a server that answers with one (an http to https rule, a login portal)
        fails the task, naming where it wanted to send the request.
      - If not set, the environment variable E(CONNECT_SERVER) is used.
    type: str
    required: true
  api_key:
    description:
      - A Connect API key. The modules act as the user the key belongs to, so most tasks need an administrator's key.
      - If not set, the environment variable E(CONNECT_API_KEY) is used.
      - "Sent as C(Authorization: Key ...); a C(~/.netrc) entry for the server never replaces it. Never printed."
      - Surrounding white space (a trailing newline from a file or a vault) is removed; a key with other control
        characters or non-ASCII characters is refused without being shown.
    type: str
    required: true
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, E(CONNECT_INSECURE=true) turns verification off; otherwise it is on.
      - Prefer O(ca_path) over turning verification off. A warning is shown when it is off.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of the CA certificates to trust for the server, for servers with a private CA.
      - If not set, the environment variable E(CONNECT_CA_CERTIFICATE) is used.
    type: path
  timeout:
    description:
      - Seconds one request may take as a whole (connecting, the headers and the whole body), from 0 (exclusive) to 3600.
      - A request still running then is ended, and retried when that is safe.
    type: float
    default: 30
  retries:
    description:
      - How many times to retry a request that failed with a connection error or HTTP 429, 502, 503 or 504.
      - Retries wait with jittered exponential backoff and honour C(Retry-After).
      - Creates are never sent twice blindly; when the answer to a create is lost, the server is read to see whether it landed.
      - A refused connection is retried at most twice, and an unknown host name not at all, so a task against a server
        that is down fails within a few seconds.
      - From 0 to 100.
    type: int
    default: 5
  retry_max_time:
    description:
      - The most seconds the whole task may spend waiting to retry, across all its requests (a bulk task's included).
      - Once it is spent, the next failure ends the task, saying what was already applied.
      - From 0 to 86400.
    type: float
    default: 60
notes:
  - "All modules of this collection are in the action group C(posit.connect.connect), so connection options can be set once with
    C(module_defaults: {group/posit.connect.connect: {url: ..., api_key: ...}})."
requirements:
  - requests >= 2.25 (Python library on the host that runs the module)
"""

    # The private option the action plugin of a bulk module with src fills (plugin_utils/src_files.py).
    SRC_ENTRIES = r"""
options:
  _src_entries:
    description:
      - Internal. The entries of O(src), read and parsed on the controller by the action plugin, which sets this
        option itself (as one JSON text). Do not set it; a value given in a task is replaced.
    type: raw
    version_added: 1.0.0
"""

    # Attributes every module shares.
    ATTRIBUTES = r"""
attributes:
  action_group:
    description: Use C(group/posit.connect.connect) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - posit.connect.connect
"""
