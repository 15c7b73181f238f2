"""``hat models generate``: typed record models from a schema, sample files or a live endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hat_sdk._extras import require_extra
from hat_sdk.cli._exit import CliInputError, reporting_errors
from hat_sdk.cli._settings import settings_of

if TYPE_CHECKING:
    from hat_sdk.codegen import SourceKind

__all__ = ["models_app"]

models_app = typer.Typer(
    name="models",
    help="Generate typed record models (needs the `codegen` extra).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@models_app.command("generate")
def generate(
    ctx: typer.Context,
    schema: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="A JSON Schema of one record's data."),
    ] = None,
    samples: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, help="Records' data: JSON (object/array) or .jsonl."
        ),
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option(metavar="[NAMESPACE/]ENDPOINT", help="Read sample records from the HAT."),
    ] = None,
    sample: Annotated[
        int, typer.Option(min=1, help="How many recent records to read with --endpoint.")
    ] = 200,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write here instead of stdout."),
    ] = None,
    class_name: Annotated[
        str | None, typer.Option(help="Name of the record model (default: from the source).")
    ] = None,
) -> None:
    """Generate a HatModel subclass from --schema, --samples or --endpoint (choose one)."""
    with reporting_errors():
        require_extra("codegen", "hat models generate")
        # Imported here: the rest of `hat` works without the codegen extra (and `hat --help`
        # without pydantic).
        from hat_sdk.cli._records import is_jsonl
        from hat_sdk.codegen import (
            CodegenInputError,
            generate_models,
            generate_models_from_endpoint,
        )

        if sum(source is not None for source in (schema, samples, endpoint)) != 1:
            raise CliInputError("give exactly one of --schema, --samples or --endpoint")
        try:
            if schema is not None:
                code = generate_models(schema, kind="jsonschema", class_name=class_name)
            elif samples is not None:
                kind: SourceKind = "jsonl" if is_jsonl(samples) else "json"
                code = generate_models(samples, kind=kind, class_name=class_name)
            else:
                assert endpoint is not None
                settings = settings_of(ctx)
                namespace, relative = settings.endpoint(endpoint)
                with settings.client(namespace) as client:
                    code = generate_models_from_endpoint(
                        client, relative, sample=sample, class_name=class_name
                    )
        except CodegenInputError as exc:
            raise CliInputError(str(exc)) from None
        if output is not None:
            output.write_text(code, encoding="utf-8")
    if output is None:
        typer.echo(code, nl=False)
    else:
        typer.echo(f"Wrote {output}.", err=True)
