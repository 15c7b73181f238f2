"""The types the client takes and returns.

Every model of the HAT API spec (``openapi/hat.yaml``), generated as pydantic v2 models: a
schema added to the spec appears here after ``make generate``. Fields the server sends beyond
the spec are kept as extra fields. Beside them, the results the SDK assembles
(``DataDebitValues``, ``AppStatus``, ``RawResponse``) and the ``Progress`` callback type.
Every model of the spec is an ``ApiModel``: ``to_dict()`` and ``to_json()`` give it as the
HAT's JSON (its field names, only the fields set), where ``model_dump()`` gives Python names.
"""

from pydantic import BaseModel as _BaseModel

from hat_sdk._api_model import ApiModel
from hat_sdk._core.resource import RawResponse
from hat_sdk._generated import models as _models
from hat_sdk._generated.models import *  # noqa: F403 - the spec's models, whatever they are
from hat_sdk.resources._content import Progress
from hat_sdk.resources.applications import AppStatus, app_status
from hat_sdk.resources.data_debits import DataDebitValues

__all__ = [
    *sorted(
        name
        for name, value in vars(_models).items()
        if isinstance(value, type)
        and issubclass(value, _BaseModel)
        and value.__module__ == _models.__name__
    ),
    "ApiModel",
    "AppStatus",
    "DataDebitValues",
    "Progress",
    "RawResponse",
    "app_status",
]
