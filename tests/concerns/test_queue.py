"""The triage queue: a team's open concerns, urgent first then by deadline, a page at a time."""

import base64
import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.concerns.models import Concern, Team
from safeguarding.concerns.selectors import CursorInvalid, triage_queue
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernRouteFactory, ConcernRowFactory
from tests.staff import login_verified

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def team() -> Team:
    return Team.objects.get(slug="children-front-door")


@pytest.fixture
def other_team() -> Team:
    return Team.objects.get(slug="adult-social-care")


def make(*teams: Team, urgent=False, due_hours=None, status=Concern.Status.RECEIVED) -> Concern:
    """A bare concern routed to `teams`, due `due_hours` after START (no clock set when None)."""
    concern = ConcernRowFactory(
        urgent=urgent,
        status=status,
        decision_due_at=None if due_hours is None else START + datetime.timedelta(hours=due_hours),
    )
    for team in teams:
        ConcernRouteFactory(concern=concern, team=team)
    return concern


def whole_queue(team: Team, limit: int) -> list[list[int]]:
    pages, after = [], None
    while True:
        page = triage_queue(team=team, after=after, limit=limit)
        pages.append([row.pk for row in page.rows])
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


def test_urgent_concerns_come_first_then_the_soonest_deadline(team):
    later = make(team, due_hours=48)
    sooner = make(team, due_hours=2)
    urgent_later = make(team, urgent=True, due_hours=30)
    urgent_sooner = make(team, urgent=True, due_hours=1)

    page = triage_queue(team=team)

    assert [row.pk for row in page.rows] == [urgent_sooner.pk, urgent_later.pk, sooner.pk, later.pk]
    assert page.next_cursor is None
    assert not page.has_more


def test_equal_deadlines_are_in_the_order_received_and_a_concern_with_no_clock_comes_early(team):
    first = make(team, due_hours=5)
    second = make(team, due_hours=5)
    no_clock = make(team, due_hours=None)
    urgent_no_clock = make(team, urgent=True, due_hours=None)
    urgent = make(team, urgent=True, due_hours=0)

    rows = triage_queue(team=team).rows

    assert [row.pk for row in rows] == [urgent_no_clock.pk, urgent.pk, no_clock.pk, first.pk, second.pk]


def test_closed_concerns_and_other_teams_concerns_are_not_in_the_queue(team, other_team):
    open_here = make(team, due_hours=3)
    decided_here = make(team, due_hours=4, status=Concern.Status.DECIDED)
    make(team, due_hours=1, status=Concern.Status.CLOSED)
    make(team, urgent=True, due_hours=1, status=Concern.Status.CLOSED)
    make(other_team, urgent=True, due_hours=1)
    both = make(team, other_team, due_hours=2)

    assert [row.pk for row in triage_queue(team=team).rows] == [both.pk, open_here.pk, decided_here.pk]
    assert [row.pk for row in triage_queue(team=other_team).rows][-1] == both.pk


@pytest.mark.parametrize("limit", [1, 4, 7, 50])
def test_cursor_pages_return_every_concern_exactly_once_in_queue_order(team, other_team, limit):
    # Every segment of the order, with ties on the deadline, spread across page boundaries.
    made = []
    for i in range(23):
        due = None if i % 7 == 0 else (i % 4) * 3
        made.append(make(team, urgent=i % 3 == 0, due_hours=due))
    make(other_team, due_hours=1)
    make(team, due_hours=1, status=Concern.Status.CLOSED)

    pages = whole_queue(team, limit)

    def key(c: Concern):
        return (not c.urgent, c.decision_due_at is not None, c.decision_due_at or START, c.pk)

    expected = [c.pk for c in sorted(made, key=key)]
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == limit for page in pages[:-1])
    assert 1 <= len(pages[-1]) <= limit


def test_the_next_page_starts_after_the_cursor_even_if_rows_before_it_were_added_or_closed(team):
    made = [make(team, due_hours=h) for h in range(6)]
    first = triage_queue(team=team, limit=3)

    make(team, urgent=True, due_hours=0)  # would be first in the queue; not on the next page
    Concern.objects.filter(pk=made[4].pk).update(status=Concern.Status.CLOSED)
    second = triage_queue(team=team, after=first.next_cursor, limit=3)

    assert [row.pk for row in second.rows] == [made[3].pk, made[5].pk]
    assert second.next_cursor is None


def test_an_empty_queue_has_no_rows_and_no_next_page(team):
    page = triage_queue(team=team)

    assert page.rows == []
    assert page.next_cursor is None


@pytest.mark.parametrize("rows", [1, 30])
def test_one_query_per_page_however_many_rows(team, rows):
    for i in range(rows):
        make(team, urgent=i % 5 == 0, due_hours=i)
    cursor = triage_queue(team=team, limit=1).next_cursor if rows > 1 else None

    with CaptureQueriesContext(connection) as first_page:
        page = triage_queue(team=team)
    with CaptureQueriesContext(connection) as later_page:
        triage_queue(team=team, after=cursor)
    with CaptureQueriesContext(connection) as reading:
        [(row.reference, row.urgent, row.decision_due_at, row.status, row.about) for row in page.rows]

    assert len(page.rows) == rows
    assert len(first_page.captured_queries) == 1
    assert len(later_page.captured_queries) == 1
    assert len(reading.captured_queries) == 0


def test_the_queue_reads_no_encrypted_field(team):
    make(team, due_hours=1)

    row = triage_queue(team=team).rows[0]

    deferred = row.get_deferred_fields()
    assert {"narrative", "reporter_name", "where_and_when", "adult_wants"} <= deferred
    assert "reference" not in deferred
    assert "decision_due_at" not in deferred


@pytest.mark.parametrize(
    "cursor", ["", "not-a-cursor", "W10", "WzEsbnVsbCwxXQ", "WyJ4IiwiMjAyNi0wNi0wMSIsMV0", "%%%"]
)
def test_a_cursor_the_queue_did_not_make_is_refused(team, cursor):
    with pytest.raises(CursorInvalid):
        triage_queue(team=team, after=cursor)


def _cursor(urgent: object, due: object, pk: object) -> str:
    raw = json.dumps([urgent, due, pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("pk", [2**63, 2**64 + 5, -1, 0, 10**40])
def test_a_cursor_whose_id_no_row_can_have_is_refused_not_a_crash(team, pk):
    # Issue 10, finding 6: an id of 2**63 gave OverflowError (a 500) when bound in SQL.
    with pytest.raises(CursorInvalid):
        triage_queue(team=team, after=_cursor(False, "2026-06-01T09:00:00+00:00", pk))


def test_a_huge_cursor_id_in_the_address_gets_the_friendly_page(client, team):
    member = UserFactory(triage_worker=True)
    team.members.add(member)
    login_verified(client, member)
    url = reverse("concerns:team_queue", kwargs={"slug": team.slug}) + "?after=" + _cursor(False, None, 2**63)
    response = client.get(url)
    assert response.status_code == 200
    assert "That page of the queue could not be found" in response.text


def test_page_size_is_bounded(team):
    with pytest.raises(ValueError, match="limit"):
        triage_queue(team=team, limit=0)
    with pytest.raises(ValueError, match="limit"):
        triage_queue(team=team, limit=201)
