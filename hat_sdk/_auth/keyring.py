"""Owner passwords from the system keyring.

Passwords are stored under the service name ``hat-sdk:<hat host[:port]>`` (e.g.
``hat-sdk:alice.hubat.net``, ``hat-sdk:127.0.0.1:8080``) and the HAT username. Store one with
``keyring set hat-sdk:alice.hubat.net alice`` or ``keyring.set_password(...)``.
"""

from __future__ import annotations

from hat_sdk._auth.origin import HatOrigin
from hat_sdk.errors import MissingCredentialsError


def keyring_service(hat_url: str) -> str:
    """The keyring service name under which hat-sdk finds passwords for the HAT at ``hat_url``."""
    return service_for(HatOrigin.parse(hat_url, allow_insecure_http=True))


def service_for(origin: HatOrigin) -> str:
    """The keyring service name for ``origin``."""
    return f"hat-sdk:{origin.netloc}"


def lookup_password(origin: HatOrigin, username: str) -> str:
    """The password stored for ``username`` of the HAT at ``origin``, or MissingCredentialsError."""
    import keyring
    from keyring.errors import KeyringError

    service = service_for(origin)
    try:
        password = keyring.get_password(service, username)
    except KeyringError as exc:
        raise MissingCredentialsError(
            f"The system keyring could not be read ({type(exc).__name__}) while looking up the "
            f"password of {username!r} under service {service!r}. Without a keyring, pass "
            "the password in code, ApiOwnerToken(username, password=...), or set HAT_PASSWORD "
            "(for a client given no token, and the hat CLI).",
            url=origin.base_url,
        ) from None
    if password is None:
        raise MissingCredentialsError(
            f"No password is stored in the system keyring for user {username!r} under service "
            f"{service!r}. Pass it in code, ApiOwnerToken(username, password=...), or set "
            f"HAT_PASSWORD, or store it with `hat login` or `keyring set {service} {username}`.",
            url=origin.base_url,
        )
    return password
