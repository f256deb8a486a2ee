"""Settings, split by concern into base.py (shared), and one module per way of running:
local.py (the embedded default), test.py and production.py."""
