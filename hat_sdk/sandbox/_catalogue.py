"""The applications the sandbox HAT knows about (standing in for the DEX).

The server fetches them from the DEX ([HAT]
``hat/app/org/hatdex/hat/api/service/applications/TrustedApplicationProviderDex.scala``); their
JSON is [MODELS] ``src/main/scala/org/hatdex/hat/api/models/applications/Application.scala``.

Each entry is the DEX ``Application`` JSON. The catalogue holds one entry per configured
``SandboxApp`` plus a few realistic built-in applications that start not set up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from hat_sdk.sandbox._config import SandboxApp

_RELEASE_DATE = "2024-01-15T12:00:00.000Z"


def _roles(
    namespaces: Iterable[str], extra: Iterable[tuple[str, str | None]]
) -> list[dict[str, str]]:
    roles: list[dict[str, str]] = []
    for namespace in namespaces:
        roles.append({"role": "namespaceread", "detail": namespace})
        roles.append({"role": "namespacewrite", "detail": namespace})
    for title, detail in extra:
        roles.append({"role": title} if detail is None else {"role": title, "detail": detail})
    return roles


def application_json(
    app_id: str,
    *,
    name: str,
    kind: str,
    version: str,
    headline: str,
    roles: Sequence[dict[str, str]],
    recent_data_endpoint: str | None = None,
) -> dict[str, Any]:
    """A DEX ``Application`` document with realistic content for the given essentials."""
    status: dict[str, Any] = {
        "compatibility": version,
        "versionReleaseDate": _RELEASE_DATE,
        "kind": "Internal",
    }
    if recent_data_endpoint is not None:
        status["dataPreviewEndpoint"] = recent_data_endpoint
        status["recentDataCheckEndpoint"] = recent_data_endpoint
    return {
        "id": app_id,
        "kind": {"url": f"https://{app_id}.example.com", "kind": kind},
        "info": {
            "version": version,
            "published": True,
            "name": name,
            "headline": headline,
            "description": {"text": f"{name}: {headline}."},
            "termsUrl": f"https://{app_id}.example.com/terms",
            "dataUsePurpose": f"{name} reads and writes only the data it was granted.",
            "supportContact": f"support@{app_id}.example.com",
            "dataPreview": [],
            "graphics": {
                "banner": {"normal": ""},
                "logo": {"normal": f"https://{app_id}.example.com/logo.png"},
                "screenshots": [],
            },
        },
        "developer": {
            "id": "sandbox",
            "name": "HAT Sandbox",
            "url": "https://example.com",
            "country": "United Kingdom",
        },
        "permissions": {"rolesGranted": list(roles)},
        "setup": {
            "url": f"https://{app_id}.example.com/authenticate",
            "validRedirectUris": [f"https://{app_id}.example.com/callback"],
            "kind": "External",
        },
        "status": status,
    }


def _from_config(app: SandboxApp) -> dict[str, Any]:
    return application_json(
        app.id,
        name=app.name or app.id,
        kind="App",
        version=app.version,
        headline="Application registered with the sandbox",
        roles=_roles(app.namespaces, app.extra_roles),
    )


def _built_ins() -> list[dict[str, Any]]:
    return [
        application_json(
            "notables",
            name="Notables",
            kind="App",
            version="1.1.0",
            headline="Share notes from your HAT",
            roles=_roles(["rumpel"], [("retrieveapplicationtoken", "notables")]),
            recent_data_endpoint="rumpel/notablesv1",
        ),
        application_json(
            "spotify",
            name="Spotify",
            kind="DataPlug",
            version="1.2.0",
            headline="Your listening history",
            roles=_roles(["spotify"], []),
            recent_data_endpoint="spotify/feed",
        ),
        application_json(
            "hatapp",
            name="HAT App",
            kind="App",
            version="1.2.4",
            headline="The HAT Dashboard",
            roles=_roles([], [("owner", None), ("applicationlist", None)]),
        ),
    ]


def build_catalogue(apps: Iterable[SandboxApp]) -> dict[str, dict[str, Any]]:
    """Built-in applications, overridden by (and followed by) the configured ones."""
    catalogue = {a["id"]: a for a in _built_ins()}
    for app in apps:
        catalogue[app.id] = _from_config(app)
    return catalogue
