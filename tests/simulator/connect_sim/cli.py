"""``connect-sim``: run the simulator as its own process and announce it in a ready file."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import tempfile
import threading

from werkzeug.serving import make_server

from .app import create_app
from .config import (DEFAULT_USER_ROLES, DEFAULT_VERSION, MEMBER_LISTINGS, PROVIDERS, VERSIONS,
                     SimConfig)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="connect-sim",
        description="Simulated Posit Connect users/groups API for tests.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--ready-file", help="where to write the JSON ready announcement")
    parser.add_argument("--provider", choices=PROVIDERS, default="password")
    parser.add_argument("--google", action="store_true",
                        help="oauth2 provider is Google: remote search and ticket creation")
    parser.add_argument("--version", choices=VERSIONS, default=DEFAULT_VERSION,
                        help="Connect version to imitate ('hidden' = no version published)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a fresh test CA")
    parser.add_argument("--admin-key", help="API key of the admin user (default: random)")
    parser.add_argument("--username-case", choices=("sensitive", "insensitive"),
                        default="sensitive", help="how usernames are compared for uniqueness")
    parser.add_argument("--group-provisioning", action="store_true",
                        help="the provider supplies group memberships")
    parser.add_argument("--publishers-can-own-groups", action="store_true",
                        help="Authorization.PublishersCanOwnGroups = true")
    parser.add_argument("--groups-by-unique-id", action="store_true",
                        help="saml/oauth2/proxy: groups may carry the provider's unique_id")
    parser.add_argument("--member-listing", choices=MEMBER_LISTINGS, default="paged",
                        help="members listings in pages (like users) or all in one answer")
    parser.add_argument("--default-user-role", choices=DEFAULT_USER_ROLES, default="viewer",
                        help="Authorization.DefaultUserRole: the role of a user created "
                             "without user_role")
    parser.add_argument("--verbose", action="store_true", help="log every HTTP request")
    return parser.parse_args(argv)


def build_config(args: argparse.Namespace) -> SimConfig:
    options = dict(provider=args.provider, google=args.google, version=args.version,
                   username_case=args.username_case,
                   group_provisioning=args.group_provisioning,
                   publishers_can_own_groups=args.publishers_can_own_groups,
                   groups_by_unique_id=args.groups_by_unique_id,
                   member_listing=args.member_listing,
                   default_user_role=args.default_user_role)
    if args.admin_key:
        options["admin_key"] = args.admin_key
    try:
        return SimConfig(**options)
    except ValueError as error:
        raise SystemExit(f"connect-sim: {error}") from None


def write_ready_file(path: str, data: dict) -> None:
    """Write atomically so a waiting test never reads half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp_path = tempfile.mkstemp(prefix=".connect-sim-ready-", dir=folder)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle)
    os.replace(temp_path, path)


def ca_file_path(ready_file: str | None) -> str:
    if ready_file:
        return os.path.abspath(ready_file) + ".ca.pem"
    return os.path.join(tempfile.mkdtemp(prefix="connect-sim-"), "ca.pem")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="connect-sim: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.WARNING)
    config = build_config(args)
    app = create_app(config)
    ssl_context, ca_file = None, None
    if args.tls:
        from .tls import server_ssl_context  # cryptography only needed for TLS runs
        ca_file = ca_file_path(args.ready_file)
        ssl_context = server_ssl_context(ca_file)
    server = make_server(args.host, args.port, app, threaded=True, ssl_context=ssl_context)
    scheme = "https" if args.tls else "http"
    url_host = f"[{args.host}]" if ":" in args.host else args.host
    ready = {"url": f"{scheme}://{url_host}:{server.server_port}", "api_key": config.admin_key,
             "provider": config.provider, "version": config.version, "pid": os.getpid(),
             "google": config.google, "default_user_role": config.default_user_role,
             "admin_guid": app.extensions["connect_sim"].store.admin_guid}
    if ca_file:
        ready["ca_file"] = ca_file

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    # serve_forever runs in a thread: shutdown() must be called from another
    # thread than the serving one, and the main thread must stay free for signals.
    serving = threading.Thread(target=server.serve_forever, name="connect-sim-server",
                               daemon=True)
    serving.start()
    if args.ready_file:
        write_ready_file(args.ready_file, ready)
    print(json.dumps(ready), file=sys.stderr, flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    serving.join(timeout=5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
