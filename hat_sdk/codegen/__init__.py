"""Generate typed ``HatModel`` subclasses from a JSON Schema, sample files or live records.

Needs the ``codegen`` extra (``pip install "hat-sdk[codegen]"``), which brings
datamodel-code-generator; the same input always gives byte-identical output.
"""

from hat_sdk.codegen._endpoint import generate_models_from_endpoint
from hat_sdk.codegen._errors import CodegenInputError
from hat_sdk.codegen._generate import (
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
