"""``hat export`` and ``hat import``: all records, streamed, resumable after an interruption.

The transfer (the SDK's client, httpx, pydantic) and rich's progress bar are imported in the
functions that use them: ``hat --help`` imports this module, and starts faster without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from hat_sdk.cli._exit import CliInputError, counted, reporting_errors
from hat_sdk.cli._settings import settings_of

__all__ = ["export", "import_"]


@contextmanager
def _telling_how_to_resume(command: str, data_file: Path) -> Iterator[None]:
    """On a failure or Ctrl-C after the work started, say (on stderr) what is done and how to
    continue. (Bad input is refused before any work, and may concern another run's checkpoint.)"""
    from hat_sdk.cli._transfer import progress_note  # on use (see the module docstring)

    try:
        yield
    except CliInputError:
        raise
    except (Exception, KeyboardInterrupt):
        note = progress_note(command, data_file)
        if note:
            typer.echo(note, err=True)
        raise


def export(
    ctx: typer.Context,
    endpoint: Annotated[
        str,
        typer.Argument(
            metavar="[NAMESPACE/]ENDPOINT",
            help="e.g. my-app/locations, or locations in the --namespace (else --app) namespace",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", dir_okay=False, help="The .jsonl file to write.")
    ],
    page_size: Annotated[int, typer.Option(min=1, help="Records per request.")] = 1000,
    # More than iter's 4: pages wait as the HAT's answers (bytes) and are parsed one at a
    # time, and writing them leaves the reads less of the client's time.
    prefetch: Annotated[int, typer.Option(min=0, help="Pages read ahead (0 = one at a time).")] = 8,
    force: Annotated[
        bool,
        typer.Option("--force", help="Start afresh: overwrite OUTPUT, ignoring any checkpoint."),
    ] = False,
) -> None:
    """Export every record of an endpoint to a JSON Lines file, page by page.

    Each line is {"endpoint", "recordId", "data"}. Progress is kept in OUTPUT.checkpoint: run
    the same command again after an interruption to continue without loss or repeats. Records
    created or deleted while the export runs may or may not be in OUTPUT; every other record
    is there exactly once.
    """
    from hat_sdk.cli._progress import progress_bar  # on use (see the module docstring)
    from hat_sdk.cli._transfer import export_endpoint

    settings = settings_of(ctx)
    with reporting_errors(), _telling_how_to_resume("export", output):
        namespace, relative = settings.endpoint(endpoint)
        with settings.client(namespace) as client, progress_bar("Exporting", None) as advance:
            count = export_endpoint(
                client,
                f"{namespace}/{relative}",
                output,
                page_size=page_size,
                overwrite=force,
                progress=advance,
                prefetch=prefetch,
            )
    typer.echo(f"Exported {counted(count)} of {namespace}/{relative} to {output}.")


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
            metavar="[NAMESPACE/]ENDPOINT",
            help="Store every record here (lines may then be plain record data).",
        ),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Records per request (default: as many as one request carries, at most 10000).",
        ),
    ] = None,
    skip_duplicates: Annotated[
        bool,
        typer.Option(
            "--skip-duplicates",
            help="Skip records the HAT already holds, in any endpoint (or repeated lines),"
            " not fail.",
        ),
    ] = False,
    in_flight: Annotated[
        int, typer.Option(min=1, help="Batches under way at once (1 = one at a time).")
    ] = 2,
) -> None:
    """Store the records of a JSON Lines file, batch by batch.

    Every line is checked first. Lines whose data the endpoint already holds (in any key
    order) or that repeat an earlier line are refused, before anything is stored, unless
    --skip-duplicates skips them: importing an export into the same HAT stores nothing new.
    The HAT also refuses data it holds in another endpoint: a batch holding such data is
    refused as a whole, unless --skip-duplicates.
    Progress is kept in FILE.checkpoint: run the same command again after an interruption; it
    skips the lines already stored and re-sends the uncertain batches with duplicates skipped.
    """
    from hat_sdk import HatClient  # on use (see the module docstring)
    from hat_sdk.cli._progress import progress_bar
    from hat_sdk.cli._transfer import import_file

    settings = settings_of(ctx)
    with reporting_errors(), _telling_how_to_resume("import", file):
        target = "/".join(settings.endpoint(to)) if to else None
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
                in_flight=in_flight,
            )
    skipped = f" ({result.skipped} already on the HAT, skipped)" if result.skipped else ""
    typer.echo(f"Imported {counted(result.stored)} from {file}{skipped}.")
