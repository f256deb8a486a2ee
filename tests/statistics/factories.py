"""Concerns and decisions at exact moments, for counting: bare rows, nothing decrypted or routed."""

import datetime
from zoneinfo import ZoneInfo

from safeguarding.concerns.models import ConcernDecision, DecisionOption
from tests.concerns.factories import ConcernRowFactory
from tests.partnership.factories import AgencyFactory

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


def concerns(count: int, *, when: datetime.datetime, about: str = "child", source: str = "public", signs=()):
    agency = AgencyFactory() if source != "public" else None
    return [
        ConcernRowFactory(received_at=when, about=about, source=source, agency=agency, signs=list(signs))
        for _ in range(count)
    ]


def decisions(found, *, code: str, when: datetime.datetime) -> None:
    option = DecisionOption.objects.get(code=code)
    for concern in found:
        ConcernDecision.objects.create(concern=concern, option=option, reasons="Fictional.", decided_at=when)
