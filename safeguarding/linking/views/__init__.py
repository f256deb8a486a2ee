"""Staff pages of linking: networks, links, hotspots and alerts (networks.py); a concern's
identifiers (identifiers.py)."""
