"""Typed access to the HAT areas beyond records (sans-IO operations + resources)."""
