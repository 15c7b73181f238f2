"""The generated low-level client (openapi-python-client: attrs models over httpx).

hat-sdk's resources are built on its routes; use it directly only for what the resources do
not offer, e.g. the raw ``Response`` of an operation with attrs models::

    from hat_sdk.lowlevel import api
    detailed = api.data_debits.get_data_debit.sync_detailed("my-debit", client=client.lowlevel)

``client.lowlevel`` sends through the client's token, retries and connections.
"""

from hat_sdk._generated.client import AuthenticatedClient, Client, api as api, models as models

__all__ = ["AuthenticatedClient", "Client", "api", "models"]
