__version__ = "0.1.0"

#: The User-Agent of every request hat-sdk sends (the client and the ``hat`` command alike).
USER_AGENT = f"hat-sdk/{__version__}"
