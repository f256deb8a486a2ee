"""The settings pages at /staff/settings/, for administrators only (permissions.administrator_required)."""
