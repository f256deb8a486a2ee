"""Statutory clocks: deadlines in working days and hours, with real bank holidays, and time left in words."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from safeguarding.concerns.clocks import (
    HOURS,
    WORKING_HOURS,
    Clock,
    WorkingHours,
    clock_deadline,
    clock_time_left,
    concern_clock_set,
    working_seconds_between,
)
from safeguarding.concerns.models import Concern
from tests.concerns.factories import ConcernFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        # Spring bank holiday, Monday 25 May 2026: Friday evening waits until the end of Tuesday.
        (london(2026, 5, 22, 18, 30), london(2026, 5, 26, 17), "Friday evening before a bank holiday"),
        (london(2026, 11, 28, 10, 0), london(2026, 11, 30, 17), "Saturday: due end of Monday"),
        (london(2026, 11, 29, 23, 59), london(2026, 11, 30, 17), "Sunday night: due end of Monday"),
        (london(2026, 3, 10, 11, 0), london(2026, 3, 11, 17), "working hours: due end of next day"),
        (london(2026, 3, 9, 8, 0), london(2026, 3, 10, 17), "before hours: still the next working day"),
        (london(2026, 3, 9, 17, 30), london(2026, 3, 10, 17), "after hours on a working day"),
        # Christmas 2026: 25 Dec (Fri), weekend, Boxing Day observed on Monday 28 Dec.
        (london(2026, 12, 24, 12, 0), london(2026, 12, 29, 17), "Christmas Eve 2026"),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March; clocks go forward on the 28th.
        (london(2027, 3, 25, 14, 0), london(2027, 3, 30, 17), "before Easter 2027, across the clock change"),
        # Christmas 2027: both holidays observed on Monday 27 and Tuesday 28 December.
        (london(2027, 12, 24, 9, 30), london(2027, 12, 29, 17), "Christmas Eve 2027"),
    ],
)
def test_children_decision_is_due_at_the_end_of_the_next_working_day(received, due, why):
    assert clock_deadline(received_at=received, about="child") == due, why


def test_deadlines_are_given_in_utc_and_mean_17_00_london_time():
    due = clock_deadline(received_at=london(2027, 3, 25, 14, 0), about="child")

    assert due.utcoffset() == datetime.timedelta(0)
    assert due == datetime.datetime(2027, 3, 30, 16, 0, tzinfo=datetime.UTC)  # 17:00 BST


@pytest.mark.parametrize(
    "received",
    [london(2026, 5, 22, 18, 30), london(2026, 12, 24, 23, 0), london(2026, 3, 10, 11, 0)],
)
def test_adults_initial_response_is_due_24_hours_later_round_the_clock(received):
    assert clock_deadline(received_at=received, about="adult") == received + datetime.timedelta(hours=24)


def test_not_sure_runs_both_clocks_and_the_earlier_deadline_applies():
    weekday = london(2026, 3, 10, 11, 0)
    friday_evening = london(2026, 5, 22, 18, 30)

    # Received on a weekday evening, the child's working day ends before the adult's 24 hours.
    assert clock_deadline(received_at=london(2026, 3, 9, 18, 0), about="not_sure") == london(2026, 3, 10, 17)
    assert clock_deadline(received_at=weekday, about="not_sure") == london(2026, 3, 11, 11, 0)
    assert clock_deadline(received_at=friday_evening, about="not_sure") == london(2026, 5, 23, 18, 30)
    slow_adults = {
        "child": Clock(what="a decision", amount=1, unit="working_days"),
        "adult": Clock(what="a response", amount=72, unit=HOURS),
    }
    assert clock_deadline(received_at=weekday, about="not_sure", rules=slow_adults) == london(2026, 3, 11, 17)


def test_a_clock_in_working_hours_stops_outside_them_and_on_bank_holidays():
    rules = {"adult": Clock(what="an initial response", amount=8, unit=WORKING_HOURS)}

    # Friday 16:00 before the spring bank holiday: 1 hour on Friday, then 7 on Tuesday.
    assert clock_deadline(received_at=london(2026, 5, 22, 16), about="adult", rules=rules) == london(
        2026, 5, 26, 16
    )
    # Received at night: the clock starts at 09:00.
    assert clock_deadline(received_at=london(2026, 3, 10, 2), about="adult", rules=rules) == london(
        2026, 3, 10, 17
    )


@override_settings(
    CONCERN_CLOCKS={"adult": {"amount": 1, "unit": "working_days"}},
    CONCERN_WORKING_HOURS={"start": "08:30", "end": "16:30"},
)
def test_clocks_and_working_hours_are_configurable_in_settings():
    assert clock_deadline(received_at=london(2026, 5, 22, 18, 30), about="adult") == london(
        2026, 5, 26, 16, 30
    )


def test_a_clock_must_count_a_known_unit_and_run_for_some_time():
    with pytest.raises(ValueError, match="counts one of"):
        Clock(what="a decision", amount=1, unit="fortnights")
    with pytest.raises(ValueError, match="at least 1"):
        Clock(what="a decision", amount=0, unit=HOURS)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock_deadline(received_at=datetime.datetime(2026, 3, 10, 11), about="child")


def test_working_seconds_skip_nights_weekends_and_bank_holidays():
    hours = WorkingHours()
    # Friday 16:00 before the bank holiday to Tuesday 10:00: 1 hour on Friday and 1 on Tuesday.
    assert working_seconds_between(london(2026, 5, 22, 16), london(2026, 5, 26, 10), hours) == 2 * 3600
    assert working_seconds_between(london(2026, 5, 26, 10), london(2026, 5, 22, 16), hours) == 0


# Time left, in words. The deadline is the bank holiday case: 17:00 on Tuesday 26 May 2026.
BANK_HOLIDAY_DEADLINE = london(2026, 5, 26, 17)


@pytest.mark.parametrize(
    ("now", "text", "seconds"),
    [
        (london(2026, 5, 23, 12, 0), "8 working hours left", 8 * 3600),  # Saturday: all of Tuesday
        (london(2026, 5, 25, 12, 0), "8 working hours left", 8 * 3600),  # the bank holiday itself
        (london(2026, 5, 26, 14, 0), "3 working hours left", 3 * 3600),
        (london(2026, 5, 26, 15, 30), "1 working hour left", 90 * 60),
        (london(2026, 5, 26, 16, 30), "30 working minutes left", 30 * 60),
        (london(2026, 5, 26, 16, 59, 30), "Less than a minute left", 30),
    ],
)
def test_time_left_on_a_working_day_clock_counts_working_hours(now, text, seconds):
    with time_machine.travel(now, tick=False):
        left = clock_time_left(deadline=BANK_HOLIDAY_DEADLINE, now=timezone.now(), about="child")

    assert left == type(left)(seconds=seconds, overdue=False, text=text)


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (london(2026, 5, 26, 17, 0, 30), "Overdue by less than a minute"),
        (london(2026, 5, 26, 17, 45), "Overdue by 45 minutes"),
        (london(2026, 5, 26, 19, 0), "Overdue by 2 hours"),
        (london(2026, 5, 27, 18, 0), "Overdue by 25 hours"),
        (london(2026, 5, 30, 9, 0), "Overdue by 3 days"),
    ],
)
def test_time_overdue_counts_ordinary_time(now, text):
    with time_machine.travel(now, tick=False):
        left = clock_time_left(deadline=BANK_HOLIDAY_DEADLINE, now=timezone.now(), about="child")

    assert left.overdue
    assert left.text == text
    assert left.seconds == -int((now - BANK_HOLIDAY_DEADLINE).total_seconds())


def test_time_left_on_an_adults_clock_counts_ordinary_hours():
    received = london(2026, 5, 22, 18, 30)  # Friday evening; due 18:30 on Saturday
    deadline = clock_deadline(received_at=received, about="adult")

    with time_machine.travel(london(2026, 5, 23, 13, 30), tick=False):
        left = clock_time_left(deadline=deadline, now=timezone.now(), about="adult")

    assert (left.text, left.overdue, left.seconds) == ("5 hours left", False, 5 * 3600)


@time_machine.travel(london(2026, 5, 22, 18, 30), tick=False)
@pytest.mark.django_db
def test_the_deadline_is_stored_on_the_concern_when_its_clock_is_set():
    concern = ConcernFactory(about="child")

    due = concern_clock_set(concern)

    assert due == london(2026, 5, 26, 17)
    assert Concern.objects.get(pk=concern.pk).decision_due_at == london(2026, 5, 26, 17)
