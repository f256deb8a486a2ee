"""How the content commands report problems: one per line, then a CommandError (no traceback)."""

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core.content_loading import ContentLoadError


def problems_report(command: BaseCommand, error: ContentLoadError) -> CommandError:
    """Write each problem to stderr as FILE:LINE:COLUMN: message, and return the error to raise."""
    for problem in error.problems:
        command.stderr.write(str(problem))
    count = len(error.problems)
    return CommandError(f"{count} problem{'s' if count != 1 else ''} found: nothing was changed.")
