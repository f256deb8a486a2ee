"""The partnership manager's pages and the public pages, read as a person sees them."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.statistics import services
from safeguarding.statistics.models import Publication
from safeguarding.statistics.quarters import Quarter
from tests.accounts.factories import UserFactory
from tests.conftest import html
from tests.partnership.factories import BoardFactory
from tests.staff import login_verified, post

from .factories import at, concerns

pytestmark = pytest.mark.django_db
Q1 = Quarter(2026, 1)


@pytest.fixture(autouse=True)
def _after_the_quarter():
    with time_machine.travel(at(2026, 4, 15), tick=False):
        yield


@pytest.fixture
def manager():
    return UserFactory(partnership_manager=BoardFactory())


def seed():
    concerns(3, when=at(2026, 1, 5), about="child", source="public")
    concerns(20, when=at(2026, 1, 6), about="child", source="professional")
    concerns(12, when=at(2026, 2, 6), about="adult", source="public")
    concerns(30, when=at(2026, 2, 7), about="adult", source="professional")


def published(manager):
    publication = services.publication_prepare(quarter=Q1, user=manager)
    return services.publication_publish(publication=publication, user=manager)


def cell(page, table, row, column):
    """The text of a table cell by its row header and column position (0 = first figure column)."""
    for tr in page.select(f"#{table} tbody tr"):
        if tr.th.get_text(strip=True) == row:
            return tr.select("td")[column].get_text(" ", strip=True)
    raise AssertionError(f"No row {row} in {table}")


# --- Staff pages -------------------------------------------------------------------------------------


def test_the_list_shows_recent_quarters(client, manager):
    login_verified(client, manager)
    page = html(client.get(reverse("statistics:quarter_list")))
    assert page.h1.get_text(strip=True) == "Public statistics"
    rows = page.select("#quarters tbody tr")
    assert len(rows) == 8
    assert "Quarter not ended" in rows[0].get_text()  # April to June 2026
    assert "Not published" in rows[1].get_text()


def every_staff_statistics_url(publication: Publication) -> list[str]:
    """Each page of the statistics namespace (tests/tracker/test_staff_area_permissions.py relies on it)."""
    quarter = {"quarter": "2026-q1"}
    return [
        reverse("statistics:quarter_list"),
        reverse("statistics:quarter_preview", kwargs=quarter),
        *(
            reverse(f"statistics:publication_{name}", kwargs={"pk": publication.pk})
            for name in ("detail", "publish", "discard", "withdraw")
        ),
    ]


@pytest.mark.parametrize("role", ["viewer", "board_member", "triage_worker", "administrator", "agency_lead"])
def test_others_cannot_open_or_post_to_any_statistics_page(client, manager, role):
    seed()
    publication = services.publication_prepare(quarter=Q1, user=manager)
    if role == "board_member":
        user = UserFactory(board_member=BoardFactory())
    elif role == "agency_lead":
        from tests.partnership.factories import AgencyFactory

        user = UserFactory(agency_lead=AgencyFactory())
    else:
        user = UserFactory(**{role: True})
    login_verified(client, user)
    urls = every_staff_statistics_url(publication)
    for url in urls[:3]:  # the pages
        assert client.get(url).status_code == 404, url
    for url in urls:  # and no change through any of them (405: a page that takes no POST)
        assert post(client, url, {"reason": "Fictional"}).status_code in (404, 405), url
    publication.refresh_from_db()
    assert publication.state == Publication.State.DRAFT


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("statistics:quarter_list"))
    assert response.status_code == 302


def test_preview_shows_the_public_view_and_the_true_counts_to_the_manager(client, manager):
    seed()
    login_verified(client, manager)
    response = client.get(reverse("statistics:quarter_preview", kwargs={"quarter": "2026-q1"}))
    page = html(response)
    assert page.h1.get_text(strip=True) == "January to March 2026"
    assert cell(page, "public-received", "A child", 0) == "fewer than 5"
    assert cell(page, "public-received", "A child", 1) == "withheld"
    assert cell(page, "public-received", "Total", 3) == "65"
    assert cell(page, "raw-received", "A child", 0) == "3 (fewer than 5)"
    assert not Publication.objects.exists()
    assert AuditEvent.objects.filter(kind="viewed", summary="Statistics for 2026-q1 previewed").exists()


def test_bad_quarter_text_is_a_404(client, manager):
    login_verified(client, manager)
    for text in ["2026-q5", "q1-2026", "2026-q1x", "%00", "9999-q1"]:
        assert client.get(f"/staff/statistics/{text}/").status_code == 404


def test_prepare_review_and_publish(client, manager):
    seed()
    login_verified(client, manager)
    response = post(client, reverse("statistics:quarter_preview", kwargs={"quarter": "2026-q1"}))
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("statistics:publication_detail", kwargs={"pk": publication.pk})
    page = html(client.get(response.url))
    assert "Draft" in page.select_one(".govuk-caption-l").get_text()
    assert client.get(reverse("public_statistics:detail", kwargs={"quarter": "2026-q1"})).status_code == 404
    response = post(client, reverse("statistics:publication_publish", kwargs={"pk": publication.pk}))
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.state == Publication.State.PUBLISHED


def test_preparing_a_quarter_not_ended_is_a_clear_error(client, manager):
    login_verified(client, manager)
    with time_machine.travel(at(2026, 3, 15), tick=False):
        response = post(client, reverse("statistics:quarter_preview", kwargs={"quarter": "2026-q1"}))
    # The form is not offered; a forced POST gets the error summary.
    assert response.status_code == 400
    assert "has not ended" in html(response).select_one(".govuk-error-summary").get_text()


def test_withdraw_needs_a_reason(client, manager):
    seed()
    publication = published(manager)
    login_verified(client, manager)
    url = reverse("statistics:publication_withdraw", kwargs={"pk": publication.pk})
    response = post(client, url, {"reason": "  "})
    assert response.status_code == 400
    assert "Enter why" in html(response).select_one("#reason-error").get_text()
    response = post(client, url, {"reason": "Fictional mistake found"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.state == Publication.State.WITHDRAWN
    assert client.get(reverse("public_statistics:detail", kwargs={"quarter": "2026-q1"})).status_code == 404


def test_publishing_twice_is_a_clear_error(client, manager):
    seed()
    publication = published(manager)
    login_verified(client, manager)
    response = post(client, reverse("statistics:publication_publish", kwargs={"pk": publication.pk}))
    assert response.status_code == 400
    assert "Only figures waiting for review" in html(response).select_one(".govuk-error-summary").get_text()


# --- Public pages ------------------------------------------------------------------------------------


def test_nothing_public_until_published(client, manager):
    seed()
    services.publication_prepare(quarter=Q1, user=manager)
    page = html(client.get(reverse("public_statistics:list")))
    assert page.select_one("#no-quarters")
    assert client.get("/statistics/2026-q1/").status_code == 404
    assert client.get("/statistics/2026-q1.csv").status_code == 404


def test_the_public_pages_show_a_published_quarter_with_small_numbers_suppressed(client, manager):
    seed()
    published(manager)
    page = html(client.get(reverse("public_statistics:list")))
    link = page.select_one("#quarters a")
    assert link.get_text(strip=True) == "January to March 2026"
    response = client.get(link["href"])
    assert response.status_code == 200
    page = html(response)
    assert cell(page, "received", "A child", 0) == "fewer than 5"
    assert cell(page, "received", "A child", 1) == "withheld"
    assert cell(page, "received", "Total", 3) == "65"
    assert "3" not in [td.get_text(strip=True) for td in page.select("#received td")]
    assert page.select_one("a[href='/statistics/2026-q1.csv']")
    assert page.select_one("a[href='/statistics/method/']")


def test_the_csv_has_a_licence_line_and_no_small_numbers(client, manager):
    seed()
    published(manager)
    response = client.get("/statistics/2026-q1.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0].startswith("Licence: Open Government Licence v3.0")
    assert rows[1] == ["quarter", "table", "row", "column", "count", "note"]
    child_public = next(
        r for r in rows[2:] if r[2] == "A child" and r[3] == "Member of the public" and "reported" in r[1]
    )
    assert child_public[4:] == ["", "fewer than 5"]
    total = next(r for r in rows[2:] if r[2] == "Total" and r[3] == "Total" and "reported" in r[1])
    assert total[4] == "65"


def test_a_formula_in_a_decision_name_is_made_harmless_in_the_csv(client, manager):
    from safeguarding.concerns.models import DecisionOption

    DecisionOption.objects.filter(code="no_further_action").update(name="=HYPERLINK(1)")
    seed()
    published(manager)
    text = client.get("/statistics/2026-q1.csv").content.decode()
    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/statistics/2026-q5/",
        "/statistics/1999-q1/",
        "/statistics/2026-q1x/",
        "/statistics/2030-q1/",
        "/statistics/2030-q1.csv",
        "/statistics/%ff/",
    ],
)
def test_bad_or_unpublished_quarters_are_404(client, path):
    assert client.get(path).status_code == 404


def test_the_method_page(client):
    page = html(client.get(reverse("public_statistics:method")))
    assert page.h1.get_text(strip=True) == "How we count and protect these statistics"
    assert "fewer than 5" in page.get_text()


def test_publishing_and_withdrawing_change_the_kept_public_pages(client, manager):
    seed()
    assert html(client.get("/statistics/")).select_one("#no-quarters")
    publication = published(manager)
    assert html(client.get("/statistics/")).select_one("#quarters")
    services.publication_withdraw(publication=publication, user=manager, reason="Fictional")
    assert html(client.get("/statistics/")).select_one("#no-quarters")


def test_demo_figures_are_labelled_as_training_material(client, manager):
    from tests.concerns.factories import ConcernRowFactory

    seed()
    ConcernRowFactory(received_at=at(2026, 1, 5), idempotency_key="demo-linking-x")
    published(manager)
    assert "Training material" in html(client.get("/statistics/")).get_text()
    assert "fictional demo concerns" in html(client.get("/statistics/2026-q1/")).get_text()


def test_the_staff_menu_offers_public_statistics_to_managers_only(manager):
    from safeguarding.core.staff_menu import staff_menu_for

    entries = [e.label for e in staff_menu_for(manager) if e.url == "/staff/statistics/"]
    assert entries == ["Public statistics"]
    assert not [e for e in staff_menu_for(UserFactory(viewer=True)) if e.url == "/staff/statistics/"]


def test_figures_that_cannot_be_protected_say_so_instead_of_failing(client, manager, monkeypatch):
    from safeguarding.statistics.disclosure import DisclosureError

    def unprotectable(**kwargs):
        raise DisclosureError("test")

    monkeypatch.setattr(services, "release_for", unprotectable)
    login_verified(client, manager)
    url = reverse("statistics:quarter_preview", kwargs={"quarter": "2026-q1"})
    page = html(client.get(url))
    assert "cannot be published" in page.select_one("#unprotectable").get_text()
    assert not page.select("#prepare")
    response = post(client, url)
    assert "cannot be published" in html(response).select_one("#unprotectable").get_text()
    assert not Publication.objects.exists()
