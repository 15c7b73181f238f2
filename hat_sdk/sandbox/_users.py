"""HAT user accounts: the ``User`` JSON read and written by ``/users/user``, and its roles. Pure.

Sources: [MODELS] ``src/main/scala/org/hatdex/hat/api/models/User.scala`` (``User``,
``UserRole.userRoleDeserialize``), ``src/main/scala/org/hatdex/hat/api/json/HatJsonFormats.scala``
:24-38 (role ``{"role", "detail"?}``, ``Json.format[User]``) and ``UuidMarshalling.scala``:17-37;
[HAT] ``hat/app/org/hatdex/hat/authentication/models/HatUser.scala``:33-61 (``withRoles``,
``primaryRole``), ``hat/app/org/hatdex/hat/dal/ModelTranslation.scala``:52-65 (``User`` to and
from ``HatUser``), ``hat/app/org/hatdex/hat/api/controllers/Users.scala``:63-69 (privileged roles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from hat_sdk.sandbox._auth import OWNER, PLATFORM, Role
from hat_sdk.sandbox._errors import bad_request, internal_error

Json = Any

VALIDATE = Role("validate")
UNKNOWN = Role("unknown")
DATA_CREDIT_ANY = Role("datacredit", "")
DATA_DEBIT_ANY = Role("datadebit", "")

_NO_DETAIL = {"owner": OWNER, "platform": PLATFORM, "validate": VALIDATE}
_NO_DETAIL_ANY = {"datadebit": DATA_DEBIT_ANY, "datacredit": DATA_CREDIT_ANY}
_APPLICATION_LIST = "applicationlist"
_WITH_DETAIL = frozenset(
    {
        "datadebit",
        "datacredit",
        "namespacewrite",
        "namespaceread",
        "retrieveapplicationtoken",
        "applicationmanage",
        "applicationstatusread",
        "managefiles",
        "verified",
    }
)
_UUID_PART = re.compile(r"^[+-]?[0-9a-fA-F]+$")
_LONG = range(-(2**63), 2**63)


def deserialize_role(title: str, detail: str | None) -> Role:
    """The role a ``(role, detail)`` pair names, as ``UserRole.userRoleDeserialize``: a title
    the HAT does not know, or a detail where none belongs (``owner:x``), is ``unknown``."""
    if detail is None:
        if title == _APPLICATION_LIST:
            return Role(title)
        return _NO_DETAIL.get(title) or _NO_DETAIL_ANY.get(title) or UNKNOWN
    return Role(title, detail) if title in _WITH_DETAIL else UNKNOWN


def role_json(role: Role) -> dict[str, Json]:
    """``{"role": title, "detail": detail}``, ``detail`` left out when the role has none."""
    if role.detail is None:
        return {"role": role.title}
    return {"role": role.title, "detail": role.detail}


@dataclass(frozen=True)
class HatUser:
    """A user of the HAT. ``password`` is stored and answered as given (the HAT assumes a hash,
    ``hat/app/org/hatdex/hat/api/service/UserServiceImpl.scala:142``); ``None`` leaves it out."""

    user_id: str
    email: str
    password: str | None = field(repr=False)
    name: str
    roles: tuple[Role, ...]
    enabled: bool

    def with_roles(self, *roles: Role) -> HatUser:
        """The user with ``roles`` added, each role once (``HatUser.withRoles``, a set union)."""
        return replace(self, roles=tuple(dict.fromkeys((*self.roles, *roles))))

    @property
    def primary_role(self) -> Role:
        """Owner, else platform, else ``datacredit:""``, else ``datadebit:""``, else validate: the
        detailed forms (``datadebit:<key>``) do not count (``HatUser.primaryRole``)."""
        for role in (OWNER, PLATFORM, DATA_CREDIT_ANY, DATA_DEBIT_ANY):
            if role in self.roles:
                return role
        return VALIDATE

    @property
    def privileged(self) -> bool:
        """Whether the user holds ``owner`` or ``platform`` (``Users.privilegedRole``)."""
        return OWNER in self.roles or PLATFORM in self.roles

    def to_json(self) -> dict[str, Json]:
        """The ``User`` JSON: ``role`` is the primary role's title, ``pass`` only when set."""
        body: dict[str, Json] = {"userId": self.user_id, "email": self.email}
        if self.password is not None:
            body["pass"] = self.password
        body["name"] = self.name
        body["role"] = self.primary_role.title
        body["roles"] = [role_json(role) for role in self.roles]
        return body


def java_uuid(text: str) -> str | None:
    """``text`` as Java's ``UUID.fromString`` reads it, in canonical form, or ``None``: five
    dash-separated hex numbers (signs and short groups allowed), at most 36 characters."""
    parts = text.split("-")
    if len(text) > 36 or len(parts) != 5 or not all(_UUID_PART.match(p) for p in parts):
        return None
    numbers = [int(part, 16) for part in parts]
    if any(number not in _LONG for number in numbers):
        return None
    high = (numbers[0] & 0xFFFFFFFF) << 32 | (numbers[1] & 0xFFFF) << 16 | numbers[2] & 0xFFFF
    low = (numbers[3] & 0xFFFF) << 48 | numbers[4] & 0xFFFFFFFFFFFF
    digits = f"{high:016x}{low:016x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def _role(value: Json) -> Role:
    # The role format reads "role" with `.as[String]` (HatJsonFormats.scala:26): a roles entry
    # without a string "role" throws out of the body parser, which the HAT answers with a 500.
    title = value.get("role") if isinstance(value, dict) else None
    if not isinstance(title, str):
        raise internal_error("JsResultException: roles entry without a string 'role'")
    detail = value.get("detail")
    return deserialize_role(title, detail if isinstance(detail, str) else None)


def _error(errors: dict[str, Json], key: str, message: str) -> None:
    errors[f"obj.{key}"] = [{"msg": [message], "args": []}]


def _string(body: dict[str, Json], key: str, errors: dict[str, Json]) -> str:
    value = body.get(key)
    if key not in body:
        _error(errors, key, "error.path.missing")
    elif not isinstance(value, str):
        _error(errors, key, "error.expected.jsstring")
    return value if isinstance(value, str) else ""


def parse_user(body: Json) -> HatUser:
    """Read a ``User`` body as ``HatBodyParsers.json[User]`` does and translate it as
    ``ModelTranslation.fromExternalModel(user, enabled = true)``: ``roles`` plus the role that
    ``role`` names. Raises the parser's 400 (every field's error at once) or 500 (see ``_role``).
    """
    if not isinstance(body, dict):
        raise bad_request({"obj": [{"msg": ["error.expected.jsobject"], "args": []}]})
    errors: dict[str, Json] = {}
    user_id = None
    if "userId" not in body:
        _error(errors, "userId", "error.path.missing")
    else:
        raw_id = body["userId"]
        user_id = java_uuid(raw_id) if isinstance(raw_id, str) else None
        if user_id is None:
            _error(errors, "userId", "Expected UUID string")
    email = _string(body, "email", errors)
    password = body.get("pass")
    if password is not None and not isinstance(password, str):
        _error(errors, "pass", "error.expected.jsstring")
    name = _string(body, "name", errors)
    role = _string(body, "role", errors)
    roles: list[Role] = []
    if "roles" not in body:
        _error(errors, "roles", "error.path.missing")
    elif not isinstance(body["roles"], list):
        _error(errors, "roles", "error.expected.jsarray")
    else:
        roles = [_role(value) for value in body["roles"]]
    if errors:
        raise bad_request(errors)
    assert user_id is not None
    user = HatUser(user_id, email, password, name, tuple(dict.fromkeys(roles)), enabled=True)
    return user.with_roles(deserialize_role(role, None))
