"""The checkpoint file that lets an interrupted export or import continue without loss or repeats.

It sits next to the data file (``FILE.jsonl.checkpoint``) and records how much of the work is
safely done. It is replaced atomically after each page or batch, and removed once all is done.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal, Self

from hat_sdk.cli._exit import CliInputError

__all__ = ["Checkpoint", "checkpoint_path"]


def checkpoint_path(data_file: Path) -> Path:
    """Where the checkpoint of work on ``data_file`` lives."""
    return data_file.with_name(f"{data_file.name}.checkpoint")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Progress of one export or import.

    Attributes:
        command: ``export`` or ``import``.
        hat_url: the HAT the records come from or go to.
        target: the endpoint exported, or the ``--to`` endpoint of an import (``""``: as in file).
        done: records written to the file (export) or lines confirmed stored (import).
        size: bytes of the export file that hold those records (export).
        offset: position, in the endpoint's order, of the next record to read (export).
        anchor: ids of the records just before ``offset`` (export): the next read starts with
            them again, to check that the endpoint did not shift under the export.
        rescan: the export re-reads the endpoint from its start after it shifted, skipping the
            records whose ids are already in the file.
        pending: last line of an import batch that was sent but whose outcome is not known
            (0: none).
        source: a digest of the file imported (import): resuming on a changed file would
            count other lines as done.
    """

    command: Literal["export", "import"]
    hat_url: str
    target: str
    done: int = 0
    size: int = 0
    offset: int = 0
    anchor: tuple[str, ...] = ()
    rescan: bool = False
    pending: int = 0
    source: str = ""

    @classmethod
    def load(cls, path: Path) -> Self | None:
        """The checkpoint stored at ``path``, or ``None`` if there is none."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            loaded = cls(**{**raw, "anchor": tuple(raw.get("anchor", ()))})
            loaded._check_types()
        except FileNotFoundError:
            return None
        except (ValueError, TypeError) as exc:
            raise CliInputError(
                f"{path} is not a hat checkpoint ({exc}); delete it to start from the beginning"
            ) from None
        return loaded

    def _check_types(self) -> None:
        """Raise ``ValueError`` unless every attribute holds a value of its kind."""
        if self.command not in ("export", "import"):
            raise ValueError(f"command {self.command!r}")
        for name in ("hat_url", "target", "source"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} is not a string")
        for name in ("done", "size", "offset", "pending"):
            count = getattr(self, name)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"{name} is not a count")
        if not all(isinstance(id_, str) for id_ in self.anchor):
            raise ValueError("anchor is not a list of record ids")
        if not isinstance(self.rescan, bool):
            raise ValueError("rescan is not true or false")

    def check_matches(self, other: Checkpoint, path: Path) -> None:
        """Refuse to resume work that is not the same command on the same HAT and endpoint,
        or an import of a file that changed since."""
        mine = (self.command, self.hat_url, self.target)
        if mine != (other.command, other.hat_url, other.target):
            afresh = "pass --force" if other.command == "export" else "delete the checkpoint"
            raise CliInputError(
                f"{path} belongs to another run ({self.command} {self.target or '(file)'} on "
                f"{self.hat_url}); finish that run, or {afresh} to start afresh"
            )
        if self.source == other.source:
            return
        if not self.source:
            raise CliInputError(
                f"{path} was written by an earlier hat-sdk, which did not note which file it"
                " imports, so hat cannot tell whether the file changed since: delete it and"
                " import again with --skip-duplicates (the records already stored are skipped)"
            )
        raise CliInputError(
            f"the file changed since the import that left {path}: the lines it counts as"
            " stored may not be those of the file now. Restore the file and run again, or"
            " delete the checkpoint and import again with --skip-duplicates"
        )

    def advanced(self, **progress: Any) -> Self:
        """A copy with new progress (the attributes given)."""
        return replace(self, **progress)

    @property
    def started(self) -> bool:
        """Whether any work of this run may have taken effect."""
        return self != replace(self, done=0, size=0, offset=0, anchor=(), rescan=False, pending=0)

    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves either the old or the new checkpoint, never half."""
        scratch = path.with_name(f"{path.name}.tmp")
        with scratch.open("w", encoding="utf-8") as handle:
            json.dump(asdict(self), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, path)
