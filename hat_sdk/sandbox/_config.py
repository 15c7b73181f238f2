"""Sandbox configuration: owner credentials and the applications registered with the HAT."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DEFAULT_OWNER = "sandbox"
DEFAULT_PASSWORD = "sandbox"
DEFAULT_APP_ID = "sandbox-app"
HAT_VERSION = "v2.8.18"

_NAMESPACE = re.compile(r"^[0-9a-z-]+$")
_APP_ID = re.compile(r"^[0-9a-zA-Z-]+$")


@dataclass(frozen=True)
class SandboxApp:
    """An application registered with the sandbox HAT.

    It is granted ``namespaceread`` and ``namespacewrite`` on each of ``namespaces`` and any
    ``extra_roles`` (pairs of role title and optional detail, e.g. ``("owner", None)`` or
    ``("retrieveapplicationtoken", "other-app")``). ``enabled`` says whether it starts set up.
    """

    id: str
    namespaces: tuple[str, ...] = ()
    enabled: bool = True
    version: str = "1.0.0"
    name: str | None = None
    extra_roles: tuple[tuple[str, str | None], ...] = ()

    def __post_init__(self) -> None:
        if not _APP_ID.match(self.id):
            raise ValueError(
                f"application id {self.id!r} is invalid: use letters, digits and '-' only"
            )
        for namespace in self.namespaces:
            if not _NAMESPACE.match(namespace):
                raise ValueError(
                    f"namespace {namespace!r} of application {self.id!r} is invalid: "
                    "use lowercase letters, digits and '-' only"
                )

    @classmethod
    def parse(cls, spec: str) -> SandboxApp:
        """Parse the CLI form ``ID:NAMESPACE[,NAMESPACE...]`` (``ID`` alone grants no namespace)."""
        app_id, _, namespaces = spec.partition(":")
        return cls(app_id, tuple(ns for ns in namespaces.split(",") if ns))


def default_apps() -> tuple[SandboxApp, ...]:
    """The single enabled application ``sandbox-app`` owning namespace ``sandbox-app``."""
    return (SandboxApp(DEFAULT_APP_ID, (DEFAULT_APP_ID,)),)


@dataclass(frozen=True)
class SandboxConfig:
    """Everything needed to build a sandbox HAT server."""

    owner: str = DEFAULT_OWNER
    password: str = field(default=DEFAULT_PASSWORD, repr=False)
    apps: tuple[SandboxApp, ...] = field(default_factory=default_apps)
    db_path: str = ":memory:"
    host: str = "127.0.0.1"
    port: int = 0
    owner_email: str = "sandbox@example.com"


def parse_owner(spec: str) -> tuple[str, str]:
    """Split the CLI form ``USER:PASSWORD``; raises ``ValueError`` when either part is empty."""
    user, sep, password = spec.partition(":")
    if not sep or not user or not password:
        raise ValueError("owner must be given as USER:PASSWORD, e.g. sandbox:sandbox")
    return user, password
