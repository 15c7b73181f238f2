"""A faithful local HAT server for tests and development (optional extra ``sandbox``).

``with Sandbox() as url: ...`` runs one on a free loopback port; ``hat-sandbox`` (or
``python -m hat_sdk.sandbox``) runs one from the command line; the pytest fixture
``hat_sandbox`` gives each test a fresh one (``hat_sandbox_factory`` starts more). Like the
real server, one sandbox can host several HATs, chosen by the ``Host`` header
(``Sandbox.add_hat``). Starlette/uvicorn load only when a server starts.
"""

from hat_sdk.sandbox._config import SandboxApp
from hat_sdk.sandbox._knobs import Knobs, LoggedRequest
from hat_sdk.sandbox._server import Sandbox, SandboxHat

__all__ = ["Knobs", "LoggedRequest", "Sandbox", "SandboxApp", "SandboxHat"]
