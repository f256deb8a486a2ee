"""Keep personal data out of the logs, even when something fails.

An exception's message can quote what a person typed: a database error names the value that broke
a constraint, a validation error repeats its input. Logged tracebacks therefore keep the exception's
type and where it happened (file, line, function: enough to find the fault) and drop every message,
including those of the exceptions it was raised from.
"""

import logging
import traceback

WITHHELD = "(message withheld: it may quote personal data)"


def exception_describe(error: BaseException) -> str:
    """The traceback of `error` and of the exceptions behind it, with their messages left out."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        parts.append(
            "Traceback (most recent call last):\n"
            + "".join(traceback.format_tb(current.__traceback__))
            + f"{kind.__module__}.{kind.__qualname__}: {WITHHELD}"
        )
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\n\nWhich was raised while handling:\n\n".join(reversed(parts))


class WithholdExceptionMessages(logging.Filter):
    """A logging filter: formats any exception on the record without its messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = exception_describe(record.exc_info[1])
        return True
