"""The engine: one request protocol, drivers, retries, cache and answers for every call."""
