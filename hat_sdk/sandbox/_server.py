"""Running the sandbox HAT on a real loopback port: ``Sandbox`` and the CLI's server runner.

Starlette and uvicorn are imported only when a server starts, so importing this module (and
``hat_sdk.sandbox``) stays cheap and works without the ``sandbox`` extra installed.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from hat_sdk._extras import require_extra
from hat_sdk.sandbox._config import (
    DEFAULT_OWNER,
    DEFAULT_PASSWORD,
    SandboxApp,
    SandboxConfig,
    default_apps,
)
from hat_sdk.sandbox._knobs import Knobs, LoggedRequest

if TYPE_CHECKING:
    import uvicorn

    from hat_sdk.sandbox._hats import Hats

_STARTUP_TIMEOUT = 30.0
_SHUTDOWN_TIMEOUT = 10.0
_DROPPED_CONNECTION_LOG = "ASGI callable returned without completing response."


class _HideInjectedDrops(logging.Filter):
    """Dropped connections are a deliberate fault knob, not a server bug worth logging."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _DROPPED_CONNECTION_LOG


_drop_filter = _HideInjectedDrops()


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (``port=0`` picks a free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An explicit IPPROTO_TCP lets asyncio enable TCP_NODELAY on accepted connections; without
    # it every keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


_WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def socket_url(sock: socket.socket) -> str:
    """``http://HOST:PORT`` of a bound socket (IPv6 hosts in brackets); a socket bound to all
    interfaces is reached, and its first HAT named, through loopback."""
    host, port = sock.getsockname()[:2]
    host = _WILDCARDS.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def url_domain(url: str) -> str:
    """The HAT domain a client of ``url`` names in its ``Host`` header: ``host[:port]``."""
    return urlsplit(url).netloc


def build_server(
    config: SandboxConfig, knobs: Knobs, sock: socket.socket
) -> tuple[uvicorn.Server, Hats]:
    """A uvicorn server (not yet running) for ``sock`` serving one fresh HAT, ``config``'s, at
    the domain of the socket's URL; more may be added to the returned ``Hats``."""
    require_extra("sandbox", "The sandbox HAT")
    import uvicorn

    from hat_sdk.sandbox._app import build_app, new_hats

    hats = new_hats(knobs)
    hats.add(url_domain(socket_url(sock)), config)
    logging.getLogger("uvicorn.error").addFilter(_drop_filter)
    server = uvicorn.Server(
        uvicorn.Config(
            build_app(hats, knobs),
            log_config=None,
            log_level="warning",
            access_log=False,
            server_header=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
    )
    return server, hats


def hat_host(host: str) -> str:
    """``host`` lower-cased (as clients send it) after checking it names a host, no port."""
    name = host.strip().lower()
    bare = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    if not bare or any(c in name for c in "/?#@ ") or (":" in bare and bare == name):
        raise ValueError(
            f"host {host!r} is invalid: give a host name or IP address without a port "
            "(IPv6 in brackets), e.g. 'localhost'"
        )
    return name


@dataclass(frozen=True)
class SandboxHat:
    """One HAT a running sandbox serves: its base URL and its owner's credentials.

    Every HAT has its own signing key, owner and data; a token of one is refused by another.
    """

    url: str
    owner: str
    password: str = field(repr=False)

    @property
    def domain(self) -> str:
        """The HAT's domain, ``host:port``: the ``Host`` that selects it and its tokens' ``iss``."""
        return url_domain(self.url)


class Sandbox:
    """A local HAT server for tests and development, running in a background thread.

    ``with Sandbox() as url:`` starts it on a free loopback port and yields its base URL; leaving
    the block stops it. Defaults: owner ``sandbox``/``sandbox``, one enabled application
    ``sandbox-app`` with read/write on namespace ``sandbox-app``, in-memory database.
    Test knobs ([`knobs`][hat_sdk.sandbox.Sandbox.knobs]) may be changed at any time, also while
    serving.

    Like the real server, it hosts HATs by the request's ``Host`` header (port included): it
    starts with one, at the host of its own URL (``127.0.0.1:PORT``), and ``add_hat``
    serves more on the same port, e.g. ``localhost:PORT``. A request for any other host answers
    404 ``{"error":"Not Found","message":"HAT unavailable"}``.

    Args:
        owner: the first HAT's owner username (``/users/access_token`` header ``username``).
        password: the first HAT owner's password.
        apps: the first HAT's registered applications (``None``: the default ``sandbox-app``).
        db_path: SQLite file that keeps the first HAT's data across restarts (default: in
            memory).
        host: interface to listen on.
        port: port to listen on; ``0`` picks a free one.
        seed: makes fault injection (``knobs.fault_rate``) deterministic.
    """

    def __init__(
        self,
        *,
        owner: str = DEFAULT_OWNER,
        password: str = DEFAULT_PASSWORD,
        apps: Sequence[SandboxApp] | None = None,
        db_path: str | Path = ":memory:",
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
    ) -> None:
        require_extra("sandbox", "Sandbox")  # fail here, not in the server thread at start
        self._config = SandboxConfig(
            owner=owner,
            password=password,
            apps=default_apps() if apps is None else tuple(apps),
            db_path=str(db_path),
            host=host,
            port=port,
        )
        self.knobs = Knobs(seed)
        """Latency, fault injection, clock offset and the request log
        (see [`Knobs`][hat_sdk.sandbox.Knobs])."""
        self._server: uvicorn.Server | None = None
        self._hats: Hats | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None
        self._failure: BaseException | None = None

    def __repr__(self) -> str:
        return f"Sandbox(url={self._url!r}, owner={self._config.owner!r})"

    @property
    def url(self) -> str:
        """Base URL ``http://HOST:PORT`` of the running sandbox."""
        if self._url is None:
            raise RuntimeError("the sandbox is not running; call start() or use `with Sandbox()`")
        return self._url

    @property
    def owner(self) -> str:
        """The first HAT owner's username."""
        return self._config.owner

    @property
    def password(self) -> str:
        """The first HAT owner's password."""
        return self._config.password

    @property
    def hats(self) -> list[SandboxHat]:
        """The HATs served, first the one at ``url``, then those added, in order (none
        while stopped)."""
        served = self._hats.served() if self._hats is not None else []
        return [
            SandboxHat(f"http://{domain}", hat.config.owner, hat.config.password)
            for domain, hat in served
        ]

    def add_hat(
        self,
        host: str,
        *,
        owner: str = DEFAULT_OWNER,
        password: str = DEFAULT_PASSWORD,
        apps: Sequence[SandboxApp] | None = None,
        db_path: str | Path = ":memory:",
    ) -> SandboxHat:
        """Serve one more HAT, at ``host`` on this sandbox's port, until ``stop``.

        ``host`` must reach this sandbox: ``"localhost"`` next to the default ``127.0.0.1``
        makes a second HAT at ``http://localhost:PORT``. The new HAT has its own key, owner
        (``owner``/``password``), applications (``apps``, default ``sandbox-app``) and data
        (``db_path``, default in memory). Raises ``ValueError`` for a host already served.
        """
        if self._hats is None or self._url is None:
            raise RuntimeError("the sandbox is not running; start it before adding HATs")
        port = urlsplit(self._url).port
        hat = SandboxHat(f"http://{hat_host(host)}:{port}", owner, password)
        config = SandboxConfig(
            owner=owner,
            password=password,
            apps=default_apps() if apps is None else tuple(apps),
            db_path=str(db_path),
        )
        self._hats.add(hat.domain, config)
        return hat

    @property
    def request_log(self) -> list[LoggedRequest]:
        """``(method, path, status)`` of every request served so far, oldest first."""
        return self.knobs.request_log

    def clear_request_log(self) -> None:
        """Forget the requests logged so far."""
        self.knobs.clear_request_log()

    def start(self) -> str:
        """Start serving and return the base URL once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the sandbox is already running")
        sock = bind_socket(self._config.host, self._config.port)
        server, self._hats = build_server(self._config, self.knobs, sock)
        self._server = server
        self._failure = None
        self._thread = threading.Thread(
            target=self._serve, args=(server, sock), name="hat-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                self.stop()
                raise RuntimeError("the sandbox server failed to start") from self._failure
            time.sleep(0.002)
        self._url = socket_url(sock)
        return self._url

    def _serve(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported by start() or stop()
            self._failure = exc

    def stop(self) -> None:
        """Stop serving, wait for the server thread and close the database."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(_SHUTDOWN_TIMEOUT)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(_SHUTDOWN_TIMEOUT)
        if self._hats is not None:
            self._hats.close()
        self._server = self._hats = self._thread = self._url = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
