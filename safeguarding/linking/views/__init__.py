"""Staff pages of linking: the identifiers of a concern (identifiers.py)."""
