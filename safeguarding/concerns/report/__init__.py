"""Stub; replaced by the report journey."""
