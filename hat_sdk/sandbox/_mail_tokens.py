"""The sign-up mail token a HAT claim (email verification) request creates or reuses.

Sources: [HAT] ``hat/app/org/hatdex/hat/phata/models/MailTokenUser.scala``:38-57 (a random UUID,
valid for 24 hours) and ``hat/app/org/hatdex/hat/api/controllers/Authentication.scala``:610-630
(``ensureValidToken``: the token of the email is reused while it is valid, replaced once it has
expired).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from hat_sdk.sandbox._state import SandboxState

VALIDITY = timedelta(hours=24)
_KIND = "signup-mail-token"


def signup_token(state: SandboxState, email: str) -> str:
    """The id of ``email``'s valid sign-up token, created if it has none or it expired."""
    now = state.now()
    saved = state.store.get_blob(_KIND, email)
    if isinstance(saved, dict) and datetime.fromisoformat(saved["expires"]) > now:
        return str(saved["id"])
    token = {"id": str(uuid.uuid4()), "expires": (now + VALIDITY).isoformat()}
    with state.store.transaction():
        state.store.put_blob(_KIND, email, token)
    return token["id"]
