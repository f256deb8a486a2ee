"""An age as people write it ("15", "about fifteen", "15-16", "mid teens", "in his 20s"), read as a range
of whole years. One parser for the answers of a concern (which keep the age as typed, and refuse text
with no age in it) and for linking (which compares ages as ranges).

`age_parse` takes any text and never raises: it returns None when there is no human age in it.
"""

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

AGE_MAX = 120
TEXT_MAX = 200  # longer text is cut before reading: nobody writes an age that long


@dataclass(frozen=True)
class AgeRange:
    """An age in whole years, as a range: "15" is 15 to 15, "about 15" 13 to 17, "15-17" 15 to 17."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low} to {self.high}"


_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ABOUT = re.compile(r"\b(about|around|approx\w*|roughly|maybe|circa|or so|possibly|looks)\b|ish\b|~|\bc\.")
_DECADE_WORDS = {"teens": 13, "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60}
_DECADE = re.compile(
    r"\b(early|mid|late)?[\s-]*(teens|teenager|twenties|thirties|forties|fifties|sixties|([1-9]0)'?s)\b"
)
_UNDER = re.compile(r"\b(under|below|younger than|less than)\s+(\d{1,3})\b")
_OVER = re.compile(r"\b(over|above|older than|more than)\s+(\d{1,3})\b")


def _clean(raw: object) -> str:
    """Lower-case ASCII with hidden marks (right-to-left, zero-width, combining) dropped."""
    text = unicodedata.normalize("NFKC", str(raw or "")[:TEXT_MAX])
    kept = "".join(c for c in text if unicodedata.category(c)[0] not in ("C", "M"))
    return " ".join(anyascii(kept).lower().split())


def _numbers(text: str) -> list[int]:
    """Whole numbers in the text, in figures or words ("twenty one" is 21); a decimal counts by its
    whole part ("15.5" is 15)."""
    found: list[int] = []
    total: int | None = None
    for token in re.findall(r"\d+(?:\.\d+)?|[a-z]+", text):
        if token[0].isdigit():
            if total is not None:
                found.append(total)
                total = None
            found.append(int(token.split(".")[0][:4]))
        elif token in _WORDS:
            total = (total or 0) + _WORDS[token]
        elif total is not None:
            found.append(total)
            total = None
    if total is not None:
        found.append(total)
    return found


def _decade(text: str) -> AgeRange | None:
    match = _DECADE.search(text)
    if match is None:
        return None
    word = match.group(2)
    if word == "teenager":
        start, span = 13, 7
    elif word in _DECADE_WORDS:
        start = _DECADE_WORDS[word]
        span = 7 if word == "teens" else 10
    else:
        start, span = int(match.group(3)), 10
    if start == 10:  # "10s" is no age anyone writes; "teens" is
        return None
    low, high = start, start + span - 1
    part = match.group(1)
    if part == "early":
        high = start + span // 3
    elif part == "mid":
        low, high = start + span // 3, start + 2 * span // 3
    elif part == "late":
        low = start + 2 * span // 3
    return AgeRange(low, high)


def age_parse(raw: object) -> AgeRange | None:
    """An age as people write it: "15", "about fifteen", "15-17", "15 or 16", "mid teens", "17ish",
    "in her 20s", "under 16". None when there is no age in it, or it is not a human age."""
    text = _clean(raw)
    if not text or re.match(r"-\s*\d", text):  # nobody is minus one
        return None
    if (decade := _decade(text)) is not None:
        return decade
    if (under := _UNDER.search(text)) is not None:
        limit = int(under.group(2))
        return AgeRange(max(0, limit - 5), limit - 1) if 1 <= limit <= AGE_MAX else None
    if (over := _OVER.search(text)) is not None:
        limit = int(over.group(2))
        return AgeRange(limit + 1, limit + 5) if limit < AGE_MAX else None
    numbers = _numbers(text)
    if not numbers or any(n > AGE_MAX for n in numbers[:2]):
        return None
    if len(numbers) >= 2:
        return AgeRange(min(numbers[:2]), max(numbers[:2]))
    age = numbers[0]
    if _ABOUT.search(text):
        return AgeRange(max(0, age - 2), age + 2)
    return AgeRange(age, age)
