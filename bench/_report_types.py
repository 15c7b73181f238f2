"""One benchmark result row: what was measured, the figure, the goal and whether it was met."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """A row of the results table.

    ``figures`` keeps the raw numbers (seconds, counts, bytes) for ``results.json``;
    ``measured`` is their human reading; ``met`` is None for rows without a goal.
    """

    section: str
    case: str
    measured: str
    figures: dict[str, float] = field(default_factory=dict)
    goal: str = ""
    met: bool | None = None
    note: str = ""


def ms(seconds: float) -> str:
    """``seconds`` as milliseconds for the table."""
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"
