"""Run openapi-python-client on the spec with hat-sdk's templates and spec extensions.

Usage: python generator/oapi_build.py SPEC CONFIG TEMPLATES OUTPUT

The same build as `openapi-python-client generate --meta none --fail-on-warning`, plus one
Jinja global, ``hat``, which the templates read: per operation (keyed by its Python name) the
resource method name (``x-hat-method``, else the operationId in snake_case) and whether its
answer may be cached (``x-hat-cacheable``); per tag (keyed by its Python name) its description.
openapi-python-client's parsed endpoints do not carry ``x-`` extensions, hence this global.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client import _get_project_for_url_or_path
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser.errors import GeneratorError
from openapi_python_client.strings import PythonIdentifier, snake_case

#: The error raised for each documented error status (hat_sdk.errors, keyed by status).
ERROR_CLASSES = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    413: "RequestTooLargeError",
    414: "UriTooLongError",
    415: "UnsupportedMediaTypeError",
    429: "RateLimitError",
}
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def spec_extensions(spec: dict[str, Any]) -> dict[str, Any]:
    """What the templates need from the spec beyond openapi-python-client's parsed model."""
    operations: dict[str, dict[str, Any]] = {}
    for item in spec["paths"].values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            name = PythonIdentifier(operation["operationId"], prefix="")
            operations[name] = {
                "method": operation.get("x-hat-method") or snake_case(operation["operationId"]),
                "cacheable": bool(operation.get("x-hat-cacheable", False)),
                "operation_id": operation["operationId"],
            }
    tags = {
        PythonIdentifier(tag["name"], prefix=""): tag.get("description", "").strip()
        for tag in spec.get("tags", [])
    }
    described = {
        f"#/components/responses/{name}": response.get("description", "")
        for name, response in spec.get("components", {}).get("responses", {}).items()
    }

    def response_text(data: Any) -> str:
        """The description of a response object or of the component it references."""
        ref = getattr(data, "ref", None)
        text = described.get(ref, "") if ref else getattr(data, "description", "") or ""
        text = text.get_untrusted_value() if hasattr(text, "get_untrusted_value") else str(text)
        return " ".join(text.split()).rstrip(".")

    return {
        "operations": operations,
        "tags": tags,
        "error_classes": ERROR_CLASSES,
        "response_text": response_text,
    }


def main(spec_path: str, config_path: str, templates: str, output: str) -> None:
    config = Config.from_sources(
        ConfigFile.load_from_path(Path(config_path)),
        MetaType.NONE,
        Path(spec_path),
        "utf-8",
        overwrite=True,
        output_path=Path(output),
    )
    project = _get_project_for_url_or_path(config=config, custom_template_path=Path(templates))
    if isinstance(project, GeneratorError):
        raise SystemExit(f"openapi-python-client: {project.header}: {project.detail}")
    project.env.globals["hat"] = spec_extensions(yaml.safe_load(Path(spec_path).read_text()))
    problems = project.build()
    if problems:  # --fail-on-warning: every warning fails the build
        raise SystemExit("\n".join(f"{p.header}: {p.detail}" for p in problems))


if __name__ == "__main__":
    main(*sys.argv[1:])
