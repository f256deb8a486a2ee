"""The users list at scale: 50 accounts a page by name (GOV.UK pagination), a search by name, username
or e-mail, filters by role and by status; a page past the end shows the last page, and anything the
form does not offer gets a 400 with a message beside its field, never a 500."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("administration:user_list")


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _listed(response) -> list[str]:
    return [row.select_one("td").get_text(strip=True) for row in _page(response).select("#users tbody tr")]


def _errors(response) -> dict[str, str]:
    return {
        a["href"].lstrip("#"): a.get_text(strip=True)
        for a in _page(response).select(".govuk-error-summary__list a")
    }


@pytest.fixture
def many_users():
    """120 active accounts with no role (names 'Zed Person 000' to 'Zed Person 119'), after Ada Admin."""
    User.objects.bulk_create(
        User(
            username=f"zed.person{n:03}",
            first_name="Zed",
            last_name=f"Person {n:03}",
            email=f"zed{n:03}@example.org",
        )
        for n in range(120)
    )


@pytest.mark.usefixtures("many_users")
def test_fifty_a_page_by_name_with_pagination_that_keeps_the_filters(admin_client):
    total = User.objects.filter(is_active=True).count()
    first = admin_client.get(URL)
    names = _listed(first)
    assert len(names) == 50
    assert names[0] == "Ada Admin"
    assert names[1:4] == ["Zed Person 000", "Zed Person 001", "Zed Person 002"]
    page = _page(first)
    assert page.select_one("title").get_text().startswith("Users (page 1 of 3)")
    assert f"{total} active users: showing 1 to 50." in page.select_one("#users-count").get_text()
    current = page.select_one(".govuk-pagination__item--current a")
    assert current["aria-current"] == "page"
    assert current.get_text() == "1"
    assert page.select_one(".govuk-pagination__next a")["href"] == "?page=2"

    last = admin_client.get(URL, {"page": "3", "q": "zed", "show": "active"})
    assert _listed(last)[-1] == "Zed Person 119"
    assert len(_listed(last)) == 120 - 100
    previous = _page(last).select_one(".govuk-pagination__prev a")["href"]
    assert previous == "?q=zed&show=active&page=2"


@pytest.mark.usefixtures("many_users")
@pytest.mark.parametrize("number", ["4", "999999999999999999999", "-1"])
def test_a_page_past_the_end_shows_the_last_page(admin_client, number):
    response = admin_client.get(URL, {"page": number})
    assert response.status_code == 200
    assert _listed(response)[-1] == "Zed Person 119"


@pytest.mark.usefixtures("many_users")
def test_a_page_that_is_not_a_number_shows_the_first(admin_client):
    response = admin_client.get(URL, {"page": "two"})
    assert response.status_code == 200
    assert _listed(response)[0] == "Ada Admin"


def test_search_by_name_username_or_email_word_by_word(admin_client):
    sam = UserFactory(first_name="Sam", last_name="Okafor", username="s.okafor", email="sam.o@example.org")
    UserFactory(first_name="Sam", last_name="Jones", username="sjones", email="sj@example.net")
    UserFactory(first_name="Ola", last_name="Okafor", username="oo", email="ola@example.org")
    assert _listed(admin_client.get(URL, {"q": "sam okafor"})) == ["Sam Okafor"]
    assert _listed(admin_client.get(URL, {"q": "S.OKAF"})) == ["Sam Okafor"]
    assert _listed(admin_client.get(URL, {"q": "example.net"})) == ["Sam Jones"]
    assert _listed(admin_client.get(URL, {"q": "okafor"})) == ["Ola Okafor", "Sam Okafor"]
    found = _page(admin_client.get(URL, {"q": "sam.o@"}))
    assert found.select_one(f"#user-{sam.pk}")
    assert "1 active user matches your search" in found.select_one("#users-count").get_text()
    assert found.select_one("#search-q")["value"] == "sam.o@"
    none = _page(admin_client.get(URL, {"q": "nobody-called-this"}))
    assert not none.select("#users")
    assert "No active user matches your search" in none.select_one("#users-count").get_text()


def test_filters_by_role_and_status(admin_client, administrator):
    worker = UserFactory(first_name="Tia", last_name="Triage", triage_worker=True)
    UserFactory(first_name="Vic", last_name="Viewer", viewer=True)
    nobody = UserFactory(first_name="Nia", last_name="Norole")
    gone = UserFactory(first_name="Gus", last_name="Gone", triage_worker=True, is_active=False)
    assert _listed(admin_client.get(URL, {"role": "triage_worker"})) == ["Tia Triage"]
    assert _listed(admin_client.get(URL, {"role": "triage_worker", "show": "deactivated"})) == ["Gus Gone"]
    assert _listed(admin_client.get(URL, {"role": "none"})) == ["Nia Norole"]
    assert _listed(admin_client.get(URL, {"role": "administrator"})) == ["Ada Admin"]
    assert {worker.pk, nobody.pk} <= {
        int(row["id"].removeprefix("user-")) for row in _page(admin_client.get(URL)).select("#users tbody tr")
    }
    assert gone.pk not in [
        int(row["id"].removeprefix("user-")) for row in _page(admin_client.get(URL)).select("#users tbody tr")
    ]
    chosen = _page(admin_client.get(URL, {"role": "viewer"})).select_one("#search-role option[selected]")
    assert chosen["value"] == "viewer"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"role": "emperor"}, "search-role", "Select a role from the list"),
        ({"show": "<script>"}, "search-show", "Select active or deactivated users"),
        ({"q": "x" * 101}, "search-q", "Search must be 100 characters or fewer"),
        ({"q": "a\x00b"}, "search-q", "Search must only hold letters, digits and punctuation"),
    ],
)
def test_anything_the_form_does_not_offer_gets_a_400_beside_its_field(admin_client, query, field, message):
    response = admin_client.get(URL, query)
    assert response.status_code == 400
    assert _errors(response) == {field: message}
    page = _page(response)
    assert page.select_one("title").get_text().startswith("Error: Users")
    assert not page.select("#users")


@pytest.mark.usefixtures("many_users")
def test_a_page_reads_as_many_queries_however_many_users_it_lists(admin_client):
    """The users and their roles are read in one query each, not one a row."""
    admin_client.get(URL)  # the session's first writes happen here, not in what is counted
    counts = {}
    for number in ("1", "3"):  # 50 users, then 21
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(URL, {"page": number})
        counts[number] = len(queries)
        assert _listed(response)
    assert counts["1"] == counts["3"]
