"""Figures of the conformance run: cases sent and statuses seen, per spec operation.

The test module records every response here; ``conftest.py`` prints the summary at the end of
the session and the positive-authentication test asserts over it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class OperationStats:
    """Statuses of the responses one operation produced (key: the HTTP status code)."""

    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def cases(self) -> int:
        """Number of requests sent."""
        return sum(self.statuses.values())

    @property
    def successes(self) -> int:
        """Number of 2xx and 3xx answers (getFileContent succeeds with a 303 redirect)."""
        return sum(n for status, n in self.statuses.items() if 200 <= status < 400)


@dataclass
class RunStats:
    """Everything the conformance run recorded, keyed by ``operationId``."""

    operations: defaultdict[str, OperationStats] = field(
        default_factory=lambda: defaultdict(OperationStats)
    )
    failed_tests: list[str] = field(default_factory=list)
    spec_operations: int = 0
    notes: Counter[str] = field(default_factory=Counter)

    def record(self, operation_id: str, status: int) -> None:
        """Count one response."""
        self.operations[operation_id].statuses[status] += 1

    def note(self, what: str) -> None:
        """Count a case worth reporting apart (probes, documented exceptions to checks)."""
        self.notes[what] += 1

    @property
    def cases(self) -> int:
        """Requests sent over the whole run."""
        return sum(op.cases for op in self.operations.values())

    def summary_lines(self) -> list[str]:
        """Human-readable figures for the terminal summary."""
        successes = sum(op.successes for op in self.operations.values())
        lines = [
            f"operations covered: {len(self.operations)}/{self.spec_operations}",
            f"cases sent to declared operations: {self.cases} ({successes} answered 2xx/3xx)",
        ]
        lines += [f"  {what}: {n}" for what, n in sorted(self.notes.items())]
        lines.append(f"failed tests: {len(self.failed_tests)}")
        lines += [f"  {name}" for name in self.failed_tests]
        for operation_id, op in sorted(self.operations.items()):
            statuses = ", ".join(f"{s}x{n}" for s, n in sorted(op.statuses.items()))
            lines.append(f"  {operation_id}: {op.cases} cases ({statuses})")
        return lines


RUN = RunStats()
"""The statistics of this pytest session."""
