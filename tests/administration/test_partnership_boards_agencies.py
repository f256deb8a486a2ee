"""The partnership, its boards and agencies on the settings pages: each change saved and audited with
who and before-and-after; slugs made once from the name and kept; a board or agency removed only
while nothing names it, and otherwise the page says what does; bad input answered field by field."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.partnership.models import Agency, Board, Partnership
from tests.accounts.factories import UserFactory
from tests.partnership.factories import AgencyFactory, BoardFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _errors(response) -> dict[str, str]:
    """Each error in the summary, by the id of the field it links to."""
    return {
        a["href"].lstrip("#"): a.get_text(strip=True)
        for a in _page(response).select(".govuk-error-summary__list a")
    }


def _events(target) -> list[AuditEvent]:
    """The events the settings pages wrote about `target` (the model watch also records the records
    the factories make)."""
    events = AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return list(events.filter(summary__endswith="in the settings pages").order_by("sequence"))


def test_changing_the_partnership_shows_at_once_in_every_header(admin_client, administrator):
    PartnershipFactory(name="Testborough Safeguarding Partnerships", area="Testborough")
    public = Client()
    assert "Testborough Safeguarding Partnerships" in public.get("/").content.decode()  # kept in the cache
    url = reverse("administration:partnership_edit")
    form = _page(admin_client.get(url))
    assert form.select_one("#f-name")["value"] == "Testborough Safeguarding Partnerships"

    response = admin_client.post(url, {"name": "Northfield Safeguarding Partnership", "area": "Northfield"})
    assert response.status_code == 302
    assert response["Location"] == url
    partnership = Partnership.objects.get()
    assert (partnership.name, partnership.area) == ("Northfield Safeguarding Partnership", "Northfield")
    (event,) = _events(partnership)
    assert event.kind == AuditEvent.Kind.UPDATED
    assert event.actor_id == administrator.pk
    assert event.changes == {
        "name": ["Testborough Safeguarding Partnerships", "Northfield Safeguarding Partnership"],
        "area": ["Testborough", "Northfield"],
    }
    # The public home page (served from the page cache before) and the staff header both show it now.
    home = public.get("/").content.decode()
    assert "Northfield Safeguarding Partnership" in home
    assert "Testborough Safeguarding Partnerships" not in home
    staff = _page(admin_client.get(url))
    assert (
        staff.select_one(".toolkit-header__name").get_text(strip=True)
        == "Northfield Safeguarding Partnership"
    )


def test_the_partnership_is_made_if_no_pack_was_loaded(admin_client):
    Partnership.objects.all().delete()
    url = reverse("administration:partnership_edit")
    assert admin_client.post(url, {"name": "Northfield Partnership", "area": "Northfield"}).status_code == 302
    assert Partnership.objects.get().pk == 1
    assert _events(Partnership.objects.get())[0].kind == AuditEvent.Kind.CREATED


def test_partnership_errors_name_their_fields(admin_client):
    PartnershipFactory()
    url = reverse("administration:partnership_edit")
    response = admin_client.post(url, {"name": "  ", "area": "", "about": "x" * 5001})
    assert response.status_code == 400
    assert _errors(response) == {
        "f-name": "Enter the name of the partnership",
        "f-area": "Enter the area the partnership serves",
        "f-about": "About the partnership must be 5000 characters or fewer",
    }
    assert Partnership.objects.get().name == "Testborough Safeguarding Partnerships"


BOARD = {
    "name": "Northfield Safeguarding Adults Board",
    "short_name": "NSAB",
    "kind": "adults",
    "website": "www.example.org/nsab",
}


def test_adding_a_board_makes_its_slug_and_changing_it_keeps_the_slug(admin_client, administrator):
    response = admin_client.post(reverse("administration:board_add"), BOARD)
    assert response.status_code == 302
    board = Board.objects.get(short_name="NSAB")
    assert board.slug == "northfield-safeguarding-adults-board"
    assert board.website == "https://www.example.org/nsab"
    (created,) = _events(board)
    assert created.kind == AuditEvent.Kind.CREATED
    assert created.actor_id == administrator.pk
    assert created.changes["slug"] == [None, board.slug]

    listed = _page(admin_client.get(reverse("administration:board_list")))
    assert "Northfield Safeguarding Adults Board" in listed.select_one(f"#board-{board.pk}").get_text()

    url = reverse("administration:board_edit", kwargs={"pk": board.pk})
    form = _page(admin_client.get(url))
    assert "northfield-safeguarding-adults-board" in form.select_one("main").get_text()
    assert not form.select("#f-slug")  # not a field: it cannot be changed
    changed = {**BOARD, "name": "Northfield Adults Board", "slug": "hijacked"}
    assert admin_client.post(url, changed).status_code == 302
    board.refresh_from_db()
    assert (board.name, board.slug) == ("Northfield Adults Board", "northfield-safeguarding-adults-board")
    assert _events(board)[-1].changes == {
        "name": ["Northfield Safeguarding Adults Board", "Northfield Adults Board"]
    }


def test_a_second_board_of_the_same_name_gets_a_clear_error(admin_client):
    BoardFactory(name="Northfield Safeguarding Adults Board")
    response = admin_client.post(
        reverse("administration:board_add"), {**BOARD, "name": "northfield safeguarding adults board"}
    )
    assert response.status_code == 400
    assert _errors(response) == {"f-name": "A board with this name already exists"}


def test_board_errors_name_their_fields(admin_client):
    response = admin_client.post(
        reverse("administration:board_add"),
        {"name": "", "short_name": "A" * 21, "kind": "pets", "website": "not a website"},
    )
    assert response.status_code == 400
    assert _errors(response) == {
        "f-name": "Enter the name of the board",
        "f-short_name": "Short name must be 20 characters or fewer",
        "f-kind": "Select what kind of board it is",
        "f-website": "Enter a web address, like https://www.example.org",
    }
    assert not Board.objects.filter(short_name__startswith="AAA").exists()


def test_adding_and_changing_an_agency(admin_client, administrator):
    response = admin_client.post(
        reverse("administration:agency_add"), {"name": "Northfield Police", "sector": "police"}
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Northfield Police")
    assert agency.slug == "northfield-police"
    assert _events(agency)[0].changes == {
        "slug": [None, "northfield-police"],
        "name": [None, "Northfield Police"],
        "sector": [None, "police"],
    }
    # A second agency whose name makes the same slug gets the next free one.
    AgencyFactory(name="Northfield Police Service", slug="northfield-police-service")
    url = reverse("administration:agency_edit", kwargs={"pk": agency.pk})
    assert admin_client.post(url, {"name": "Northfield Constabulary", "sector": "police"}).status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.slug) == ("Northfield Constabulary", "northfield-police")
    assert _events(agency)[-1].actor_id == administrator.pk
    admin_client.post(
        reverse("administration:agency_add"), {"name": "Northfield Police!", "sector": "police"}
    )
    assert Agency.objects.get(name="Northfield Police!").slug == "northfield-police-2"


def test_agency_errors_name_their_fields(admin_client):
    AgencyFactory(name="Northfield Police")
    response = admin_client.post(reverse("administration:agency_add"), {"name": "NORTHFIELD POLICE"})
    assert response.status_code == 400
    # The form's own checks first: the name is checked by the service once the form is complete.
    assert _errors(response) == {"f-sector": "Select the agency's sector"}
    response = admin_client.post(reverse("administration:agency_add"), {"name": "", "sector": "bakers"})
    assert _errors(response) == {
        "f-name": "Enter the name of the agency",
        "f-sector": "Select the agency's sector",
    }
    response = admin_client.post(
        reverse("administration:agency_add"), {"name": "Northfield police", "sector": "police"}
    )
    assert response.status_code == 400
    assert _errors(response) == {"f-name": "An agency with this name already exists"}


def test_an_agency_nothing_names_is_removed_and_the_trail_keeps_it(admin_client, administrator):
    agency = AgencyFactory(name="Northfield Mission Hall", sector="voluntary")
    url = reverse("administration:agency_delete", kwargs={"pk": agency.pk})
    confirm = _page(admin_client.get(url))
    assert confirm.select_one("h1").get_text() == "Remove the agency “Northfield Mission Hall”?"
    assert confirm.select_one("button.govuk-button--warning")
    assert admin_client.post(url).status_code == 302
    assert not Agency.objects.filter(pk=agency.pk).exists()
    (event,) = _events(agency)
    assert event.kind == AuditEvent.Kind.DELETED
    assert event.actor_id == administrator.pk
    assert event.changes["name"] == ["Northfield Mission Hall", None]


def test_an_agency_that_anything_names_stays_and_the_page_says_what(admin_client):
    agency = AgencyFactory(name="Northfield Police")
    UserFactory(agency=agency)
    UserFactory(agency=agency, agency_lead=agency)
    url = reverse("administration:agency_delete", kwargs={"pk": agency.pk})
    page = _page(admin_client.get(url))
    assert page.select_one("h1").get_text() == "You cannot remove the agency “Northfield Police”"
    assert page.select_one("#named-by").get_text().startswith("2 user accounts and 1 role name it.")
    assert not page.select("main form button")
    response = admin_client.post(url)
    assert response.status_code == 400
    assert Agency.objects.filter(pk=agency.pk).exists()
    assert not _events(agency)


def test_a_board_with_a_role_on_it_stays(admin_client):
    board = BoardFactory(name="Northfield Children's Partnership")
    UserFactory(board_member=board)
    url = reverse("administration:board_delete", kwargs={"pk": board.pk})
    assert "1 role name it" in _page(admin_client.get(url)).select_one("#named-by").get_text()
    assert admin_client.post(url).status_code == 400
    assert Board.objects.filter(pk=board.pk).exists()
    unused = BoardFactory(name="Northfield Board That Never Met")
    assert (
        admin_client.post(reverse("administration:board_delete", kwargs={"pk": unused.pk})).status_code == 302
    )
    assert not Board.objects.filter(pk=unused.pk).exists()
    assert _events(unused)[0].kind == AuditEvent.Kind.DELETED


def test_the_settings_index_and_sub_navigation_list_the_new_sections(admin_client):
    index = _page(admin_client.get(reverse("administration:index")))
    links = {a.get_text(strip=True): a["href"] for a in index.select(".govuk-summary-list a")}
    assert links["Partnership"] == reverse("administration:partnership_edit")
    assert links["Boards"] == reverse("administration:board_list")
    assert links["Agencies"] == reverse("administration:agency_list")
    sub_navigation = _page(admin_client.get(reverse("administration:agency_list"))).select(
        ".moj-sub-navigation__link"
    )
    current = [a.get_text(strip=True) for a in sub_navigation if a.get("aria-current") == "page"]
    assert current == ["Agencies"]


def test_the_about_paragraph_is_on_the_home_page_as_markdown_without_scripts(admin_client):
    PartnershipFactory()
    about = "Read [our plan](https://www.example.org/plan).\n\n<script>alert('x')</script>"
    response = admin_client.post(
        reverse("administration:partnership_edit"),
        {"name": "Northfield Partnership", "area": "Northfield", "about": about},
    )
    assert response.status_code == 302
    home = Client().get("/").content.decode()
    link = BeautifulSoup(home, "html.parser").find("a", string="our plan")
    assert link["href"] == "https://www.example.org/plan"
    assert "<script>alert" not in home


def test_a_change_made_elsewhere_is_audited_once_by_the_watch_and_once_here(admin_client, administrator):
    """The Django admin or a pack load changes an agency: the model watch records it. The settings pages
    record their own fuller event, and the watch stays quiet inside it: one event a change."""
    agency = AgencyFactory(name="Northfield Police")
    watched = AuditEvent.objects.filter(target_type="partnership.agency", target_id=str(agency.pk))
    assert watched.count() == 1  # made by the factory, outside the settings pages
    agency.name = "Northfield Constabulary"
    agency.save()
    assert watched.last().changes == {"name": ["Northfield Police", "Northfield Constabulary"]}
    url = reverse("administration:agency_edit", kwargs={"pk": agency.pk})
    admin_client.post(url, {"name": "Northfield Police Service", "sector": agency.sector})
    assert watched.count() == 3
    assert watched.last().summary == "Agency “Northfield Police Service” changed in the settings pages"
