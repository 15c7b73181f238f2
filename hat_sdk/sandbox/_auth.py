"""Token authentication and the HAT authorisation model.

Sources: [HAT] ``hat/app/org/hatdex/hat/authentication/Authorization.scala`` (``WithRole``,
``ContainsApplicationRole``), ``hat/conf/application.conf:75-79`` (``X-Auth-Token``, idle timeout
and expiry), ``hat/app/org/hatdex/hat/modules/SilhouetteModule.scala:235-253`` (no
``requestParts``: the token is read from any request part); [SIL]
``silhouette/app/com/mohiva/play/silhouette/api/RequestHandler.scala`` (the sliding refresh).

Route handlers call ``authenticate`` (SecuredAction) or ``optional_caller``
(UserAwareAction), then ``authorize`` with the endpoint's ``WithRole(...)`` and
``ContainsApplicationRole(...)`` alternatives. A successful authentication stores the re-signed
token in ``request.state.refreshed_token``; the refresh middleware copies it into the response's
``X-Auth-Token`` header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from hat_sdk.sandbox import _jwt_codec
from hat_sdk.sandbox._errors import forbidden, hat_unavailable, not_authenticated
from hat_sdk.sandbox._hats import Hats
from hat_sdk.sandbox._state import SandboxState

TOKEN_FIELD = "X-Auth-Token"


@dataclass(frozen=True)
class Role:
    """A HAT role: ``title`` (e.g. ``namespacewrite``) and optional ``detail`` (e.g. a namespace).

    As a *requirement*, ``detail="*"`` is satisfied by a grant with any detail.
    """

    title: str
    detail: str | None = None

    def satisfied_by(self, grant: Role) -> bool:
        """Whether an application's granted role meets this requirement."""
        return self.title == grant.title and (self.detail in ("*", grant.detail))

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Role:
        """Parse the ``{"role", "detail"?}`` JSON form."""
        return cls(str(value["role"]), value.get("detail"))


OWNER = Role("owner")
PLATFORM = Role("platform")
DATA_CREDIT = Role("datacredit", "")
APPLICATION_LIST = Role("applicationlist")


def namespace_read(namespace: str) -> Role:
    """``namespaceread:<namespace>``."""
    return Role("namespaceread", namespace)


def namespace_write(namespace: str) -> Role:
    """``namespacewrite:<namespace>``."""
    return Role("namespacewrite", namespace)


@dataclass(frozen=True)
class Caller:
    """The identity behind a valid token: the user, the application (app tokens) and all claims."""

    user_id: str
    username: str
    application: str | None
    claims: Mapping[str, Any] = field(hash=False, compare=False, repr=False)


def hat_state(request: Request) -> SandboxState:
    """The HAT ``request`` is for, chosen by its ``Host``; 404 "HAT unavailable" if none.

    Every Silhouette action (secured, user-aware, unsecured) retrieves the HAT before anything
    else ([SIL] ``silhouette/app/com/mohiva/play/silhouette/api/actions/SecuredAction.scala:89``,
    ``UserAwareAction.scala:62``, ``UnsecuredAction.scala:58``); plain actions (``/healthz``,
    version) and unrouted requests never do, so they answer for any host.
    """
    hats: Hats = request.app.state.hats
    state = hats.get(request_host(request))
    if state is None:
        raise hat_unavailable()
    return state


def request_host(request: Request) -> str:
    """The HAT domain of a request: its ``Host`` header, including any port."""
    return request.headers.get("host", "")


def _token(request: Request) -> str | None:
    # Query string first (its first value, even an empty one), then headers, like Silhouette's
    # RequestExtractor ([SIL] ``silhouette/app/com/mohiva/play/silhouette/api/util/
    # RequestExtractor.scala:53-57, 128-131``): ``?X-Auth-Token=`` hides a valid header token.
    values = request.query_params.getlist(TOKEN_FIELD)
    return values[0] if values else request.headers.get(TOKEN_FIELD)


def optional_caller(request: Request) -> Caller | None:
    """The caller of a valid token, or ``None`` when the token is missing or invalid."""
    token = _token(request)
    if token is None:
        return None
    state = hat_state(request)
    now = state.now()
    claims = _jwt_codec.verify(state.keys, token, host=request_host(request), now=now)
    if claims is None:
        return None
    username = _jwt_codec.decode_subject(state.keys, str(claims.get("sub", "")))
    if username != state.config.owner:
        return None
    request.state.refreshed_token = _jwt_codec.refreshed(state.keys, claims, now)
    application = claims.get("application")
    return Caller(
        user_id=state.owner_id,
        username=username,
        application=application if isinstance(application, str) else None,
        claims=claims,
    )


async def authenticate(request: Request) -> Caller:
    """The caller of a valid token; raises 401 envelope A otherwise."""
    caller = optional_caller(request)
    if caller is None:
        raise not_authenticated()
    return caller


def _with_role(caller: Caller, roles: Sequence[Role]) -> bool:
    # The only user is the owner, who passes every WithRole check, unless the token is an
    # application token or carries a scope the owner does not hold (e.g. "validate").
    scope = caller.claims.get("accessScope")
    return bool(roles) and caller.application is None and scope in (None, "owner")


def application_grants(state: SandboxState, app_id: str) -> list[Role]:
    """The roles an application was granted (``permissions.rolesGranted``), empty if unknown."""
    application = state.catalogue.get(app_id)
    if application is None:
        return []
    granted = application.get("permissions", {}).get("rolesGranted", [])
    return [Role.from_json(r) for r in granted]


def _contains_application_role(state: SandboxState, caller: Caller, roles: Sequence[Role]) -> bool:
    if caller.application is None or caller.application not in state.catalogue:
        return False
    grants = application_grants(state, caller.application)
    if state.application_enabled(caller.application) and any(
        need.satisfied_by(grant) for need in roles for grant in grants
    ):
        return True
    return OWNER in grants and any(need.title != "retrieveapplicationtoken" for need in roles)


def is_authorized(
    state: SandboxState, caller: Caller, *, with_role: Sequence[Role], app_roles: Sequence[Role]
) -> bool:
    """``WithRole(with_role...) || ContainsApplicationRole(app_roles...)``; an empty sequence
    means that alternative is absent."""
    return _with_role(caller, with_role) or (
        bool(app_roles) and _contains_application_role(state, caller, app_roles)
    )


def authorize(
    request: Request, caller: Caller, *, with_role: Sequence[Role], app_roles: Sequence[Role]
) -> None:
    """Raise 403 envelope A unless ``is_authorized`` holds."""
    if not is_authorized(hat_state(request), caller, with_role=with_role, app_roles=app_roles):
        raise forbidden()
