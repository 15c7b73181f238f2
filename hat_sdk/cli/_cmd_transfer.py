"""``hat export`` and ``hat import``: all records, streamed, resumable after an interruption."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from hat_sdk import HatClient
from hat_sdk.cli._checkpoint import checkpoint_path
from hat_sdk.cli._exit import reporting_errors
from hat_sdk.cli._progress import progress_bar
from hat_sdk.cli._settings import settings_of, split_endpoint
from hat_sdk.cli._transfer import export_endpoint, import_file

__all__ = ["export", "import_"]

_RESUME = "Run the same command again to continue from where it stopped (progress is in {})."


def export(
    ctx: typer.Context,
    endpoint: Annotated[
        str, typer.Argument(metavar="NAMESPACE/ENDPOINT", help="e.g. my-app/locations")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", dir_okay=False, help="The .jsonl file to write.")
    ],
    page_size: Annotated[int, typer.Option(min=1, help="Records per request.")] = 1000,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite OUTPUT if it exists (no checkpoint).")
    ] = False,
) -> None:
    """Export every record of an endpoint to a JSON Lines file, page by page.

    Each line is {"endpoint", "recordId", "data"}. Progress is kept in OUTPUT.checkpoint: run
    the same command again after an interruption to continue without loss or repeats.
    """
    settings = settings_of(ctx)
    with reporting_errors(resume=_RESUME.format(checkpoint_path(output))):
        namespace, relative = split_endpoint(endpoint)
        with settings.client(namespace) as client, progress_bar("Exporting", None) as advance:
            count = export_endpoint(
                client,
                f"{namespace}/{relative}",
                output,
                page_size=page_size,
                overwrite=force,
                progress=advance,
            )
    typer.echo(f"Exported {count} records of {namespace}/{relative} to {output}.")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", exists=True, dir_okay=False, help="A .jsonl file, e.g. from hat export."
        ),
    ],
    to: Annotated[
        str | None,
        typer.Option(
            metavar="NAMESPACE/ENDPOINT",
            help="Store every record here (lines may then be plain record data).",
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Records per request.")] = 500,
    skip_duplicates: Annotated[
        bool,
        typer.Option("--skip-duplicates", help="Skip records the HAT already has, not fail."),
    ] = False,
) -> None:
    """Store the records of a JSON Lines file, batch by batch.

    Progress is kept in FILE.checkpoint: run the same command again after an interruption; it
    skips the lines already stored and re-sends the uncertain batch with duplicates skipped.
    """
    settings = settings_of(ctx)
    with reporting_errors(resume=_RESUME.format(checkpoint_path(file))):
        target = "/".join(split_endpoint(to)) if to else None
        token = settings.token()  # one login shared by the clients of every namespace
        with progress_bar("Importing", _count_lines(file)) as advance:
            result = import_file(
                partial(HatClient, token),
                token.hat_url,
                file,
                target=target,
                batch_size=batch_size,
                skip_duplicates=skip_duplicates,
                progress=advance,
            )
    skipped = f" ({result.skipped} already on the HAT, skipped)" if result.skipped else ""
    typer.echo(f"Imported {result.stored} records from {file}{skipped}.")
