"""Typed Python SDK for the Dataswift HAT personal data server.

The public names below are imported on first use (PEP 562), so ``import hat_sdk`` stays cheap
and a program only pays for the parts it touches; type checkers and IDEs see them all.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from hat_sdk._version import __version__

if TYPE_CHECKING:
    from hat_sdk._active import (
        ActiveHatModel as ActiveHatModel,
    )
    from hat_sdk._auth.claims import (
        AppClaims as AppClaims,
        OwnerClaims as OwnerClaims,
    )
    from hat_sdk._auth.keyring import (
        keyring_service as keyring_service,
    )
    from hat_sdk._auth.origin import (
        web_login_url as web_login_url,
    )
    from hat_sdk._auth.tokens import (
        ApiOwnerToken as ApiOwnerToken,
        AppToken as AppToken,
        HatToken as HatToken,
        WebOwnerToken as WebOwnerToken,
    )
    from hat_sdk._client import (
        AsyncHatClient as AsyncHatClient,
        HatClient as HatClient,
    )
    from hat_sdk._core.resource import (
        RawResponse as RawResponse,
    )
    from hat_sdk._logging import (
        enable_logging as enable_logging,
    )
    from hat_sdk._records.models import (
        HatModel as HatModel,
    )
    from hat_sdk._records.options import (
        GetOpts as GetOpts,
        Ordering as Ordering,
    )
    from hat_sdk.errors import (
        AlreadyExistsError as AlreadyExistsError,
        APIStatusError as APIStatusError,
        AuthenticationError as AuthenticationError,
        AuthError as AuthError,
        BadRequestError as BadRequestError,
        ConflictError as ConflictError,
        DuplicateDataError as DuplicateDataError,
        FileNotCompletedError as FileNotCompletedError,
        HatConnectionError as HatConnectionError,
        HatError as HatError,
        HatNotFoundError as HatNotFoundError,
        HatTimeoutError as HatTimeoutError,
        InternalServerError as InternalServerError,
        InvalidInputError as InvalidInputError,
        LimitedTokenScopeError as LimitedTokenScopeError,
        LoginRequiredError as LoginRequiredError,
        MalformedBodyError as MalformedBodyError,
        MissingCredentialsError as MissingCredentialsError,
        MissingItemError as MissingItemError,
        MissingPathError as MissingPathError,
        NotEnabledError as NotEnabledError,
        NotFoundError as NotFoundError,
        OutcomeUnknownError as OutcomeUnknownError,
        OutcomeUnknownServerError as OutcomeUnknownServerError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitedError as RateLimitedError,
        RateLimitError as RateLimitError,
        RecordNotFoundError as RecordNotFoundError,
        RecordValidationError as RecordValidationError,
        RequestTooLargeError as RequestTooLargeError,
        ResponseFormatError as ResponseFormatError,
        ResponseTooLargeError as ResponseTooLargeError,
        TokenVerificationError as TokenVerificationError,
        UnsupportedMediaTypeError as UnsupportedMediaTypeError,
        UpdateFailedError as UpdateFailedError,
        UriTooLongError as UriTooLongError,
        WrongCredentialsError as WrongCredentialsError,
        WrongTokenError as WrongTokenError,
        error_from_response as error_from_response,
        error_from_transport as error_from_transport,
    )

#: Where each public name lives.
_EXPORTS: dict[str, str] = {
    "enable_logging": "hat_sdk._logging",
    "MissingItemError": "hat_sdk.errors",
    "ResponseTooLargeError": "hat_sdk.errors",
    "RecordValidationError": "hat_sdk.errors",
    "APIStatusError": "hat_sdk.errors",
    "AuthenticationError": "hat_sdk.errors",
    "BadRequestError": "hat_sdk.errors",
    "ConflictError": "hat_sdk.errors",
    "InternalServerError": "hat_sdk.errors",
    "PermissionDeniedError": "hat_sdk.errors",
    "RateLimitError": "hat_sdk.errors",
    "RequestTooLargeError": "hat_sdk.errors",
    "UriTooLongError": "hat_sdk.errors",
    "RawResponse": "hat_sdk._core.resource",
    "ActiveHatModel": "hat_sdk._active",
    "AlreadyExistsError": "hat_sdk.errors",
    "ApiOwnerToken": "hat_sdk._auth.tokens",
    "AppClaims": "hat_sdk._auth.claims",
    "AppToken": "hat_sdk._auth.tokens",
    "AsyncHatClient": "hat_sdk._client",
    "AuthError": "hat_sdk.errors",
    "DuplicateDataError": "hat_sdk.errors",
    "FileNotCompletedError": "hat_sdk.errors",
    "GetOpts": "hat_sdk._records.options",
    "HatClient": "hat_sdk._client",
    "HatConnectionError": "hat_sdk.errors",
    "HatError": "hat_sdk.errors",
    "HatModel": "hat_sdk._records.models",
    "HatNotFoundError": "hat_sdk.errors",
    "HatTimeoutError": "hat_sdk.errors",
    "HatToken": "hat_sdk._auth.tokens",
    "InvalidInputError": "hat_sdk.errors",
    "LimitedTokenScopeError": "hat_sdk.errors",
    "LoginRequiredError": "hat_sdk.errors",
    "MalformedBodyError": "hat_sdk.errors",
    "MissingCredentialsError": "hat_sdk.errors",
    "MissingPathError": "hat_sdk.errors",
    "NotEnabledError": "hat_sdk.errors",
    "NotFoundError": "hat_sdk.errors",
    "Ordering": "hat_sdk._records.options",
    "OutcomeUnknownError": "hat_sdk.errors",
    "OutcomeUnknownServerError": "hat_sdk.errors",
    "OwnerClaims": "hat_sdk._auth.claims",
    "RateLimitedError": "hat_sdk.errors",
    "RecordNotFoundError": "hat_sdk.errors",
    "ResponseFormatError": "hat_sdk.errors",
    "TokenVerificationError": "hat_sdk.errors",
    "UnsupportedMediaTypeError": "hat_sdk.errors",
    "UpdateFailedError": "hat_sdk.errors",
    "WebOwnerToken": "hat_sdk._auth.tokens",
    "WrongCredentialsError": "hat_sdk.errors",
    "WrongTokenError": "hat_sdk.errors",
    "error_from_response": "hat_sdk.errors",
    "error_from_transport": "hat_sdk.errors",
    "keyring_service": "hat_sdk._auth.keyring",
    "web_login_url": "hat_sdk._auth.origin",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hat_sdk' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
