"""``hat get``, ``hat post``, ``hat delete`` and ``hat sources``.

The SDK's records, httpx and rich are imported in the functions that use them: ``hat --help``
imports this module, and starts faster without them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import typer

from hat_sdk.cli._exit import CliInputError, counted, reporting_errors
from hat_sdk.cli._settings import http_client, settings_of
from hat_sdk.errors import DuplicateDataError, HatError

if TYPE_CHECKING:
    from hat_sdk import HatClient, HatModel

__all__ = ["delete", "get", "post", "sources"]

EndpointArg = Annotated[
    str,
    typer.Argument(
        metavar="[NAMESPACE/]ENDPOINT",
        help="e.g. my-app/locations, or locations in the --namespace (else --app) namespace",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _stored(record: HatModel) -> dict[str, Any]:
    return {
        "endpoint": record.endpoint,
        "recordId": str(record.record_id),
        "data": record.record_data(),
    }


def _print_table(title: str, columns: tuple[str, str], rows: Iterable[tuple[str, str]]) -> None:
    from rich.console import Console  # on use (see the module docstring)
    from rich.table import Table

    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*row)
    Console(soft_wrap=False).print(table)


#: How many records the HAT returns when a read names no ``take``.
HAT_DEFAULT_TAKE = 1000


def get(
    ctx: typer.Context,
    endpoint: EndpointArg,
    order_by: Annotated[
        str | None, typer.Option(help="Dot-separated path in the data to sort by.")
    ] = None,
    descending: Annotated[
        bool, typer.Option("--descending", help="Newest / largest first.")
    ] = False,
    skip: Annotated[int, typer.Option(min=0, help="Records to pass over.")] = 0,
    take: Annotated[
        int | None,
        typer.Option(min=0, help=f"Records to return (the HAT's default: {HAT_DEFAULT_TAKE})."),
    ] = None,
    read_all: Annotated[
        bool, typer.Option("--all", help="Read every record, page by page (ignores --take).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Read records of an endpoint (oldest first unless ordered otherwise).

    Without --take or --all the HAT returns at most 1000 records; hat then says whether more
    are stored. `hat export` writes every record to a file.
    """
    from hat_sdk import GetOpts, HatModel, Ordering  # on use (see the module docstring)

    settings = settings_of(ctx)
    opts = GetOpts(
        order_by=order_by,
        ordering=Ordering.DESCENDING if descending else None,
        skip=skip,
        take=None if read_all else take,
    )
    more = False
    with reporting_errors():
        namespace, relative = settings.endpoint(endpoint)
        with settings.client(namespace) as client:
            if read_all:
                records = [_stored(r) for r in client.iter(HatModel, relative, opts)]
            else:
                records = [_stored(r) for r in client.get(HatModel, relative, opts)]
                if take is None and len(records) >= HAT_DEFAULT_TAKE:
                    # The HAT stopped at its default: ask for one more to know if it cut short.
                    after = replace(opts, skip=skip + len(records), take=1)
                    more = bool(client.get(HatModel, relative, after))
    if more:
        typer.echo(
            f"Showing the first {len(records)} records: {namespace}/{relative} has more. "
            "Pass --all for every record, --skip/--take for a window, or use `hat export`.",
            err=True,
        )
    if as_json:
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    count = f"first {counted(len(records))} (more stored)" if more else counted(len(records))
    _print_table(
        f"{namespace}/{relative}: {count}",
        ("recordId", "data"),
        (
            (record["recordId"], json.dumps(record["data"], ensure_ascii=False))
            for record in records
        ),
    )


def post(
    ctx: typer.Context,
    endpoint: EndpointArg,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            exists=True,
            dir_okay=False,
            help="Record data: a JSON object or array (.json), or one object per line (.jsonl).",
        ),
    ],
    skip_duplicates: Annotated[
        bool,
        typer.Option(
            "--skip-duplicates",
            help="Store only records the HAT does not have yet, instead of failing.",
        ),
    ] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Records per request.")] = 1000,
) -> None:
    """Store new records from a file in an endpoint, in batches.

    The whole file is checked before anything is sent. If a batch fails, the records stored
    before it are named: run the command again with --skip-duplicates to store the rest.
    """
    from hat_sdk.cli._progress import progress_bar  # on use (see the module docstring)
    from hat_sdk.cli._records import batched, is_jsonl

    settings = settings_of(ctx)
    with reporting_errors():
        namespace, relative = settings.endpoint(endpoint)
        # A bad record stops the command before anything is stored; the count is the total.
        count = sum(1 for _ in _file_records(file, relative, check=True))
        posted = _Posted("line" if is_jsonl(file) else "record")
        with (
            _telling_what_is_stored(posted, file),
            settings.client(namespace) as client,
            progress_bar("Posting", count) as advance,
        ):
            for chunk in batched(_file_records(file, relative), batch_size):
                posted.sending(chunk[0][0], chunk[-1][0])
                stored = client.post(*(m for _, m in chunk), skip_duplicates=skip_duplicates)
                posted.stored(len(chunk), len(stored))
                advance(len(chunk))
    skipped = posted.total - posted.count
    duplicates = f" ({counted(skipped, 'duplicate')} skipped)" if skipped else ""
    typer.echo(f"Stored {counted(posted.count)} in {namespace}/{relative}{duplicates}.")


def _file_records(
    file: Path, endpoint: str, *, check: bool = False
) -> Iterator[tuple[int, HatModel]]:
    """``(line or position, record)`` of every record in ``file`` (JSON or JSON Lines);
    ``check``: refuse data the HAT would store changed (see ``check_storable``)."""
    # On use (see the module docstring).
    from hat_sdk.cli._records import (
        check_storable,
        is_jsonl,
        iter_jsonl,
        read_json_values,
        to_model,
    )

    values = iter_jsonl(file) if is_jsonl(file) else enumerate(read_json_values(file), start=1)
    unit = "line" if is_jsonl(file) else "record"
    for number, value in values:
        where = f"{file}, {unit} {number}"
        model = to_model(value, endpoint, where)
        if check:
            check_storable(model, where)
        yield number, model


@dataclass
class _Posted:
    """How far ``hat post`` got: what is surely stored, and the batch in flight."""

    unit: str
    total: int = 0  #: records sent and answered
    count: int = 0  #: of those, records stored (the rest were duplicates skipped)
    through: int = 0  #: the last line/record answered
    sent: tuple[int, int] | None = None  #: first and last line/record of the batch in flight

    def sending(self, first: int, last: int) -> None:
        self.sent = (first, last)

    def stored(self, total: int, count: int) -> None:
        assert self.sent is not None
        self.total, self.count, self.through = self.total + total, self.count + count, self.sent[1]
        self.sent = None

    def note(self, file: Path, *, refused: bool = False) -> str:
        """What is stored; ``refused``: the HAT refused the batch in flight as a whole."""
        done = (
            f"{self.unit.capitalize()}s 1-{self.through} of {file} are stored"
            if self.through
            else "Nothing is stored"
        )
        if self.sent is None:
            return f"{done}; nothing else was sent."
        first, last = self.sent
        if refused:
            return (
                f"{done}; {self.unit}s {first}-{last} were refused, none of them stored;"
                " nothing after them was sent."
            )
        return (
            f"{done}; {self.unit}s {first}-{last} were sent but are not confirmed stored; "
            "nothing after them was sent. To store the rest, run the same command with "
            "--skip-duplicates: the HAT skips the records it already stores."
        )


@contextmanager
def _telling_what_is_stored(posted: _Posted, file: Path) -> Iterator[None]:
    """On a failure or Ctrl-C while posting, say (on stderr) what is stored."""
    try:
        yield
    except (HatError, KeyboardInterrupt) as stopped:
        # A duplicate refuses the whole batch: the HAT stores none of it.
        typer.echo(posted.note(file, refused=isinstance(stopped, DuplicateDataError)), err=True)
        raise


def delete(
    ctx: typer.Context,
    endpoint: EndpointArg,
    record_ids: Annotated[
        list[str] | None,
        typer.Option(
            "--record-id", help="Delete only this record (repeatable); default: all records."
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask before deleting all records.")
    ] = False,
) -> None:
    """Delete some records (by id) or every record of an endpoint."""
    from hat_sdk.cli._raw import delete_endpoint  # on use (see the module docstring)

    settings = settings_of(ctx)
    with reporting_errors():
        namespace, relative = settings.endpoint(endpoint)
        if not record_ids and not yes:
            typer.confirm(f"Delete ALL records of {namespace}/{relative}?", abort=True, err=True)
        with settings.client(namespace) as client:
            if record_ids:
                _check_in_endpoint(client, record_ids, f"{namespace}/{relative}")
                client.delete(*record_ids)
            else:
                delete_endpoint(client.http_client, client.token, namespace, relative)
    what = counted(len(record_ids)) if record_ids else "all records"
    typer.echo(f"Deleted {what} of {namespace}/{relative}.")


def _check_in_endpoint(client: HatClient, record_ids: list[str], endpoint: str) -> None:
    """Refuse ids of records stored elsewhere: the HAT deletes by id, whatever the endpoint."""
    elsewhere = [
        (record_id, stored.endpoint)
        for record_id in record_ids
        if (stored := client.records.get_record(_record_id(record_id))).endpoint != endpoint
    ]
    if elsewhere:
        where = ", ".join(f"{record_id} is in {other}" for record_id, other in elsewhere)
        raise CliInputError(f"not records of {endpoint}: {where}; nothing was deleted")


def _record_id(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise CliInputError(
            f"--record-id {value!r} is not a record id (a UUID, as `hat get` shows them)"
        ) from None


def sources(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the namespaces and endpoints that hold records."""
    from hat_sdk.cli._raw import list_sources  # on use (see the module docstring)

    settings = settings_of(ctx)
    with reporting_errors(), http_client() as http:
        found = list_sources(http, settings.token())
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    _print_table(
        "Data sources",
        ("namespace", "endpoints"),
        ((namespace, ", ".join(found[namespace])) for namespace in sorted(found)),
    )
