"""The get-help page: 999 first, then the front doors, out of hours and helplines, from ContactPoint rows."""

import pytest
from bs4 import BeautifulSoup

from safeguarding.partnership.models import ContactPoint
from tests.conftest import html
from tests.partnership.factories import ContactPointFactory

pytestmark = pytest.mark.django_db

Kind, Audience = ContactPoint.Kind, ContactPoint.Audience


def section(page, section_id: str) -> str:
    """The HTML from the <h2 id=section_id> up to the next <h2>, as one string."""
    heading = page.select_one(f"h2#{section_id}")
    assert heading is not None, f"no section #{section_id}"
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(str(sibling))
    return "".join(parts)


def soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def tel_links(markup: str) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in soup(markup).select('a[href^="tel:"]')}


def test_get_help_has_one_h1_and_puts_999_first(client):
    ContactPointFactory(name="Children's front door")
    response = client.get("/get-help/")
    assert response.status_code == 200
    page = html(response)
    assert [h1.get_text(strip=True) for h1 in page.select("h1")] == ["Get help or report a concern"]
    first_section = page.select_one("main h2")
    assert first_section["id"] == "emergency"
    assert tel_links(section(page, "emergency"))["999"] == "tel:999"


def test_front_doors_appear_in_their_own_sections_as_tel_links(client):
    ContactPointFactory(name="Children's Initial Response", audience=Audience.CHILDREN, phone="0191 498 0101")
    ContactPointFactory(name="Adult Care Direct", audience=Audience.ADULTS, phone="0191 498 0202")
    page = html(client.get("/get-help/"))

    children = section(page, "child")
    assert "Children's Initial Response" in children
    assert tel_links(children) == {"0191 498 0101": "tel:01914980101"}

    adults = section(page, "adult")
    assert "Adult Care Direct" in adults
    assert tel_links(adults) == {"0191 498 0202": "tel:01914980202"}


def test_front_door_cards_show_hours_and_organisation(client):
    ContactPointFactory(
        name="Children's Initial Response",
        organisation="Testborough Council",
        hours="Monday to Friday, 8:45am to 5pm",
    )
    children = soup(section(html(client.get("/get-help/")), "child"))
    card = children.select_one(".govuk-summary-card")
    assert card.select_one(".govuk-summary-card__title").get_text(strip=True) == "Children's Initial Response"
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in card.select(".govuk-summary-list__row")
    }
    assert rows["When it is open"] == "Monday to Friday, 8:45am to 5pm"
    assert rows["Run by"] == "Testborough Council"


def test_a_front_door_for_anyone_is_shown_for_children_and_adults(client):
    ContactPointFactory(name="Single front door", audience=Audience.ANYONE, phone="0191 498 0303")
    page = html(client.get("/get-help/"))
    assert "0191 498 0303" in tel_links(section(page, "child"))
    assert "0191 498 0303" in tel_links(section(page, "adult"))


def test_out_of_hours_and_helplines_have_their_sections(client):
    ContactPointFactory(name="Children's front door", phone="0191 498 0101")
    ContactPointFactory(
        name="Emergency Duty Team", kind=Kind.OUT_OF_HOURS, audience=Audience.ANYONE, phone="0191 498 0404"
    )
    ContactPointFactory(
        name="A national helpline", kind=Kind.HELPLINE, audience=Audience.ANYONE, phone="07700 900123"
    )
    page = html(client.get("/get-help/"))
    assert tel_links(section(page, "out-of-hours")) == {"0191 498 0404": "tel:01914980404"}
    assert tel_links(section(page, "helplines")) == {"07700 900123": "tel:07700900123"}
    assert "0191 498 0404" not in tel_links(section(page, "child"))


def test_emergency_contact_points_are_shown_with_the_999_message(client):
    ContactPointFactory(name="Testborough Police", kind=Kind.EMERGENCY, audience=Audience.ANYONE, phone="999")
    emergency = section(html(client.get("/get-help/")), "emergency")
    assert "Testborough Police" in emergency


def test_with_no_contact_points_the_page_says_so_and_still_shows_999(client):
    page = html(client.get("/get-help/"))
    main = page.select_one("main")
    assert "has not added its contact details" in main.get_text()
    assert main.select_one('a[href="tel:999"]') is not None
    assert page.select_one("h2#child") is None


def test_a_missing_front_door_is_explained_in_its_section(client):
    ContactPointFactory(name="Adult Care Direct", audience=Audience.ADULTS)
    page = html(client.get("/get-help/"))
    assert "has not added the children's front door" in section(page, "child")
    assert "has not added" not in section(page, "adult")


def test_get_help_explains_who_can_report_and_what_an_adult_concern_needs(client):
    ContactPointFactory()
    page = html(client.get("/get-help/"))
    who = soup(section(page, "who-can-report")).get_text(" ", strip=True)
    assert "report anonymously" in who
    assert "professional" in who
    assert "your agency" in who
    adult = soup(section(page, "adult")).get_text(" ", strip=True)
    assert "reasonable cause to suspect" in adult
    assert "care and support" in adult
    assert "abuse or neglect" in adult
    assert "Tell someone you trust" in page.select_one("main").get_text()


def test_contact_descriptions_are_rendered_as_sanitised_markdown(client):
    ContactPointFactory(description="Ask for the **duty worker**.<script>alert(1)</script>")
    children = soup(section(html(client.get("/get-help/")), "child"))
    assert children.select_one("strong", string="duty worker") is not None
    assert children.select_one("script") is None
