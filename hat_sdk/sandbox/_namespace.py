"""The namespace path convertor (``[0-9a-z-]+``, [HAT] ``hat/conf/v26.routes:30-32``).

Registered on import; a non-matching namespace falls through to the SPA (GET) or to
"Handler Not Found" (other methods), as in Play.
"""

from __future__ import annotations

import re

from starlette.convertors import Convertor, register_url_convertor

NAMESPACE = "hat_namespace"
NAMESPACE_PATTERN = re.compile(r"^[0-9a-z-]+$")
ENDPOINT_PATTERN = re.compile(r"^[0-9a-z-/]+$")


class _NamespaceConvertor(Convertor[str]):
    regex = "[0-9a-z-]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor(NAMESPACE, _NamespaceConvertor())
