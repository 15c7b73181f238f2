"""Generate typed ``HatModel`` subclasses from a JSON Schema, sample files or live records.

Needs the ``codegen`` extra (``pip install "hat-sdk[codegen]"``), which brings
datamodel-code-generator; the same input always gives byte-identical output.
"""

from hat_sdk._extras import require_extra

require_extra("codegen", "hat_sdk.codegen")

from hat_sdk.codegen._endpoint import generate_models_from_endpoint  # noqa: E402
from hat_sdk.codegen._errors import CodegenInputError  # noqa: E402
from hat_sdk.codegen._generate import (  # noqa: E402
    SourceKind,
    generate_models,
    generate_models_from_samples,
    generated_header,
)

__all__ = [
    "CodegenInputError",
    "SourceKind",
    "generate_models",
    "generate_models_from_endpoint",
    "generate_models_from_samples",
    "generated_header",
]
