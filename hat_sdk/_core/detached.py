"""Work that outlives a ``yield``: started now, awaited later, cancelled if not wanted.

An async generator must not yield inside a task group: left at a yield, its cancel scope would
be exited from another task. So the reads an async iteration keeps in flight while it yields
records run as tasks of their own, outside any task group: an asyncio task, or under trio a
system task (trio's only unstructured task) inside a cancel scope of ours. They never raise:
an error is kept as the outcome, for the awaiting side to raise in its turn.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import anyio

__all__ = ["Detached"]

T = TypeVar("T")


class Detached(Generic[T]):
    """``run()`` running in a task of its own, started by the constructor."""

    def __init__(self, run: Callable[[], Awaitable[T]]) -> None:
        self._run = run
        self._outcome: T | Exception = RuntimeError("the detached task did not finish")
        self._finished = anyio.Event()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not asyncio: anyio's other backend, trio
            self._cancel = self._start_in_trio()
        else:
            self._cancel = loop.create_task(self._keep_outcome()).cancel

    def _start_in_trio(self) -> Callable[[], object]:
        import trio

        scope = trio.CancelScope()

        async def in_scope() -> None:
            with scope:
                await self._keep_outcome()

        # The caller's context, as an asyncio task would have (trio's default is the system's).
        trio.lowlevel.spawn_system_task(in_scope, context=contextvars.copy_context())
        return scope.cancel

    async def _keep_outcome(self) -> None:
        try:
            self._outcome = await self._run()
        except Exception as error:  # raised by outcome(), in the order the caller awaits
            self._outcome = error
        finally:
            self._finished.set()

    async def outcome(self) -> T:
        """Wait for ``run()`` to finish; its result, or the exception it raised."""
        await self._finished.wait()
        if isinstance(self._outcome, Exception):
            raise self._outcome
        return self._outcome

    def cancel(self) -> None:
        """Stop ``run()`` if it is still running; its outcome is not to be awaited then."""
        self._cancel()

    async def finished(self) -> None:
        """Wait for the task to end, however it ends (cancelled ones end at their next await)."""
        await self._finished.wait()
