"""The one error type the content importers raise, and the problems it carries.

Every problem names the file and, where it can, the place in it: a line and column in a pack file
(as an editor shows them, counting from 1), or a row and column in a spreadsheet (as a spreadsheet
shows them: the header is row 1, column A is the first column).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with one file."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    row: int | None = None
    column_letter: str | None = None
    header: str | None = None

    def __str__(self) -> str:
        if self.row is not None:
            place = f"{self.file}: row {self.row}"
            if self.column_letter:
                place += f", column {self.column_letter}"
                if self.header:
                    place += f" ({self.header})"
            return f"{place}: {self.message}"
        if self.column_letter:
            header = f" ({self.header})" if self.header else ""
            return f"{self.file}: column {self.column_letter}{header}: {self.message}"
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column or 1}: {self.message}"
        return f"{self.file}: {self.message}"


class ContentLoadError(Exception):
    """Loading stopped before anything was written. `problems` lists everything found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        # Files in the order given; within a file, from the top down, as a person would fix them.
        files = list(dict.fromkeys(p.file for p in problems))
        self.problems = sorted(
            problems,
            key=lambda p: (files.index(p.file), p.line or p.row or 0, p.column or 0, p.column_letter or ""),
        )
        super().__init__("\n".join(str(p) for p in self.problems))


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
