"""The users of one HAT: its owner and the accounts created through ``/users/user``.

Sources: [HAT] ``hat/app/org/hatdex/hat/api/service/UserServiceImpl.scala`` (``listUsers``
sorted by user id, l.51-52, 124-134; ``saveUser`` replaces the roles and upserts the row,
l.136-165; ``deleteUser``, l.167-185); [SCHEMA] ``14_newHat.sql``:74-91 (``user_role.role``
references ``user_role_available``, which holds seven titles).

The owner is not a stored row: it is built from the HAT's configuration, with the user id the
sandbox gives it, its login name as ``email`` (the HAT's owner row holds the login name there,
``hat/app/org/hatdex/hat/modules/DevHatInitializationModule.scala``:97-106) and the roles the
HAT would have given it: ``owner``, and ``datadebit:<key>`` for each data debit, which the HAT
adds to the user registering it (``DataDebitService.scala``:122-133). The sandbox keeps no
password hash, so the owner's ``pass`` is left out.
"""

from __future__ import annotations

import sqlite3

from hat_sdk.sandbox._auth import OWNER, Role
from hat_sdk.sandbox._debit_store import list_debits
from hat_sdk.sandbox._state import SandboxState
from hat_sdk.sandbox._users import HatUser

STORABLE_ROLE_TITLES = frozenset(
    {"owner", "platform", "validate", "datadebit", "datacredit", "namespacewrite", "namespaceread"}
)
"""The rows of ``user_role_available``: a role with any other title breaks its foreign key."""


class UnstorableRoleError(Exception):
    """A role's title is not in ``user_role_available``; ``str()`` is the database's error."""


def owner_user(state: SandboxState) -> HatUser:
    """The owner, as the HAT lists it."""
    debits = [Role("datadebit", debit.key) for debit in list_debits(state.store)]
    owner = state.config.owner
    return HatUser(state.owner_id, owner, None, owner, (OWNER, *debits), enabled=True)


def _stored(state: SandboxState, where: str, parameters: tuple[str, ...]) -> list[HatUser]:
    rows = state.store.connection.execute(
        f"SELECT * FROM users WHERE {where} ORDER BY user_id", parameters
    ).fetchall()
    users = []
    for row in rows:
        roles = state.store.connection.execute(
            "SELECT role, detail FROM user_roles WHERE user_id = ? ORDER BY position",
            (row["user_id"],),
        )
        users.append(
            HatUser(
                row["user_id"],
                row["email"],
                row["pass"],
                row["name"],
                tuple(Role(role["role"], role["detail"]) for role in roles),
                bool(row["enabled"]),
            )
        )
    return users


def list_users(state: SandboxState) -> list[HatUser]:
    """Every user, the owner included, ordered by user id."""
    users = [owner_user(state), *_stored(state, "1", ())]
    return sorted(users, key=lambda user: user.user_id)


def get_user(state: SandboxState, user_id: str) -> HatUser | None:
    """The user with this id (canonical form), if any."""
    if user_id == state.owner_id:
        return owner_user(state)
    found = _stored(state, "user_id = ?", (user_id,))
    return found[0] if found else None


def get_user_by_email(state: SandboxState, email: str) -> HatUser | None:
    """The first user, by id, whose ``email`` (login name) is exactly ``email``."""
    found = [user for user in list_users(state) if user.email == email]
    return found[0] if found else None


def user_exists(state: SandboxState, user_id: str) -> bool:
    """Whether a user has this id (canonical form)."""
    return get_user(state, user_id) is not None


def save_user(state: SandboxState, user: HatUser) -> None:
    """Insert or replace ``user`` and its roles, all or nothing; raises ``UnstorableRoleError``.

    The owner's id is not to be given (callers refuse it: the owner is not stored).
    """
    unstorable = [role for role in user.roles if role.title not in STORABLE_ROLE_TITLES]
    if unstorable:
        raise UnstorableRoleError(
            'ERROR: insert or update on table "user_role" violates foreign key constraint '
            f'"user_role_role_fkey"\n  Detail: Key (role)=({unstorable[0].title}) is not present '
            'in table "user_role_available".'
        )
    connection: sqlite3.Connection = state.store.connection
    with state.store.transaction():
        connection.execute("DELETE FROM user_roles WHERE user_id = ?", (user.user_id,))
        connection.execute(
            "INSERT INTO users (user_id, email, pass, name, enabled) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET email = excluded.email, pass = excluded.pass,"
            " name = excluded.name, enabled = excluded.enabled",
            (user.user_id, user.email, user.password, user.name, int(user.enabled)),
        )
        connection.executemany(
            "INSERT INTO user_roles (user_id, position, role, detail) VALUES (?, ?, ?, ?)",
            [(user.user_id, i, role.title, role.detail) for i, role in enumerate(user.roles)],
        )


def delete_user(state: SandboxState, user_id: str) -> None:
    """Remove a stored user and its roles."""
    state.store.connection.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
