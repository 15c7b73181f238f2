"""``hat-sandbox`` / ``python -m hat_sdk.sandbox``: run a sandbox HAT until SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from urllib.parse import urlsplit

from hat_sdk._extras import MissingExtraError, require_extra
from hat_sdk.sandbox._config import (
    DEFAULT_OWNER,
    DEFAULT_PASSWORD,
    SandboxApp,
    SandboxConfig,
    default_apps,
    parse_owner,
)
from hat_sdk.sandbox._knobs import Knobs
from hat_sdk.sandbox._server import bind_socket, build_server, hat_host, socket_url, url_domain

_EPILOG = f"""\
The owner logs in as {DEFAULT_OWNER} / {DEFAULT_PASSWORD} unless --owner says otherwise, e.g.
  HAT_URL=http://127.0.0.1:8080 HAT_USERNAME={DEFAULT_OWNER} HAT_PASSWORD={DEFAULT_PASSWORD} \\
    hat whoami
"""


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run a local HAT (Hub of All Things) sandbox server.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to bind (default %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8080,
        help="port to bind; 0 picks a free one (default %(default)s)",
    )
    parser.add_argument(
        "--db", default=":memory:", help="SQLite file to persist data (default: in memory)"
    )
    parser.add_argument(
        "--owner",
        default=f"{DEFAULT_OWNER}:{DEFAULT_PASSWORD}",
        metavar="USER:PASSWORD",
        help="owner credentials (default %(default)s)",
    )
    parser.add_argument(
        "--app",
        action="append",
        default=[],
        metavar="ID:NAMESPACE[,NAMESPACE...]",
        help="register an enabled application (repeatable; default sandbox-app:sandbox-app)",
    )
    parser.add_argument(
        "--hat",
        action="append",
        default=[],
        metavar="HOST",
        help="also serve a HAT at HOST:PORT (repeatable; same owner and apps, own key and "
        "data, in memory); the first HAT is the one at --host",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="fraction of requests that fail (0..1)"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for fault injection")
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "hat-sandbox") -> int:
    """Parse arguments, serve, and return the exit status (0 after SIGTERM/SIGINT)."""
    parser = _parser(prog)
    args = parser.parse_args(argv)
    try:
        require_extra("sandbox", prog)
    except MissingExtraError as exc:
        parser.exit(1, f"{prog}: {exc}\n")
    try:
        owner, password = parse_owner(args.owner)
        apps = tuple(SandboxApp.parse(spec) for spec in args.app) or default_apps()
        extra_hosts = list(dict.fromkeys(hat_host(host) for host in args.hat))
        if args.host.lower() in extra_hosts:
            raise ValueError(f"--hat {args.host} is the HAT --host already serves")
        knobs = Knobs(args.seed)
        knobs.latency = args.latency
        knobs.fault_rate = args.fault_rate
    except ValueError as exc:
        parser.error(str(exc))
    config = SandboxConfig(
        owner=owner, password=password, apps=apps, db_path=args.db, host=args.host, port=args.port
    )
    try:
        sock = bind_socket(config.host, config.port)
    except OSError as exc:
        parser.exit(1, f"{prog}: cannot listen on {config.host}:{config.port}: {exc}\n")
    server, hats = build_server(config, knobs, sock)
    url = socket_url(sock)
    extra_urls = [f"http://{host}:{urlsplit(url).port}" for host in extra_hosts]
    extra = SandboxConfig(owner=owner, password=password, apps=apps)
    for extra_url in extra_urls:
        hats.add(url_domain(extra_url), extra)
    # uvicorn re-raises the signal it caught once it has shut down; make that a no-op so the
    # process ends normally with status 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    print(f"HAT sandbox listening on {url}", flush=True)
    for extra_url in extra_urls:
        print(f"HAT sandbox also serving {extra_url}", flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        hats.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
