"""Scope: the namespace and request target every operation of one client works in."""

from __future__ import annotations

from dataclasses import dataclass

from hat_sdk._records.requests import RecordRequests
from hat_sdk._records.validation import check_namespace, endpoint_path

__all__ = ["Scope"]


@dataclass(frozen=True, slots=True)
class Scope:
    """What every operation of one client needs: its namespace and request target."""

    namespace: str
    target: RecordRequests

    def locate(self, endpoint: str | None) -> str:
        """The full ``"namespace/endpoint"`` of ``endpoint`` (validated)."""
        namespace, relative = endpoint_path(check_namespace(self.namespace), endpoint)
        return f"{namespace}/{relative}"
