"""Shared plumbing: page layout, security headers, health check, Markdown rendering."""
