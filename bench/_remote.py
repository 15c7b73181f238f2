"""A sandbox HAT in a child process, with its knobs driven over a pipe.

Benchmarks run the server in its own process so that client and server do not share one
interpreter lock: what is timed is the client's work plus a real loopback round trip.
"""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Self

from hat_sdk.sandbox import Sandbox


def _serve(control: Connection) -> None:
    """Child process: run a sandbox and answer knob commands until told to stop."""
    sandbox = Sandbox(seed=1)
    with sandbox as url:
        control.send(url)
        while True:
            command, argument = control.recv()
            if command == "stop":
                break
            if command == "log":
                control.send([tuple(entry) for entry in sandbox.request_log])
                continue
            if command == "clear":
                sandbox.clear_request_log()
            else:
                setattr(sandbox.knobs, command, argument)
            control.send(None)


class RemoteSandbox:
    """``with RemoteSandbox() as hat:`` a sandbox in a child process; ``hat.url`` to reach it."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._control, child_end = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_end,), daemon=True)
        self.url = ""

    def __enter__(self) -> Self:
        self._process.start()
        self.url = self._control.recv()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._control.send(("stop", None))
        self._process.join(30)

    def _call(self, command: str, argument: Any = None) -> Any:
        self._control.send((command, argument))
        return self._control.recv()

    def set_latency(self, seconds: float) -> None:
        """Seconds the server adds to every request."""
        self._call("latency", seconds)

    def set_clock_offset(self, offset: timedelta) -> None:
        """How far the server's clock runs ahead (negative: behind)."""
        self._call("clock_offset", offset)

    def requests(self) -> list[tuple[str, str, int]]:
        """(method, path, status) of the requests served since the log was last cleared."""
        log: list[tuple[str, str, int]] = self._call("log")
        return log

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._call("clear")
