"""Concern statistics for boards and managers under /staff/insight/ (issue 13)."""
