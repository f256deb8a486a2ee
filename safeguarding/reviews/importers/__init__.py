"""Loading content from files: review packs and the partnership pack (YAML), and spreadsheets of
recommendations (CSV, XLSX).

Every importer checks the whole input before writing, raises only `ContentLoadError` (listing each
problem with its file, line or row, and column), and writes only what differs. The services in
safeguarding/reviews/services.py and safeguarding/partnership/services.py wrap them in transactions.
"""

from .errors import ContentLoadError, ContentProblem
from .sync import ChangeSummary

__all__ = ["ChangeSummary", "ContentLoadError", "ContentProblem"]
