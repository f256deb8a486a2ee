"""Serving a privately stored file (evidence, concern attachments) to the one person allowed it."""

from typing import IO

from django.http import FileResponse


def private_file_response(handle: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """A download, never a page: not cached, not sniffed, and if a browser renders it anyway, it runs
    nothing and loads nothing."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
