"""``hat get``, ``hat post``, ``hat delete`` and ``hat sources``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from hat_sdk import GetOpts, HatModel, Ordering
from hat_sdk.cli._exit import reporting_errors
from hat_sdk.cli._progress import progress_bar
from hat_sdk.cli._raw import delete_endpoint, list_sources
from hat_sdk.cli._records import (
    batched,
    count_jsonl_records,
    is_jsonl,
    iter_jsonl,
    read_json_values,
    to_model,
)
from hat_sdk.cli._settings import http_client, settings_of, split_endpoint

__all__ = ["delete", "get", "post", "sources"]

EndpointArg = Annotated[
    str, typer.Argument(metavar="NAMESPACE/ENDPOINT", help="e.g. my-app/locations")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _stored(record: HatModel) -> dict[str, Any]:
    return {
        "endpoint": record.endpoint,
        "recordId": str(record.record_id),
        "data": record.record_data(),
    }


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
    settings = settings_of(ctx)
    opts = GetOpts(
        order_by=order_by,
        ordering=Ordering.DESCENDING if descending else None,
        skip=skip,
        take=None if read_all else take,
    )
    more = False
    with reporting_errors():
        namespace, relative = split_endpoint(endpoint)
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
    count = f"first {len(records)} records (more stored)" if more else f"{len(records)} records"
    table = Table("recordId", "data", title=f"{namespace}/{relative}: {count}")
    for record in records:
        table.add_row(record["recordId"], json.dumps(record["data"], ensure_ascii=False))
    Console(soft_wrap=False).print(table)


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
    """Store new records from a file in an endpoint, in batches."""
    settings = settings_of(ctx)
    stored = total = 0

    def stored_so_far() -> str | None:
        if not total:
            return None
        return (
            f"the first {total} records of {file} were sent and {stored} of them stored; "
            "run the same command with --skip-duplicates to store the rest without storing "
            "any twice"
        )

    with reporting_errors(done=stored_so_far):
        namespace, relative = split_endpoint(endpoint)
        if is_jsonl(file):
            values: Iterable[tuple[int, Any]] = iter_jsonl(file)
            count = count_jsonl_records(file)
        else:
            documents = read_json_values(file)
            values, count = enumerate(documents, start=1), len(documents)
        with settings.client(namespace) as client, progress_bar("Posting", count) as advance:
            for chunk in batched(values, batch_size):
                models = [to_model(value, relative, f"{file}, record {n}") for n, value in chunk]
                stored += len(client.post(*models, skip_duplicates=skip_duplicates))
                total += len(models)
                advance(len(models))
    skipped = f" ({total - stored} duplicates skipped)" if total != stored else ""
    typer.echo(f"Stored {stored} records in {namespace}/{relative}{skipped}.")


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
    settings = settings_of(ctx)
    with reporting_errors():
        namespace, relative = split_endpoint(endpoint)
        if not record_ids and not yes:
            typer.confirm(f"Delete ALL records of {namespace}/{relative}?", abort=True, err=True)
        with settings.client(namespace) as client:
            if record_ids:
                client.delete(*record_ids)
            else:
                delete_endpoint(client.http_client, client.token, namespace, relative)
    what = f"{len(record_ids)} records" if record_ids else "all records"
    typer.echo(f"Deleted {what} of {namespace}/{relative}.")


def sources(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the namespaces and endpoints that hold records."""
    settings = settings_of(ctx)
    with reporting_errors(), http_client() as http:
        found = list_sources(http, settings.token())
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    table = Table("namespace", "endpoints", title="Data sources")
    for namespace in sorted(found):
        table.add_row(namespace, ", ".join(found[namespace]))
    Console(soft_wrap=False).print(table)
