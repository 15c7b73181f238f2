"""Record models generated from the records an endpoint already holds."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from hat_sdk.codegen._naming import class_name_from_stem
from hat_sdk.codegen._render import DEFAULT_BASE_CLASS

if TYPE_CHECKING:
    from hat_sdk import HatClient

__all__ = ["generate_models_from_endpoint"]


def generate_models_from_endpoint(
    client: HatClient,
    endpoint: str,
    *,
    sample: int = 200,
    class_name: str | None = None,
    output: str | os.PathLike[str] | None = None,
    base_class: str = DEFAULT_BASE_CLASS,
) -> str:
    """Python source of a model fitting the ``sample`` newest records of ``endpoint``.

    Args:
        client: reads the records (one request), in its namespace.
        endpoint: ``"runs"`` or ``"<namespace>/runs"``.
        sample: how many of the newest records to infer the model from.
        class_name: name of the record model; default from the endpoint (``runs`` -> ``Runs``).
        output: also write the source to this file.
        base_class: dotted path of the record model's base class.
    """
    from hat_sdk import GetOpts, HatModel, Ordering
    from hat_sdk.codegen._generate import generate_models_from_samples

    records = client.get(HatModel, endpoint, GetOpts(ordering=Ordering.DESCENDING, take=sample))
    relative = endpoint.removeprefix(f"{client.namespace}/")
    return generate_models_from_samples(
        [record.record_data() for record in records],
        class_name=class_name or class_name_from_stem(relative.replace("/", "-")),
        source_name=f"records of {client.namespace}/{relative}",
        output=output,
        base_class=base_class,
    )
