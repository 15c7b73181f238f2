"""Path parameters that cannot leave the route their operation names.

Every path parameter of every generated operation passes through ``path_segment`` before it
is percent-encoded into the URL. Percent-encoding alone is not enough: ``.`` and ``..`` are
unreserved characters, sent as they are, and a server or proxy that normalises dot segments
would resolve ``combinator/../applications/x/disable`` to another route. Nor is encoding a
``/``: a proxy that decodes ``%2F`` before normalising would resolve ``a%2F..%2Fb`` the same
way, so no dot segment passes, between slashes or not.
"""

from __future__ import annotations

from hat_sdk.errors import InvalidInputError

__all__ = ["path_segment"]

_DOT_SEGMENTS = frozenset({".", ".."})


def path_segment(value: str, parameter: str, *, slashes: bool) -> str:
    """``value`` if it can stand in the URL path as parameter ``parameter``, else raise.

    ``slashes``: the parameter is a ``/``-separated path of its own (data endpoints, combinator
    names); each of its segments must then be non-empty and not a dot segment.
    """
    segments = value.split("/")
    empty = not value or (slashes and "" in segments)
    if empty or any(segment in _DOT_SEGMENTS for segment in segments):
        what = "'/'-separated non-empty segments" if slashes else "a non-empty value"
        raise InvalidInputError(
            f"{parameter} {value!r} cannot be sent: it must be {what}, none of them '.' or '..'"
            " (such values would reach another route of the HAT)"
        )
    try:
        value.encode()
    except UnicodeEncodeError:
        raise InvalidInputError(
            f"{parameter} {value!r} cannot be sent: it holds an unpaired surrogate, which no"
            " URL can carry (was it decoded with errors='surrogateescape'?)"
        ) from None
    return value
