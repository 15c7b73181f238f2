"""Where the examples run.

With ``HAT_URL`` set they use that HAT as the owner ``HAT_USERNAME``, whose password is read
from the system keyring (store it once with ``hat login``), and write to the namespace
``HAT_NAMESPACE`` (default ``hat-sdk-examples``). Without ``HAT_URL`` they start a local
sandbox HAT (``pip install "hat-sdk[sandbox]"``) for the duration of the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from hat_sdk import ApiOwnerToken

__all__ = ["hat_owner", "namespace"]


def namespace() -> str:
    """The namespace the examples write to."""
    return os.environ.get("HAT_NAMESPACE", "hat-sdk-examples")


@contextmanager
def hat_owner() -> Iterator[ApiOwnerToken]:
    """The owner's token for the HAT at ``HAT_URL``, or for a sandbox started here."""
    hat_url = os.environ.get("HAT_URL")
    if hat_url:
        username = os.environ.get("HAT_USERNAME")
        if not username:
            raise SystemExit("Set HAT_USERNAME (and run `hat login`) to use the HAT at HAT_URL.")
        yield ApiOwnerToken(username, hat_url=hat_url)
        return
    from hat_sdk.sandbox import Sandbox

    with Sandbox() as url:
        yield ApiOwnerToken("sandbox", password="sandbox", hat_url=url)
