"""Every change linking makes: a concern's identifiers (identifiers), links between concerns (links),
networks (networks) and alerts (alerts). Callers import from here, never from the modules."""

from .identifiers import concern_identifiers_refresh, identifier_keys_write

__all__ = ["concern_identifiers_refresh", "identifier_keys_write"]
