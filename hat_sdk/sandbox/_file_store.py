"""Persistence of file metadata (store blobs) and file content (its own SQLite table)."""

from __future__ import annotations

from datetime import datetime

from hat_sdk.sandbox._files import FilePermission, HatFile, Json
from hat_sdk.sandbox._store import Store

_FILE = "file"
_CONTENT_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS sandbox_file_content (file_id TEXT PRIMARY KEY, content BLOB)"
)


def _state(file: HatFile) -> dict[str, Json]:
    return {
        "fileId": file.file_id,
        "name": file.name,
        "source": file.source,
        "dateCreated": file.date_created.isoformat(),
        "lastUpdated": file.last_updated.isoformat(),
        "status": file.status,
        "tags": list(file.tags) if file.tags is not None else None,
        "title": file.title,
        "description": file.description,
        "sourceURL": file.source_url,
        "contentType": file.content_type,
        "contentPublic": file.content_public,
        "permissions": [p.to_json() for p in file.permissions],
    }


def _file(state: dict[str, Json]) -> HatFile:
    return HatFile(
        file_id=state["fileId"],
        name=state["name"],
        source=state["source"],
        date_created=datetime.fromisoformat(state["dateCreated"]),
        last_updated=datetime.fromisoformat(state["lastUpdated"]),
        status=state["status"],
        tags=tuple(state["tags"]) if state["tags"] is not None else None,
        title=state["title"],
        description=state["description"],
        source_url=state["sourceURL"],
        content_type=state["contentType"],
        content_public=state["contentPublic"],
        permissions=tuple(
            FilePermission(p["userId"], p["contentReadable"]) for p in state["permissions"]
        ),
    )


def save_file(store: Store, file: HatFile) -> None:
    """Insert or replace the metadata of ``file``."""
    store.put_blob(_FILE, file.file_id, _state(file))


def load_file(store: Store, file_id: str) -> HatFile | None:
    """Metadata of ``file_id``, or ``None``."""
    stored = store.get_blob(_FILE, file_id)
    return None if stored is None else _file(stored)


def all_files(store: Store) -> list[HatFile]:
    """Every file's metadata, ordered by id."""
    return [_file(state) for _, state in store.list_blobs(_FILE)]


def _ensure_table(store: Store) -> None:
    store.connection.execute(_CONTENT_SCHEMA)


def put_content(store: Store, file_id: str, content: bytes) -> None:
    """Store (or replace) the bytes of ``file_id``."""
    _ensure_table(store)
    store.connection.execute(
        "INSERT INTO sandbox_file_content (file_id, content) VALUES (?, ?)"
        " ON CONFLICT(file_id) DO UPDATE SET content = excluded.content",
        (file_id, content),
    )


def get_content(store: Store, file_id: str) -> bytes | None:
    """The bytes of ``file_id``, or ``None`` when nothing was uploaded."""
    _ensure_table(store)
    row = store.connection.execute(
        "SELECT content FROM sandbox_file_content WHERE file_id = ?", (file_id,)
    ).fetchone()
    return None if row is None else bytes(row[0])


def delete_content(store: Store, file_id: str) -> None:
    """Forget the bytes of ``file_id``."""
    _ensure_table(store)
    store.connection.execute("DELETE FROM sandbox_file_content WHERE file_id = ?", (file_id,))
