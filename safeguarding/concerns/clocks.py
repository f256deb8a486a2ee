"""Statutory clocks on concerns: when a decision or response is due, and how long is left (issue 4).

Each kind of concern has a clock (`CLOCKS`, keyed by `Concern.about`). Defaults, which need no settings:

- About a child: a decision on what happens next within 1 working day. This counts working days:
  the decision is due at the end of the working day after the day the concern was received (see
  below for exactly what that means).
- About an adult: an initial response within 24 hours. This counts ordinary hours, round the clock,
  including nights, weekends and bank holidays: 24 hours after the concern was received.
- Not sure: both clocks run and the earlier deadline applies, so the stricter rule always wins.

What "N working days" means, precisely: the end of working hours (17:00) on the Nth working day
after the calendar day, in Europe/London, on which the concern was received. So a concern received
on a Monday, at any time of day, is due at 17:00 on Tuesday; one received at 18:30 on a Friday before
a bank holiday Monday is due at 17:00 on Tuesday. Receipt before 09:00 on a working day does not
shorten the clock to that same day: the team always has the whole of the next working day.

Working time is Monday to Friday, 09:00 to 17:00 Europe/London, less bank holidays in England and
Wales (`safeguarding.core.working_days`). A clock may also count working hours ("within 8 working
hours" runs only during working time).

A partnership changes the rules in settings, per kind of concern, for example:

    CONCERN_CLOCKS = {"adult": {"amount": 1, "unit": "working_days", "what": "an initial response"}}
    CONCERN_WORKING_HOURS = {"start": "08:30", "end": "17:00"}

Deadlines are stored on the concern (`Concern.decision_due_at`) when it is received, so the triage
queue can order by them in SQL; changing the rules affects concerns received afterwards.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings

from safeguarding.core.working_days import add_working_days, is_working_day

if TYPE_CHECKING:
    from .models import Concern

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
HOURS = "hours"
UNITS = (WORKING_DAYS, WORKING_HOURS, HOURS)


@dataclass(frozen=True)
class Clock:
    """One statutory clock: `amount` of `unit`, for `what` (in words: "a decision")."""

    what: str
    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"A clock counts one of {', '.join(UNITS)}, not {self.unit!r}.")
        if self.amount < 1:
            raise ValueError("A clock must run for at least 1 unit of time.")

    @property
    def counts_working_time(self) -> bool:
        return self.unit in (WORKING_DAYS, WORKING_HOURS)

    @property
    def description(self) -> str:
        words = {WORKING_DAYS: "working day", WORKING_HOURS: "working hour", HOURS: "hour"}[self.unit]
        return f"{self.what} within {self.amount} {words}{'' if self.amount == 1 else 's'}"


@dataclass(frozen=True)
class WorkingHours:
    start: datetime.time = datetime.time(9, 0)
    end: datetime.time = datetime.time(17, 0)
    time_zone: str = "Europe/London"

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError("Working hours must start before they end.")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def window(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime] | None:
        """The working hours of `day` as aware datetimes, or None if it is not a working day."""
        if not is_working_day(day):
            return None
        zone = self.zone
        return (
            datetime.datetime.combine(day, self.start, tzinfo=zone),
            datetime.datetime.combine(day, self.end, tzinfo=zone),
        )


CLOCKS: dict[str, Clock] = {
    "child": Clock(what="a decision on what happens next", amount=1, unit=WORKING_DAYS),
    "adult": Clock(what="an initial response", amount=24, unit=HOURS),
}
# "not_sure" runs every clock in CLOCKS and takes the earliest deadline.
DEFAULT_WORKING_HOURS = WorkingHours()


def clock_rules() -> dict[str, Clock]:
    """The clocks in force: the defaults, with any CONCERN_CLOCKS settings applied over them."""
    overrides = getattr(settings, "CONCERN_CLOCKS", None) or {}
    rules = dict(CLOCKS)
    for about, changes in overrides.items():
        rules[about] = replace(rules[about], **changes) if about in rules else Clock(**changes)
    return rules


def working_hours() -> WorkingHours:
    configured = getattr(settings, "CONCERN_WORKING_HOURS", None)
    if not configured:
        return DEFAULT_WORKING_HOURS
    values: dict[str, Any] = {
        key: value if key == "time_zone" else datetime.time.fromisoformat(value)
        for key, value in configured.items()
    }
    return WorkingHours(**values)


def _clocks_for(about: str, rules: dict[str, Clock]) -> list[Clock]:
    if about in rules:
        return [rules[about]]
    # Not sure (or a kind with no clock of its own): every clock runs, so the strictest applies.
    return list(rules.values())


def _add_working_hours(start: datetime.datetime, hours: int, wh: WorkingHours) -> datetime.datetime:
    remaining = datetime.timedelta(hours=hours)
    day = start.astimezone(wh.zone).date()
    while True:
        window = wh.window(day)
        if window is not None:
            begin = max(start, window[0])
            if begin < window[1]:
                available = window[1] - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += datetime.timedelta(days=1)


def _deadline(received_at: datetime.datetime, clock: Clock, wh: WorkingHours) -> datetime.datetime:
    if clock.unit == HOURS:
        return received_at + datetime.timedelta(hours=clock.amount)
    if clock.unit == WORKING_HOURS:
        return _add_working_hours(received_at, clock.amount, wh)
    due_day = add_working_days(received_at.astimezone(wh.zone).date(), clock.amount)
    return datetime.datetime.combine(due_day, wh.end, tzinfo=wh.zone)


def clock_deadline(
    *,
    received_at: datetime.datetime,
    about: str,
    rules: dict[str, Clock] | None = None,
    hours: WorkingHours | None = None,
) -> datetime.datetime:
    """When the decision or response on a concern received at `received_at` is due (aware, in UTC)."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware.")
    rules = clock_rules() if rules is None else rules
    wh = working_hours() if hours is None else hours
    deadlines = [_deadline(received_at, clock, wh) for clock in _clocks_for(about, rules)]
    return min(deadlines).astimezone(datetime.UTC)


def working_seconds_between(
    start: datetime.datetime, end: datetime.datetime, hours: WorkingHours | None = None
) -> float:
    """Seconds of working time from `start` to `end` (0 if `end` is not later)."""
    wh = working_hours() if hours is None else hours
    if end <= start:
        return 0.0
    total = 0.0
    day, last = start.astimezone(wh.zone).date(), end.astimezone(wh.zone).date()
    while day <= last:
        window = wh.window(day)
        if window is not None:
            begin, finish = max(start, window[0]), min(end, window[1])
            if begin < finish:
                total += (finish - begin).total_seconds()
        day += datetime.timedelta(days=1)
    return total


@dataclass(frozen=True)
class TimeLeft:
    """How long is left on a clock. `seconds` counts the clock's own time (working seconds for a
    working-time clock) and is negative, in ordinary seconds since the deadline, when overdue."""

    seconds: int
    overdue: bool
    text: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _overdue_text(seconds: float) -> str:
    if seconds < 60:
        return "Overdue by less than a minute"
    if seconds < 3600:
        return f"Overdue by {_plural(int(seconds // 60), 'minute')}"
    if seconds < 48 * 3600:
        return f"Overdue by {_plural(int(seconds // 3600), 'hour')}"
    return f"Overdue by {_plural(int(seconds // 86400), 'day')}"


def _left_text(seconds: float, working: bool) -> str:
    # Round down: better to tell a worker they have a little less time than a little more.
    kind = "working " if working else ""
    if seconds < 60:
        return "Less than a minute left"
    if seconds < 3600:
        return f"{_plural(int(seconds // 60), kind + 'minute')} left"
    return f"{_plural(int(seconds // 3600), kind + 'hour')} left"


def clock_time_left(
    *,
    deadline: datetime.datetime,
    now: datetime.datetime,
    about: str | None = None,
    rules: dict[str, Clock] | None = None,
    hours: WorkingHours | None = None,
    urgent: bool = False,
) -> TimeLeft:
    """Time left before `deadline`, in plain words: "3 working hours left", "Overdue by 2 hours".

    Time left is counted in working time when every clock that applies to `about` counts working
    time (and when `about` is not given); otherwise in ordinary hours. Time overdue is always counted
    in ordinary time: a concern overdue since Friday evening is not only "1 working hour" late on Monday.
    An urgent concern's clock (`urgent_decision_hours`) runs round the clock, so its time left is in
    ordinary hours whatever it is about.
    """
    if now > deadline:
        overdue_seconds = (now - deadline).total_seconds()
        return TimeLeft(seconds=-int(overdue_seconds), overdue=True, text=_overdue_text(overdue_seconds))
    rules = clock_rules() if rules is None else rules
    working = not urgent and (
        about is None or all(clock.counts_working_time for clock in _clocks_for(about, rules))
    )
    left = working_seconds_between(now, deadline, hours) if working else (deadline - now).total_seconds()
    return TimeLeft(seconds=int(left), overdue=False, text=_left_text(left, working))


def urgent_decision_hours() -> int:
    """How many hours, round the clock, an urgent or immediate-danger concern has for a decision."""
    hours = getattr(settings, "TOOLKIT_URGENT_DECISION_HOURS", 4)
    if not isinstance(hours, int) or isinstance(hours, bool) or hours < 1:
        raise ValueError("TOOLKIT_URGENT_DECISION_HOURS must be a whole number of hours, at least 1.")
    return hours


def urgent_deadline(start: datetime.datetime) -> datetime.datetime:
    """When a decision is due on a concern that became urgent at `start`: a few ordinary hours later."""
    return (start + datetime.timedelta(hours=urgent_decision_hours())).astimezone(datetime.UTC)


def concern_deadline(concern: "Concern", *, urgent: bool) -> datetime.datetime:
    """When a decision on the concern is due by its clock from receipt: the statutory deadline, or the
    urgent clock from receipt if that is sooner and the concern is `urgent` or reports immediate danger
    (which keeps the urgent clock whether or not the concern is marked urgent)."""
    due = clock_deadline(received_at=concern.received_at, about=concern.about)
    if urgent or concern.immediate_danger:
        due = min(due, urgent_deadline(concern.received_at))
    return due


def concern_clock_set(concern: "Concern") -> datetime.datetime:
    """Start the statutory clock on a newly received concern: store when the decision is due.

    An urgent concern, or one where someone was reported in immediate danger, gets the shorter
    urgent clock (TOOLKIT_URGENT_DECISION_HOURS, default 4 hours round the clock) when it is sooner.
    Call in the transaction that creates the concern (after routing, which may mark it urgent), so no
    committed concern is without a clock.
    """
    from .models import Concern

    due = concern_deadline(concern, urgent=concern.urgent)
    concern.decision_due_at = due
    Concern.objects.filter(pk=concern.pk).update(decision_due_at=due)
    return due
