"""Path-parameter convertors carrying the server's route regexes.

The regexes are those of [HAT] ``hat/conf/v26.routes`` (data l.30-32, combinators l.28-29,
bundles l.38-40, data debits l.43-49).

A path segment that does not match falls through to the next route, as in Play: a GET ends at
the dashboard catch-all and other methods at "Handler Not Found".
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class _RegexConvertor(Convertor[str]):
    regex = ""

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class EndpointPath(_RegexConvertor):
    """``[0-9a-z-/]+``: endpoints and combinator names (may contain ``/``)."""

    regex = "[0-9a-z/-]+"


class IdentifierPath(_RegexConvertor):
    """``[0-9a-zA-Z-]+``: bundle and data-debit ids."""

    regex = "[0-9a-zA-Z-]+"


ENDPOINT = "hat_endpoint"
IDENTIFIER = "hat_identifier"

register_url_convertor(ENDPOINT, EndpointPath())
register_url_convertor(IDENTIFIER, IdentifierPath())
