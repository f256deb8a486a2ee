"""The queue's filters (docs/decisions/0030): each one in the selector, in the address, in the page's
tags, and bad input as a clear 400, never a 500; the count capped; the search by reference posted."""

import datetime
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.concerns import selectors, views
from safeguarding.concerns.models import Concern, Team
from safeguarding.concerns.selectors import QueueFilters, triage_queue
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernRouteFactory, ConcernRowFactory, TeamMemberFactory
from tests.partnership.factories import AgencyFactory
from tests.staff import login_verified, post

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 3, 10, 0, tzinfo=datetime.UTC)  # a Wednesday, 11:00 in London


@pytest.fixture
def team() -> Team:
    return Team.objects.get(slug="children-front-door")


@pytest.fixture
def worker(team):
    return TeamMemberFactory(teams=[team], viewer=True, first_name="Wren", last_name="Worker")


def make(team: Team, *, due_hours: float | None = 30, **fields) -> Concern:
    if fields.get("source", "public") != "public":
        fields.setdefault("agency", AgencyFactory())
    concern = ConcernRowFactory(
        decision_due_at=None if due_hours is None else NOW + datetime.timedelta(hours=due_hours), **fields
    )
    ConcernRouteFactory(concern=concern, team=team)
    return concern


def pks(team: Team, **filters) -> list[int]:
    return [row.pk for row in triage_queue(team=team, filters=QueueFilters(**filters), now=NOW).rows]


# --- The selector ---------------------------------------------------------------------------------


def test_assigned_to_me_and_not_assigned(team, worker):
    other = UserFactory()
    mine = make(team, assigned_to=worker, status="in_triage")
    theirs = make(team, assigned_to=other, status="in_triage")
    nobody = make(team)
    assert pks(team, assigned="mine", user_id=worker.pk) == [mine.pk]
    assert pks(team, assigned="unassigned") == [nobody.pk]
    assert set(pks(team)) == {mine.pk, theirs.pk, nobody.pk}


def test_show_filters_must_all_hold(team):
    urgent = make(team, urgent=True)
    danger = make(team, urgent=True, immediate_danger=True)
    signs = make(team, has_signs=True)
    signs_and_urgent = make(team, has_signs=True, urgent=True)
    overdue = make(team, due_hours=-2)
    due_today = make(team, due_hours=5)  # 15:00 UTC, 16:00 in London: today
    make(team, due_hours=20)  # tomorrow
    no_clock = make(team, due_hours=None)

    assert pks(team, show=frozenset({"urgent"})) == [urgent.pk, danger.pk, signs_and_urgent.pk]
    assert pks(team, show=frozenset({"immediate_danger"})) == [danger.pk]
    assert pks(team, show=frozenset({"signs"})) == [signs_and_urgent.pk, signs.pk]
    assert pks(team, show=frozenset({"signs", "urgent"})) == [signs_and_urgent.pk]
    assert pks(team, show=frozenset({"overdue"})) == [overdue.pk]
    assert pks(team, show=frozenset({"due_today"})) == [due_today.pk]
    assert no_clock.pk in pks(team)


def test_overdue_and_due_today_are_of_concerns_still_waiting_for_a_decision(team):
    waiting = make(team, due_hours=-2, status="in_triage")
    make(team, due_hours=-2, status="decided")  # its clock was met: open, but not overdue
    make(team, due_hours=5, status="decided")
    assert pks(team, show=frozenset({"overdue"})) == [waiting.pk]
    assert pks(team, show=frozenset({"due_today"})) == []


def test_status_source_and_about(team):
    received = make(team)
    deciding = make(team, status="decided", source="professional", about="not_sure")
    closed = make(team, status="closed", source="api")
    assert pks(team, status="decided") == [deciding.pk]
    assert pks(team, status="closed") == [closed.pk]
    assert closed.pk not in pks(team)
    assert pks(team, source="professional") == [deciding.pk]
    assert pks(team, source="api") == []  # closed, so not in the queue
    assert pks(team, source="api", status="closed") == [closed.pk]
    assert pks(team, about="not_sure") == [deciding.pk]
    assert pks(team, about="child") == [received.pk]


def test_a_reference_finds_the_concern_open_or_closed_but_only_in_the_team(team):
    other_team = Team.objects.get(slug="adult-social-care")
    closed = make(team, status="closed", reference="C-2026-000007")
    elsewhere = make(other_team, reference="C-2026-000008")
    assert pks(team, reference=closed.reference) == [closed.pk]
    assert pks(team, reference=elsewhere.reference) == []


def test_filters_page_with_keyset_cursors_and_count(team):
    made = [make(team, has_signs=True, due_hours=hours) for hours in range(1, 8)]
    make(team)
    seen, after = [], None
    while True:
        page = triage_queue(
            team=team,
            filters=QueueFilters(show=frozenset({"signs"})),
            after=after,
            limit=3,
            count_up_to=5,
            now=NOW,
        )
        assert page.count == 5
        assert page.count_more
        seen += [row.pk for row in page.rows]
        after = page.next_cursor
        if after is None:
            break
    assert seen == [concern.pk for concern in made]


CONCERN_TABLE = re.compile(r"concerns_concern\b")  # not concerns_concernroute
ROUTE_TABLE = re.compile(r"concerns_concernroute\b")


def statements(captured) -> tuple[list[str], list[str]]:
    """The statements that read the concerns table, and those that read only the routes."""
    sqls = [query["sql"] for query in captured.captured_queries]
    concern_reads = [sql for sql in sqls if CONCERN_TABLE.search(sql)]
    route_reads = [sql for sql in sqls if ROUTE_TABLE.search(sql) and not CONCERN_TABLE.search(sql)]
    return concern_reads, route_reads


def test_a_filtered_first_page_with_its_count_is_one_query(team):
    for _ in range(3):
        make(team, has_signs=True)
    for filters in (QueueFilters(assigned="unassigned"), QueueFilters(show=frozenset({"signs"}))):
        with CaptureQueriesContext(connection) as captured:
            page = triage_queue(team=team, filters=filters, count_up_to=200)
        # One statement reads the queue; on PostgreSQL a transaction and a planner setting may go
        # round it. Signs are copied onto routes: the team's routes are read first, in one more.
        reads, route_reads = statements(captured)
        copied = int(filters.show == {"signs"})
        assert (page.count, page.count_more, len(reads), len(route_reads)) == (3, False, 1, copied)
        assert len(captured.captured_queries) <= (1 if connection.vendor == "sqlite" else 4) + copied


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings are PostgreSQL's")
@pytest.mark.parametrize("show", ["overdue", "due_today", "urgent"])
def test_a_filter_with_no_index_of_its_own_still_reads_in_queue_order_on_postgresql(team, show):
    """Overdue alone leads with no index of its own; left to itself the planner read the count of a
    later page from the every-status index and sorted it (400 ms at 1,000,000 concerns)."""
    hours = (1, 2, 3) if show == "due_today" else (-3, -2, -1)
    made = [make(team, due_hours=due, urgent=show == "urgent") for due in hours]
    first = triage_queue(team=team, filters=QueueFilters(show=frozenset({show})), limit=1, now=NOW)
    with CaptureQueriesContext(connection) as captured:
        later = triage_queue(
            team=team,
            filters=QueueFilters(show=frozenset({show})),
            after=first.next_cursor,
            count_up_to=5,
            now=NOW,
        )
    settings = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT set_config")]
    assert len(settings) == 2  # the page, and its count
    assert all("'enable_sort', 'off'" in sql for sql in settings)
    assert [row.pk for row in later.rows] == [made[1].pk, made[2].pk]
    assert later.count == 3


# Filters on what a route copies from its concern (decision 0030): the team's routes are asked first.
ROUTE_COPY_FILTERS = [
    {"about": "adult"},
    {"source": "api"},
    {"show": frozenset({"immediate_danger"})},
    {"show": frozenset({"signs"})},
    {"about": "adult", "assigned": "unassigned"},  # whichever filter would lead
]


@pytest.mark.parametrize("filters", ROUTE_COPY_FILTERS)
def test_a_kind_the_team_never_receives_reads_only_its_routes(team, filters):
    other_team = Team.objects.get(slug="adult-social-care")
    make(team)  # about a child, from the public, no danger, no signs
    make(other_team, about="adult", source="api", immediate_danger=True, has_signs=True)
    with CaptureQueriesContext(connection) as captured:
        page = triage_queue(team=team, filters=QueueFilters(**filters), count_up_to=200)
    reads, route_reads = statements(captured)
    assert (page.rows, page.count, len(reads), len(route_reads)) == ([], 0, 0, 1)
    assert len(captured.captured_queries) == 1
    assert pks(other_team, **filters) != []


@pytest.mark.parametrize("filters", ROUTE_COPY_FILTERS[:4])
def test_a_kind_the_team_has_few_of_is_read_by_primary_key(team, filters):
    wanted = make(team, about="adult", source="api", immediate_danger=True, has_signs=True)
    make(team)
    with CaptureQueriesContext(connection) as captured:
        page = triage_queue(team=team, filters=QueueFilters(**filters), count_up_to=200)
    reads, route_reads = statements(captured)
    assert ([row.pk for row in page.rows], len(reads), len(route_reads)) == ([wanted.pk], 1, 1)
    assert "c.id IN (" in reads[0]


def test_a_kind_the_team_has_many_of_is_led_by_its_index_in_queue_order(team, monkeypatch):
    monkeypatch.setattr(selectors, "_FEW_ROUTES", 2)
    children = [make(team, due_hours=hours) for hours in (3, 1, 2)]
    make(team, about="adult")
    with CaptureQueriesContext(connection) as captured:
        rows = triage_queue(team=team, filters=QueueFilters(about="child"), now=NOW).rows
    reads, route_reads = statements(captured)
    assert [row.pk for row in rows] == [children[1].pk, children[2].pk, children[0].pk]
    assert (len(reads), len(route_reads)) == (1, 1)
    assert "c.about = " in reads[0]
    assert "c.id IN (" not in reads[0]


def test_each_filter_on_a_route_copy_is_asked_of_the_routes_alone(team, monkeypatch):
    """Asked together, PostgreSQL's planner scanned the whole routes table for the first matches."""
    monkeypatch.setattr(selectors, "_FEW_ROUTES", 1)
    made = [make(team, source="professional", has_signs=True, due_hours=hours) for hours in (2, 1)]
    make(team, about="adult", source="professional", has_signs=True)
    filters = QueueFilters(about="child", source="professional", show=frozenset({"signs"}))
    with CaptureQueriesContext(connection) as captured:
        rows = triage_queue(team=team, filters=filters, now=NOW).rows
    reads, route_reads = statements(captured)
    assert [row.pk for row in rows] == [made[1].pk, made[0].pk]
    assert len(reads) == 1
    assert len(route_reads) == 3  # each found more than _FEW_ROUTES: the queue is read as before
    for sql, column in zip(route_reads, ("about", "source", "has_signs"), strict=True):
        assert [name for name in ("about", "source", "has_signs") if f"r.{name}" in sql] == [column]


@pytest.mark.parametrize("few_routes", [500, 1, 0])
def test_filters_on_route_copies_find_exactly_the_team_s_concerns(few_routes, monkeypatch):
    """Whichever way the queue is read (from the team's few routes, or led by the filter's index),
    each filter finds exactly the open concerns of the team that match it, in queue order."""
    monkeypatch.setattr(selectors, "_FEW_ROUTES", few_routes)
    teams = list(Team.objects.filter(slug__in=["children-front-door", "adult-social-care", "exploitation"]))
    agency = AgencyFactory()
    made: list[tuple[Concern, Team]] = []
    for n, (about, source, danger, signs) in enumerate(
        [
            ("child", "public", False, False),
            ("child", "api", True, False),
            ("adult", "professional", False, True),
            ("adult", "api", False, False),
            ("not_sure", "public", True, True),
            ("child", "professional", False, True),
        ]
    ):
        team = teams[n % 3] if about != "child" else teams[0]
        concern = ConcernRowFactory(
            about=about,
            source=source,
            agency=None if source == "public" else agency,
            immediate_danger=danger,
            urgent=danger,
            has_signs=signs,
            decision_due_at=NOW + datetime.timedelta(hours=10 - n),
        )
        ConcernRouteFactory(concern=concern, team=team)
        made.append((concern, team))
    closed = ConcernRowFactory(about="adult", source="api", status="closed", agency=agency)
    ConcernRouteFactory(concern=closed, team=teams[1])

    def expected(team: Team, keep) -> list[int]:
        rows = sorted(
            (concern for concern, to in made if to == team and keep(concern)),
            key=lambda concern: (not concern.urgent, concern.decision_due_at, concern.pk),
        )
        return [concern.pk for concern in rows]

    checks = [
        ({"about": about}, lambda concern, about=about: concern.about == about)
        for about in ("child", "adult", "not_sure")
    ]
    checks += [
        ({"source": source}, lambda concern, source=source: concern.source == source)
        for source in ("public", "professional", "api")
    ]
    checks += [
        ({"show": frozenset({"immediate_danger"})}, lambda concern: concern.immediate_danger),
        ({"show": frozenset({"signs"})}, lambda concern: concern.has_signs),
        (
            {"about": "adult", "source": "api"},
            lambda concern: (concern.about, concern.source) == ("adult", "api"),
        ),
    ]
    for team in teams:
        for filters, keep in checks:
            assert pks(team, **filters) == expected(team, keep), (team.slug, filters)
    assert pks(teams[1], about="adult", status="closed") == [closed.pk]


def test_filters_refuse_what_they_do_not_know():
    with pytest.raises(ValueError, match="assigned"):
        QueueFilters(assigned="everyone")
    with pytest.raises(ValueError, match="user_id"):
        QueueFilters(assigned="mine")
    with pytest.raises(ValueError, match="show"):
        QueueFilters(show=frozenset({"pink"}))
    with pytest.raises(ValueError, match="status"):
        QueueFilters(status="lost")


# --- The page -------------------------------------------------------------------------------------


def page(client, team: Team, query: str = ""):
    response = client.get(reverse("concerns:team_queue", kwargs={"slug": team.slug}) + query)
    return response, BeautifulSoup(response.content, "html.parser")


def references(soup) -> list[str]:
    return [row["data-reference"] for row in soup.select("#queue tbody tr")]


def test_every_row_carries_its_tags_in_words(client, team, worker):
    agency = AgencyFactory()
    make(
        team,
        urgent=True,
        immediate_danger=True,
        has_signs=True,
        source="api",
        agency=agency,
        about="not_sure",
    )
    make(team, source="professional", agency=agency, about="adult")
    login_verified(client, worker)
    response, soup = page(client, team)
    assert response.status_code == 200
    tags = [
        [tag.get_text(strip=True) for tag in row.select("[data-column=tags] .govuk-tag")]
        for row in soup.select("#queue tbody tr")
    ]
    assert tags == [
        [
            "Immediate danger",
            "Urgent",
            "Signs of exploitation",
            "Not sure if child or adult",
            "Agency system",
        ],
        ["Adult", "Professional"],
    ]


def test_the_filters_in_the_address_narrow_the_queue_and_show_as_removable_tags(client, team, worker):
    wanted = make(team, has_signs=True)
    make(team, has_signs=True, assigned_to=worker, status="in_triage")
    make(team)
    login_verified(client, worker)
    response, soup = page(client, team, "?assigned=unassigned&show=signs")
    assert response.status_code == 200
    assert references(soup) == [wanted.reference]
    assert soup.find(id="queue-count").get_text(strip=True) == "1 concern matches the filters"
    assert soup.find(id="filter-assigned-3").has_attr("checked")
    assert soup.find("input", {"name": "show", "value": "signs"}).has_attr("checked")
    tags = {tag.get_text(" ", strip=True): tag["href"] for tag in soup.select("a.moj-filter__tag")}
    assert set(tags) == {"Remove this filter: Not assigned", "Remove this filter: Signs of exploitation"}
    assert dict(parse_qsl(urlsplit(tags["Remove this filter: Not assigned"]).query)) == {"show": "signs"}
    assert soup.find("a", string="Clear filters")["href"] == reverse(
        "concerns:team_queue", kwargs={"slug": team.slug}
    )


def test_mine_says_you(client, team, worker):
    mine = make(team, assigned_to=worker, status="in_triage")
    login_verified(client, worker)
    _, soup = page(client, team, "?assigned=mine")
    assert references(soup) == [mine.reference]
    assert soup.select_one("#queue [data-column=assigned]").get_text(" ", strip=True) == "Wren Worker (you)"


def test_the_next_link_keeps_the_filters(client, team, worker, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    made = [make(team, has_signs=True, due_hours=hours) for hours in (1, 2, 3)]
    make(team, due_hours=0.5)
    login_verified(client, worker)
    _, soup = page(client, team, "?show=signs")
    next_href = soup.find("a", rel="next")["href"]
    assert ("show", "signs") in parse_qsl(urlsplit(next_href).query)
    second = BeautifulSoup(client.get(next_href).content, "html.parser")
    assert references(second) == [made[2].reference]
    assert second.find("a", string="Back to the start of the queue")["href"].endswith("?show=signs")


def test_the_count_stops_at_the_cap(client, team, worker, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_COUNT_CAP", 3)
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    for _ in range(4):
        make(team)
    login_verified(client, worker)
    _, soup = page(client, team)
    assert soup.find(id="queue-count").get_text(strip=True) == "More than 3 concerns"
    second = BeautifulSoup(client.get(soup.find("a", rel="next")["href"]).content, "html.parser")
    assert second.find(id="queue-count").get_text(strip=True) == "More than 3 concerns"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?assigned=everyone", "Choose who the concerns are assigned to from the list."),
        ("?show=pink", "Choose what to show from the list."),
        ("?show=overdue&show=due_today", "Choose overdue or due today, not both: no concern is both."),
        ("?status=lost", "Choose a status from the list."),
        ("?source=rumour", "Choose who reported it from the list."),
        ("?about=dog", "Choose who the concern is about from the list."),
        ("?q=Zephyrine+Quillbrook", "Enter a concern reference in the form C-2026-000123."),
        ("?status=%00%ff", "Choose a status from the list."),
    ],
)
def test_bad_filters_are_a_clear_400(client, team, worker, query, message):
    make(team)
    login_verified(client, worker)
    response, soup = page(client, team, query)
    assert response.status_code == 400
    assert (
        soup.select_one(".govuk-error-summary").get_text(" ", strip=True) == f"There is a problem {message}"
    )
    assert soup.title.get_text().startswith("Error:")
    assert not soup.select("#queue")
    assert b"Zephyrine" not in response.content


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["assigned", "show", "status", "source", "about", "q", "after"]),
            st.text(max_size=30),
        ),
        max_size=4,
    )
)
def test_any_address_is_a_page_or_a_clear_400(client, team, worker, params):
    login_verified(client, worker)
    response = client.get(reverse("concerns:team_queue", kwargs={"slug": team.slug}), params)
    assert response.status_code in (200, 302, 400)  # 302: empty values dropped from the address


def test_a_reference_typed_in_the_search_is_posted_then_put_in_the_address(client, team, worker):
    concern = make(team, status="closed", reference="C-2026-000042")
    login_verified(client, worker)
    url = reverse("concerns:team_queue_search", kwargs={"slug": team.slug})
    typed = concern.reference.lower().replace("-", " ")
    response = post(client, url, {"reference": typed})
    assert response.status_code == 302
    assert dict(parse_qsl(urlsplit(response["Location"]).query)) == {"q": concern.reference}
    _, soup = page(client, team, f"?q={concern.reference}")
    assert references(soup) == [concern.reference]


def test_a_name_typed_in_the_search_never_reaches_an_address(client, team, worker):
    login_verified(client, worker)
    url = reverse("concerns:team_queue_search", kwargs={"slug": team.slug})
    response = post(client, url, {"reference": "Zephyrine Quillbrook"})
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Enter a concern reference" in soup.select_one(".govuk-error-summary").get_text()
    assert "Location" not in response


def test_a_reference_not_in_the_team_says_so(client, team, worker):
    make(team)
    login_verified(client, worker)
    response, soup = page(client, team, "?q=C-2026-999999")
    assert response.status_code == 200
    assert "No concern with the reference C-2026-999999" in soup.find(id="queue-empty").get_text()


@time_machine.travel(NOW, tick=False)
def test_due_today_and_overdue_in_the_page(client, team, worker):
    overdue = make(team, due_hours=-1)
    today = make(team, due_hours=3)
    login_verified(client, worker)
    assert references(page(client, team, "?show=overdue")[1]) == [overdue.reference]
    assert references(page(client, team, "?show=due_today")[1]) == [today.reference]
