"""Quarters of the calendar year, as they appear in addresses: "2026-q1" is January to March 2026."""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_PATTERN = re.compile(r"(?P<year>20[0-9]{2})-q(?P<number>[1-4])")
_MONTHS = ("January", "April", "July", "October")
_END_MONTHS = ("March", "June", "September", "December")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter | None":
        """The quarter `text` names ("2026-q1"), or None if it names none."""
        found = _PATTERN.fullmatch(text or "")
        return cls(int(found["year"]), int(found["number"])) if found else None

    @classmethod
    def containing(cls, moment: datetime.datetime) -> "Quarter":
        local = timezone.localtime(moment)
        return cls(local.year, (local.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def label(self) -> str:
        """ "January to March 2026"."""
        return f"{_MONTHS[self.number - 1]} to {_END_MONTHS[self.number - 1]} {self.year}"

    @property
    def start(self) -> datetime.datetime:
        zone = ZoneInfo(settings.TIME_ZONE)
        return datetime.datetime(self.year, 3 * self.number - 2, 1, tzinfo=zone)

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the quarter."""
        return self.following().start

    def following(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def preceding(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def has_ended(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end


def quarters_recent(*, count: int = 8, now: datetime.datetime | None = None) -> list[Quarter]:
    """The current quarter and the `count` - 1 before it, newest first."""
    quarter = Quarter.containing(now or timezone.now())
    found = []
    for _ in range(count):
        found.append(quarter)
        quarter = quarter.preceding()
    return found
