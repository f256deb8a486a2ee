"""The repeatable answers: add another, change and remove, named in URLs by position only."""

import pytest

from tests.concerns.report.conftest import answer, minimal_journey, post
from tests.conftest import html

pytestmark = pytest.mark.django_db


def _person(client, name: str, url: str = "/report/people/add/") -> None:
    answer(client, url, {"role": "at_risk", "name": name}, "/report/people/")


def test_add_another_lists_the_people_added_with_change_and_remove_links(client):
    minimal_journey(client)
    first = html(client.get("/report/people/"))
    assert first.h1.get_text(strip=True) == "Do you want to tell us about any of the people involved?"
    _person(client, "Ada Fictional")
    _person(client, "Bea Madeup")
    page = html(client.get("/report/people/"))
    assert page.h1.get_text(strip=True) == "You have added 2 people"
    assert [row.get_text(" ", strip=True) for row in page.select(".govuk-summary-list__value")] == [
        "Ada Fictional",
        "Bea Madeup",
    ]
    hrefs = [a["href"] for a in page.select(".govuk-summary-list__actions a")]
    assert hrefs == [
        "/report/people/1/change/",
        "/report/people/1/remove/",
        "/report/people/2/change/",
        "/report/people/2/remove/",
    ]
    assert "Do you want to add another person?" in page.select_one("legend").get_text()


def test_change_keeps_the_position_and_shows_the_answers(client):
    minimal_journey(client)
    _person(client, "Ada Fictional")
    page = html(client.get("/report/people/1/change/"))
    assert page.select_one("input[name=name]")["value"] == "Ada Fictional"
    _person(client, "Ada Renamed", url="/report/people/1/change/")
    assert "Ada Renamed" in html(client.get("/report/people/")).get_text()
    assert "Ada Fictional" not in html(client.get("/report/people/")).get_text()


def test_remove_asks_first_then_removes(client):
    minimal_journey(client)
    _person(client, "Ada Fictional")
    _person(client, "Bea Madeup")
    assert "Ada Fictional" in html(client.get("/report/people/1/remove/")).get_text()
    response = post(client, "/report/people/1/remove/")
    assert response["Location"] == "/report/people/"
    values = [
        v.get_text(strip=True)
        for v in html(client.get("/report/people/")).select(".govuk-summary-list__value")
    ]
    assert values == ["Bea Madeup"]


def test_a_position_that_does_not_exist_is_not_found(client):
    minimal_journey(client)
    assert client.get("/report/people/1/change/").status_code == 404
    assert client.get("/report/vehicles/3/remove/").status_code == 404
    assert client.get("/report/people/0/change/").status_code == 404


def test_no_moves_on_and_the_check_page_says_none_added(client):
    minimal_journey(client)
    answer(client, "/report/people/", {"add": "no"}, "/report/vehicles/")
    text = html(client.get("/report/check/")).get_text()
    assert "None added" in text


def test_a_person_needs_at_least_one_detail(client):
    response = post(client, "/report/people/add/", {"role": "other"})
    assert "Tell us at least one thing about this person" in html(response).get_text()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2001", "Date of birth must be a real date"),
        ("1", "", "2001", "Date of birth must include a month"),
        ("1", "1", "01", "Year must include 4 numbers"),
        ("1", "1", "2999", "Date of birth must be in the past"),
        ("1", "1", "1700", "Date of birth must be after 1890"),
        ("x", "1", "2001", "Date of birth must be a real date"),
    ],
)
def test_dates_of_birth_must_be_real(client, day, month, year, message):
    data = {
        "role": "at_risk",
        "date_of_birth_day": day,
        "date_of_birth_month": month,
        "date_of_birth_year": year,
    }
    response = post(client, "/report/people/add/", data)
    assert response.status_code == 200
    page = html(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one(page.select_one(".govuk-error-summary a")["href"])


def test_a_real_date_of_birth_is_kept_and_shown_again(client):
    minimal_journey(client)
    data = {
        "role": "harming",
        "date_of_birth_day": "3",
        "date_of_birth_month": "2",
        "date_of_birth_year": "1990",
    }
    answer(client, "/report/people/add/", data, "/report/people/")
    page = html(client.get("/report/people/1/change/"))
    assert page.select_one("input[name=date_of_birth_day]")["value"] == "3"
    assert page.select_one("input[name=date_of_birth_year]")["value"] == "1990"


def test_each_kind_of_list_needs_something_in_an_entry(client):
    assert (
        "Enter a registration number or describe the vehicle"
        in html(post(client, "/report/vehicles/add/", {})).get_text()
    )
    assert (
        "Enter the name of the place, an address or a postcode"
        in html(post(client, "/report/places/add/", {})).get_text()
    )


def test_changing_an_entry_from_the_check_page_returns_to_it(client):
    minimal_journey(client)
    answer(client, "/report/vehicles/add/", {"registration": "AB12 CDE"}, "/report/vehicles/")
    links = [a["href"] for a in html(client.get("/report/check/")).select(".govuk-summary-list__actions a")]
    assert "/report/vehicles/1/change/?return=check" in links
    answer(client, "/report/vehicles/1/change/?return=check", {"registration": "ZZ99 ZZZ"}, "/report/check/")


def test_a_list_stops_at_twenty(client):
    minimal_journey(client)
    for n in range(20):
        answer(client, "/report/phones/add/", {"number": f"07700 900{n:03d}"}, "/report/phones/")
    assert client.get("/report/phones/add/")["Location"] == "/report/phones/"
    page = html(client.get("/report/phones/"))
    assert "as many as this form takes" in page.get_text()
