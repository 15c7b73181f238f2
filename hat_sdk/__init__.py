"""Typed Python SDK for the Dataswift HAT personal data server."""

from hat_sdk._version import __version__

__all__ = ["__version__"]
