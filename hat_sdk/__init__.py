"""Typed Python SDK for the Dataswift HAT personal data server."""

from hat_sdk._active import ActiveHatModel
from hat_sdk._claims import AppClaims, OwnerClaims
from hat_sdk._client import AsyncHatClient, HatClient
from hat_sdk._hat_origin import web_login_url
from hat_sdk._keyring import keyring_service
from hat_sdk._models import HatModel
from hat_sdk._options import GetOpts, Ordering
from hat_sdk._tokens import ApiOwnerToken, AppToken, HatToken, WebOwnerToken
from hat_sdk._validation import InvalidInputError
from hat_sdk._version import __version__
from hat_sdk.errors import (
    AuthError,
    DeleteError,
    DuplicateDataError,
    GetError,
    HatConnectionError,
    HatError,
    HatNotFoundError,
    HatTimeoutError,
    LimitedTokenScopeError,
    LoginRequiredError,
    MalformedBodyError,
    MissingCredentialsError,
    MissingPathError,
    OutcomeUnknownError,
    PostError,
    PutError,
    RateLimitedError,
    RecordNotFoundError,
    ResponseFormatError,
    TokenVerificationError,
    UnsupportedMediaTypeError,
    WrongCredentialsError,
    WrongTokenError,
    error_from_response,
    error_from_transport,
)

__all__ = [
    "ActiveHatModel",
    "ApiOwnerToken",
    "AppClaims",
    "AppToken",
    "AsyncHatClient",
    "AuthError",
    "DeleteError",
    "DuplicateDataError",
    "GetError",
    "GetOpts",
    "HatClient",
    "HatConnectionError",
    "HatError",
    "HatModel",
    "HatNotFoundError",
    "HatTimeoutError",
    "HatToken",
    "InvalidInputError",
    "LimitedTokenScopeError",
    "LoginRequiredError",
    "MalformedBodyError",
    "MissingCredentialsError",
    "MissingPathError",
    "Ordering",
    "OutcomeUnknownError",
    "OwnerClaims",
    "PostError",
    "PutError",
    "RateLimitedError",
    "RecordNotFoundError",
    "ResponseFormatError",
    "TokenVerificationError",
    "UnsupportedMediaTypeError",
    "WebOwnerToken",
    "WrongCredentialsError",
    "WrongTokenError",
    "__version__",
    "error_from_response",
    "error_from_transport",
    "keyring_service",
    "web_login_url",
]
