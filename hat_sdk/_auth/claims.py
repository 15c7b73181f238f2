"""Typed claims of HAT tokens: owner tokens and application tokens.

The server writes the owner claims in [HAT]
``hat/app/org/hatdex/hat/api/service/HatServicesService.scala:127-144``
(``generateUserTokenClaims``), the application claims in
``hat/app/org/hatdex/hat/api/service/applications/ApplicationsService.scala:385-402``
(``applicationToken``), and the reserved ones (``jti``, ``iss``, ``sub``, ``iat``, ``exp``) with
[SIL] ``silhouette/app/com/mohiva/play/silhouette/impl/authenticators/JWTRS256Authenticator.scala``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hat_sdk.errors import TokenVerificationError

IDLE_TIMEOUT = timedelta(days=3)
"""The HAT rejects a token this long after its ``iat`` unless the token was refreshed."""
#: The latest token time accepted (9000-01-01, seconds since the epoch): far from any real
#: token, and from ``datetime.max``.
_LAST_SECOND = 221845392000


class _Claims(BaseModel):
    # defer_build: the schemas are built on the first token read, not by `import hat_sdk`.
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore", defer_build=True)

    iss: str = Field(description="The HAT's host (with port when not default).")
    iat: datetime = Field(description="When the token was issued or last refreshed (UTC).")
    exp: datetime = Field(description="Absolute expiry (UTC), 30 days after login.")
    jti: str = Field(description="Session id; stays the same across refreshes.", repr=False)
    sub: str | None = Field(default=None, description="Opaque, encrypted subject.", repr=False)

    @field_validator("iat", "exp", mode="before")
    @classmethod
    def _epoch_seconds_only(cls, value: object) -> object:
        # JWT times are NumericDate; refuse strings so "2026-..." cannot sneak in.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be seconds since the epoch")
        # Bounded so that no date arithmetic on it (idle expiry, leeway) can overflow.
        if not 0 <= value <= _LAST_SECOND:
            raise ValueError("must be a date between 1970 and 9000")
        return datetime.fromtimestamp(value, UTC)

    @property
    def idle_expires_at(self) -> datetime:
        """When the HAT stops accepting the token unless it is used (and so refreshed) before."""
        return self.iat + IDLE_TIMEOUT

    @property
    def expires_at(self) -> datetime:
        """When the token stops working: the earlier of the idle limit and ``exp``."""
        return min(self.exp, self.idle_expires_at)


class OwnerClaims(_Claims):
    """Claims of a token acting as the HAT user itself (owner login, legacy web login)."""

    resource: str = Field(description="The HAT host, or a service URL for legacy tokens.")
    access_scope: str = Field(alias="accessScope", description='Role, e.g. "owner".')


class AppClaims(_Claims):
    """Claims of an application token: acts for the owner within the app's granted roles."""

    application: str = Field(description="The application id.")
    application_version: str = Field(alias="applicationVersion")


def parse_claims(payload: dict[str, Any]) -> OwnerClaims | AppClaims:
    """Validate a verified JWT payload into typed claims, or raise TokenVerificationError.

    Application tokens are the ones with an ``application`` claim.
    """
    try:
        kind = AppClaims if "application" in payload else OwnerClaims
        return kind.model_validate(payload)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, error["loc"])) for error in exc.errors())
        raise TokenVerificationError(
            f"The token's claims are not those of a HAT token (bad or missing: {fields})."
        ) from None
