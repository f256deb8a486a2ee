"""Loading content from files: what every importer shares (the partnership pack in `partnership`,
review packs and spreadsheets of recommendations in `reviews`).

Every importer checks the whole input before writing, raises only `ContentLoadError` (listing each
problem with its file, line or row, and column), and writes only what differs. The apps' services
wrap them in transactions.
"""

from .errors import ContentLoadError, ContentProblem
from .sync import ChangeSummary

__all__ = ["ChangeSummary", "ContentLoadError", "ContentProblem"]
