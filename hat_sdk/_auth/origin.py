"""Where a HAT lives: scheme, host and port, its JWT issuer and the insecure-HTTP policy."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from hat_sdk.errors import InvalidInputError, TokenVerificationError


def _shown(hat_url: str) -> tuple[str, bool]:
    """``hat_url`` quoted for an error message, and whether anything was hidden: without user
    info (it may hold a password) or query and fragment (they may hold tokens)."""
    cut = re.search(r"[?#]", hat_url)
    shown = f"{hat_url[: cut.end()]}<hidden>" if cut else hat_url
    scheme, slashes, rest = shown.rpartition("//") if "//" in shown else ("", "", shown)
    at = rest.rfind("@")
    if at >= 0:
        rest = f"<user info>{rest[at:]}"
    shown = f"{scheme}{slashes}{rest}"
    return repr(shown), shown != hat_url


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class HatOrigin:
    """The scheme, host and port of one HAT (``port`` is ``None`` for the scheme's default)."""

    scheme: str
    host: str
    port: int | None

    @classmethod
    def parse(cls, hat_url: str, *, allow_insecure_http: bool) -> HatOrigin:
        """Validate a HAT URL such as ``https://alice.hubat.net`` or ``http://127.0.0.1:8080``."""
        try:
            url = httpx.URL(hat_url)
        except httpx.InvalidURL as exc:
            invalid: httpx.InvalidURL | None = exc
        else:
            invalid = None
        if invalid is not None:
            # Raised outside the except block: the chained httpx error may quote the URL.
            shown, hid = _shown(hat_url)
            reason = "not a valid URL" if hid else str(invalid)
            raise InvalidInputError(f"Invalid HAT URL {shown}: {reason}")
        if url.scheme not in {"http", "https"} or not url.host:
            raise InvalidInputError(
                f"Invalid HAT URL {_shown(hat_url)[0]}: expected https://<host>[:port], "
                "e.g. https://alice.hubat.net."
            )
        if url.path not in {"", "/"} or url.query or url.fragment or url.userinfo:
            raise InvalidInputError(
                f"Invalid HAT URL {_shown(hat_url)[0]}: give only scheme, host and port "
                "(the HAT API lives at the root)."
            )
        if url.scheme == "http" and not is_loopback(url.host) and not allow_insecure_http:
            raise InvalidInputError(
                f"Refusing plain http:// for {url.host}: tokens and passwords would travel "
                "unencrypted. Use https://, or pass allow_insecure_http=True if you accept that."
            )
        return cls(url.scheme, url.host, url.port)

    @classmethod
    def from_issuer(cls, issuer: str, *, allow_insecure_http: bool) -> HatOrigin:
        """The origin of a token's ``iss`` (``host[:port]``): http for loopback, else https."""
        try:
            host = httpx.URL(f"http://{issuer}").host
        except httpx.InvalidURL:
            raise TokenVerificationError(
                f"The token's issuer {issuer!r} is not a HAT host; it cannot be used."
            ) from None
        scheme = "http" if is_loopback(host) else "https"
        return cls.parse(f"{scheme}://{issuer}", allow_insecure_http=allow_insecure_http)

    @property
    def netloc(self) -> str:
        """``host[:port]`` as sent in the ``Host`` header, which the HAT uses as JWT issuer."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def issuer(self) -> str:
        """The ``iss`` claim this HAT puts in its tokens."""
        return self.netloc

    @property
    def base_url(self) -> str:
        """``scheme://host[:port]``."""
        return f"{self.scheme}://{self.netloc}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (starting with ``/``) on this HAT."""
        return self.base_url + path

    def owns(self, url: httpx.URL) -> bool:
        """Whether ``url`` points at this HAT (same scheme, host and port)."""
        return (url.scheme, url.host, url.port) == (self.scheme, self.host, self.port)


def web_login_url(
    hat_url: str, application_id: str, redirect_uri: str, *, allow_insecure_http: bool = False
) -> str:
    """The URL that sends a HAT owner through the web login for an application.

    After logging in, the HAT redirects the browser to ``redirect_uri?token=<JWT>``; pass that token
    to [`WebOwnerToken`][hat_sdk.WebOwnerToken].
    """
    origin = HatOrigin.parse(hat_url, allow_insecure_http=allow_insecure_http)
    query = urlencode({"application_id": application_id, "redirect_uri": redirect_uri})
    return origin.url(f"/hatlogin?{query}")
