"""Runtime test knobs of a sandbox: latency, injected faults, clock offset and the request log.

All knobs are off by default. Tests set them from their own thread while the server thread reads
them, so every access goes through a lock.
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta
from typing import Literal, NamedTuple

FaultPhase = Literal["before", "after", "either"]
FaultKind = Literal["500", "503", "drop"]
FAULT_KINDS: tuple[FaultKind, ...] = ("500", "503", "drop")
DROPPED = 0
"""Status recorded in the request log for a connection dropped without a response."""


class LoggedRequest(NamedTuple):
    """One served request: method, path and the status sent (``DROPPED`` when none was)."""

    method: str
    path: str
    status: int


class FaultPlan(NamedTuple):
    """The fault chosen for one request: what to send and whether the handler runs first."""

    kind: FaultKind
    after_handler: bool


class Knobs:
    """Mutable, thread-safe test knobs (see the attribute docs)."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._latency = 0.0
        self._fault_rate = 0.0
        self._fault_phase: FaultPhase = "either"
        self._fault_kinds: tuple[FaultKind, ...] = FAULT_KINDS
        self._clock_offset = timedelta(0)
        self._stall = 0.0
        self._random = random.Random(seed)
        self._log: list[LoggedRequest] = []

    @property
    def latency(self) -> float:
        """Seconds added before every request is handled (default 0)."""
        with self._lock:
            return self._latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"latency must be >= 0 seconds, got {seconds}")
        with self._lock:
            self._latency = float(seconds)

    @property
    def fault_rate(self) -> float:
        """Fraction (0..1) of requests answered 500/503 or dropped instead of served normally."""
        with self._lock:
            return self._fault_rate

    @fault_rate.setter
    def fault_rate(self, rate: float) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"fault_rate must be between 0 and 1, got {rate}")
        with self._lock:
            self._fault_rate = float(rate)

    @property
    def fault_phase(self) -> FaultPhase:
        """When faults strike: ``'before'`` the handler runs, ``'after'`` it ran (its effects are
        kept but its response is lost, so the outcome is unknown to the client), or ``'either'``
        (chosen at random per request; the default)."""
        with self._lock:
            return self._fault_phase

    @fault_phase.setter
    def fault_phase(self, phase: FaultPhase) -> None:
        if phase not in ("before", "after", "either"):
            raise ValueError(f"fault_phase must be 'before', 'after' or 'either', got {phase!r}")
        with self._lock:
            self._fault_phase = phase

    @property
    def fault_kinds(self) -> tuple[FaultKind, ...]:
        """Which faults may be injected: any of ``'500'``, ``'503'``, ``'drop'`` (default all)."""
        with self._lock:
            return self._fault_kinds

    @fault_kinds.setter
    def fault_kinds(self, kinds: tuple[FaultKind, ...]) -> None:
        unknown = [k for k in kinds if k not in FAULT_KINDS]
        if not kinds or unknown:
            raise ValueError(f"fault_kinds must be a non-empty subset of {FAULT_KINDS}")
        with self._lock:
            self._fault_kinds = tuple(kinds)

    @property
    def clock_offset(self) -> timedelta:
        """How far ahead of real time the server's clock runs (ages tokens; default 0)."""
        with self._lock:
            return self._clock_offset

    @clock_offset.setter
    def clock_offset(self, offset: timedelta) -> None:
        with self._lock:
            self._clock_offset = offset

    @property
    def stall(self) -> float:
        """Seconds every response hangs in the middle of its body (default 0: off).

        The status, the headers and the first half of the body are sent; then the server waits
        this long, or until the client gives up, and closes the connection without the rest.
        """
        with self._lock:
            return self._stall

    @stall.setter
    def stall(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"stall must be >= 0 seconds, got {seconds}")
        with self._lock:
            self._stall = float(seconds)

    def seed(self, seed: int) -> None:
        """Make fault injection deterministic from now on."""
        with self._lock:
            self._random.seed(seed)

    def plan_fault(self) -> FaultPlan | None:
        """Decide whether the current request fails, and how."""
        with self._lock:
            if self._fault_rate <= 0.0 or self._random.random() >= self._fault_rate:
                return None
            kind = self._random.choice(self._fault_kinds)
            if self._fault_phase == "either":
                after = self._random.random() < 0.5
            else:
                after = self._fault_phase == "after"
            return FaultPlan(kind, after)

    def log(self, entry: LoggedRequest) -> None:
        """Append one served request to the log."""
        with self._lock:
            self._log.append(entry)

    @property
    def request_log(self) -> list[LoggedRequest]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._log)

    def clear_request_log(self) -> None:
        """Forget all logged requests."""
        with self._lock:
            self._log.clear()
