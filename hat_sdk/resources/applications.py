"""Applications (``client.applications``): list, inspect, set up, disable, status."""

from __future__ import annotations

from enum import StrEnum

from hat_sdk._auth.origin import web_login_url
from hat_sdk._core.resource import ModeT
from hat_sdk._generated.client.api.applications import ApplicationsResource
from hat_sdk._generated.models import Application, HatApplication
from hat_sdk.errors import InvalidInputError

__all__ = ["AppStatus", "Applications", "app_status"]


class AppStatus(StrEnum):
    """What an application's tile in a HAT dashboard shows (see ``app_status``)."""

    RUNNING = "running"
    FETCHING = "fetching"
    FAILING = "failing"
    UNTOUCHED = "untouched"
    UPDATE = "update"
    GOTO = "goto"


def app_status(app: HatApplication) -> AppStatus:
    """The dashboard status of ``app``, derived as the official HAT apps show it.

    In this order: set up and ``needsUpdating`` -> ``UPDATE`` (the owner must consent to the
    new version); not set up or not enabled -> ``GOTO`` for an ``App`` (open it to set it
    up) and ``UNTOUCHED`` for data plugs, tools and contracts; enabled but not ``active``
    (its data debit or status check fails) -> ``FAILING``; active -> ``RUNNING`` when it has
    ``mostRecentData`` or checks no data endpoint at all, else ``FETCHING`` (set up, data
    not arrived yet).
    """
    if app.setup and app.needs_updating:
        return AppStatus.UPDATE
    if not (app.setup and app.enabled):
        return AppStatus.GOTO if app.application.kind.kind == "App" else AppStatus.UNTOUCHED
    if not app.active:
        return AppStatus.FAILING
    checks_data = app.application.status.recent_data_check_endpoint is not None
    if checks_data and app.most_recent_data is None:
        return AppStatus.FETCHING
    return AppStatus.RUNNING


class Applications(ApplicationsResource[ModeT]):
    """Applications and data plugs known to the HAT, and their state (generated operations,
    plus the dashboard ``status`` and the ``setup_url`` to send an owner to)."""

    @staticmethod
    def status(app: HatApplication) -> AppStatus:
        """The dashboard status of ``app``; see ``hat_sdk.types.app_status``."""
        return app_status(app)

    def setup_url(
        self, app: HatApplication | Application | str, redirect_uri: str | None = None
    ) -> str:
        """Where to send the owner's browser to set ``app`` up (a data plug's setup page).

        The HAT's web login for the application; after it the HAT redirects to
        ``redirect_uri`` (default: the application's own ``setup.url``, which for a data plug
        is the plug's setup page) with ``?token=<application JWT>`` appended.
        """
        definition = app.application if isinstance(app, HatApplication) else app
        if isinstance(definition, str):
            app_id, target = definition, redirect_uri
        else:
            app_id, target = definition.id, redirect_uri or definition.setup.url
        if target is None:
            raise InvalidInputError(
                f"application {app_id!r}: pass redirect_uri (no setup URL is known for it)"
            )
        hat_url = self._session.wire.hat_url
        return web_login_url(hat_url, app_id, target, allow_insecure_http=True)
