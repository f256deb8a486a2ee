"""The dashboard pages as a member of staff sees them, and their query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.conftest import html
from tests.staff import login_unverified, login_verified

from .conftest import TODAY, add_action

pytestmark = pytest.mark.django_db


def _figure(page, name: str) -> str:
    return " ".join(page.select_one(f'[data-figure="{name}"]').get_text(" ").split())


def _table_counts(page, table_id: str, attribute: str) -> dict[str, int]:
    return {
        row[attribute]: int(row.select_one("td").get_text(strip=True))
        for row in page.select(f"#{table_id} tr[{attribute}]")
    }


@pytest.fixture
def viewer_client(client, tracker):
    return login_verified(client, UserFactory(viewer=True))


def test_the_overview_shows_counts_for_every_review(viewer_client, tracker):
    response = viewer_client.get(reverse("tracker:dashboard"))

    assert response.status_code == 200
    page = html(response)
    assert len(page.find_all("h1")) == 1
    assert _figure(page, "actions") == "7 actions"
    assert _figure(page, "overdue") == "1 overdue"
    assert _figure(page, "due-soon") == "2 due in the next 30 days"
    assert _figure(page, "progressed") == "1 of 3 recommendations progressed in full"
    assert _table_counts(page, "by-status", "data-status") == {
        "not_started": 2,
        "in_progress": 2,
        "complete": 2,
        "impact_evidenced": 1,
    }
    assert _table_counts(page, "by-rag", "data-rag") == {"red": 1, "amber": 3, "green": 1, "complete": 2}
    assert _table_counts(page, "recommendations", "data-progress") == {"in-full": 1, "not-yet": 2}


def test_the_overview_lists_overdue_and_due_soon_actions_with_links(viewer_client, tracker):
    page = html(viewer_client.get(reverse("tracker:dashboard")))

    overdue_links = [a["href"] for a in page.select('table[data-list="overdue"] tbody tr td:first-child a')]
    due_soon_links = [a["href"] for a in page.select('table[data-list="due-soon"] tbody tr td:first-child a')]

    assert overdue_links == [f"/staff/actions/{tracker.actions['a2'].pk}/"]
    assert due_soon_links == [
        f"/staff/actions/{tracker.actions['a5'].pk}/",
        f"/staff/actions/{tracker.actions['a3'].pk}/",
    ]


def test_the_overview_links_to_dashboards_by_review_board_and_agency(viewer_client, tracker):
    page = html(viewer_client.get(reverse("tracker:dashboard")))
    hrefs = {a["href"] for a in page.select("main a")}

    assert f"/staff/dashboards/reviews/{tracker.review1.pk}/" in hrefs
    assert f"/staff/dashboards/reviews/{tracker.review2.pk}/" in hrefs
    assert f"/staff/dashboards/boards/{tracker.adults.pk}/" in hrefs
    assert f"/staff/dashboards/agencies/{tracker.agency_b.pk}/" in hrefs
    assert "/staff/exports/actions.csv" in hrefs


@pytest.mark.parametrize(
    ("url_name", "attribute", "actions", "overdue", "heading"),
    [
        ("tracker:dashboard_review", "review1", 4, 1, "Review one"),
        ("tracker:dashboard_board", "children", 6, 1, "Testborough Children's Partnership"),
        ("tracker:dashboard_agency", "agency_a", 4, 0, "Testborough Police"),
    ],
)
def test_filtered_dashboards_show_the_same_panels_narrowed(
    viewer_client, tracker, url_name, attribute, actions, overdue, heading
):
    key = url_name.rsplit("_", 1)[1] + "_id"
    response = viewer_client.get(reverse(url_name, kwargs={key: getattr(tracker, attribute).pk}))

    page = html(response)
    assert page.find("h1").get_text(strip=True) == heading
    assert _figure(page, "actions") == f"{actions} actions"
    assert _figure(page, "overdue") == f"{overdue} overdue"
    export = page.find("a", string="Actions as a CSV file")["href"]
    assert export == f"/staff/exports/actions.csv?{key[:-3]}={getattr(tracker, attribute).pk}"


def test_the_board_dashboard_offers_the_board_report(viewer_client, tracker):
    page = html(viewer_client.get(reverse("tracker:dashboard_board", kwargs={"board_id": tracker.adults.pk})))

    link = page.find("a", string="Board report (PDF)")
    assert link["href"] == f"/staff/dashboards/boards/{tracker.adults.pk}/report.pdf"


def test_the_progress_chart_has_a_title_a_description_and_a_matching_table(viewer_client, tracker):
    page = html(viewer_client.get(reverse("tracker:dashboard")))

    svg = page.select_one("#progress-chart svg")
    assert svg["role"] == "img"
    assert svg.find("title").get_text().startswith("Actions done over time")
    assert "3 were done (43%)" in svg.find("desc").get_text()
    bars = [rect.find("title").get_text() for rect in svg.select("rect") if rect.find("title")]
    rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in page.select("#progress-table tbody tr")
    ]
    assert rows == [
        ["Mar 2026", "1", "14%"],
        ["Apr 2026", "1", "14%"],
        ["May 2026", "2", "29%"],
        ["Jun 2026", "3", "43%"],
    ]
    assert bars == [f"{row[0]}: {row[1]} done" for row in rows]


def test_an_agency_lead_sees_only_their_agency(client, tracker):
    lead = UserFactory(agency_lead=tracker.agency_b)
    login_verified(client, lead)

    page = html(client.get(reverse("tracker:dashboard")))
    other = client.get(reverse("tracker:dashboard_agency", kwargs={"agency_id": tracker.agency_a.pk}))

    assert _figure(page, "actions") == "3 actions"
    agency_links = [a.get_text(strip=True) for a in page.select("#agencies + ul a")]
    assert agency_links == ["Testborough Health"]
    assert other.status_code == 404


def test_an_agency_lead_cannot_open_a_review_with_nothing_of_theirs(client, tracker):
    agency = tracker.agency_b
    lead = UserFactory(agency_lead=agency)
    tracker.actions["a2"].delete()  # agency B's only action in review 1
    login_verified(client, lead)

    response = client.get(reverse("tracker:dashboard_review", kwargs={"review_id": tracker.review1.pk}))

    assert response.status_code == 404


def test_dashboards_need_a_verified_sign_in(client, tracker):
    anonymous = client.get(reverse("tracker:dashboard"))
    login_unverified(client, UserFactory(viewer=True))
    unverified = client.get(reverse("tracker:dashboard"))

    assert anonymous.status_code == 302
    assert unverified.status_code == 302
    assert "/staff/account/" in unverified["Location"]


def _many_actions(tracker, number: int) -> None:
    for i in range(number):
        add_action(
            tracker.r3,
            tracker.agency_b if i % 2 else tracker.agency_a,
            status=["not_started", "in_progress", "complete"][i % 3],
            due=TODAY + datetime.timedelta(days=i - 10),
            done=TODAY - datetime.timedelta(days=40 * i) if i % 3 == 2 else None,
            evidence=["accepted", "submitted"][: i % 3],
        )


@pytest.mark.parametrize("role", ["viewer", "agency_lead"])
@pytest.mark.parametrize(
    "path",
    [
        "/staff/dashboards/",
        "/staff/dashboards/reviews/{review}/",
        "/staff/dashboards/boards/{board}/",
        "/staff/dashboards/agencies/{agency}/",
    ],
)
def test_query_counts_do_not_grow_with_the_number_of_actions(
    client, tracker, path, role, django_assert_num_queries
):
    user = UserFactory(agency_lead=tracker.agency_a) if role == "agency_lead" else UserFactory(viewer=True)
    login_verified(client, user)
    url = path.format(review=tracker.review2.pk, board=tracker.children.pk, agency=tracker.agency_a.pk)
    client.get(url)  # warm up: sessions, caches

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many_actions(tracker, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.status_code == 200


def test_the_board_dashboard_draws_the_reports_26_week_line_with_its_figures(viewer_client, tracker):
    import time_machine

    from safeguarding.tracker import services
    from safeguarding.tracker.dashboards import report_data
    from safeguarding.tracker.models import Action

    a2 = tracker.actions["a2"]
    with time_machine.travel(datetime.datetime(2026, 5, 6, 11, 0, tzinfo=datetime.UTC)):
        services.action_update(
            action=a2,
            by=tracker.supplier,
            description=a2.description,
            lead=a2.lead,
            due_date=a2.due_date,
            status="complete",
        )

    page = html(viewer_client.get(reverse("tracker:dashboard_board", kwargs={"board_id": tracker.adults.pk})))

    chart = page.select_one("#weekly-chart svg[role=img]")
    assert chart.title.get_text().startswith("Progress over the last 26 weeks: Testborough Adults Board")
    # The description is on the page above the chart: the chart points to it, with no copy of its own.
    assert chart["aria-labelledby"] == "weekly-progress-title"
    assert chart["aria-describedby"] == "weekly-summary"
    assert chart.find("desc") is None
    assert len(chart.select("polyline")) == 2
    summary = page.select_one("#weekly-summary").get_text(" ", strip=True)
    assert "Actions done: 50% (2 of 4) at the start, 75% (3) now." in summary
    assert page.select_one("#weekly-details summary").get_text(strip=True) == "Progress week by week"
    rows = page.select("#weekly-table tbody tr")
    recommendations = tracker.r1.review.recommendations.all()  # r1 and r2: the adults' board's
    expected = report_data.weekly_progress(
        board=tracker.adults,
        recommendations=recommendations,
        actions=Action.objects.filter(recommendation__in=recommendations),
        today=TODAY,
    )
    assert [
        (
            row["data-week"],
            row.select_one('[data-figure="signed-off"]').get_text(strip=True),
            row.select_one('[data-figure="actions-done"]').get_text(strip=True),
        )
        for row in rows
    ] == [
        (
            w.week.isoformat(),
            f"{w.signed_off} ({w.signed_off_percent}%)",
            f"{w.actions_done} ({w.actions_percent}%)",
        )
        for w in expected.weeks
    ]
    assert rows[-1].select_one('[data-figure="actions-done"]').get_text(strip=True) == "3 (75%)"


def test_only_a_board_dashboard_draws_the_weekly_line(viewer_client, tracker):
    page = html(
        viewer_client.get(reverse("tracker:dashboard_review", kwargs={"review_id": tracker.review1.pk}))
    )

    assert page.select_one("#weekly-chart") is None
    assert page.select_one("#progress-chart svg") is not None
