"""The question pages: one question each, GOV.UK errors, branching, and change links from the check page."""

import pytest

from tests.concerns.report.conftest import answer, minimal_journey, post
from tests.conftest import html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/report/danger/", "Select yes if someone is in immediate danger now"),
        ("/report/about/", "Select who your concern is about"),
        ("/report/what-is-happening/", "Enter what is happening"),
        ("/report/about-you/", "Select whether you want to give your name"),
        ("/report/does-the-person-know/", "Select whether the person knows about this report"),
        ("/report/people/", "Select yes if you want to add a person"),
        ("/report/phones/add/", "Enter phone number"),
        ("/report/online-accounts/add/", "Enter username or account name"),
    ],
)
def test_a_missing_answer_shows_a_govuk_error(client, url, message):
    response = post(client, url, {})
    assert response.status_code == 200
    page = html(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one(".govuk-error-summary")
    assert message in summary.get_text()
    link = summary.select_one("a")["href"]
    assert page.select_one(link), f"the error summary links to {link}, which is not on the page"
    assert message in page.select_one(".govuk-error-message").get_text()


def test_each_question_page_has_one_h1_a_back_link_and_a_csrf_form(client):
    for url in ["/report/danger/", "/report/about/", "/report/signs/", "/report/people/add/"]:
        page = html(client.get(url))
        assert len(page.find_all("h1")) == 1, url
        assert page.select_one("a.govuk-back-link"), url
        assert page.select_one("form[method=post] input[name=csrfmiddlewaretoken]"), url


def test_too_long_an_answer_is_refused_with_the_limit(client):
    response = post(client, "/report/what-is-happening/", {"narrative": "x" * 20001})
    assert "What is happening must be 20,000 characters or fewer" in html(response).get_text()


def test_an_unknown_choice_is_an_error_not_a_crash(client):
    response = post(client, "/report/about/", {"about": "martian"})
    assert response.status_code == 200
    assert "Select who your concern is about" in html(response).select_one(".govuk-error-summary").get_text()


def test_yes_to_danger_shows_call_999_with_a_way_to_continue(client):
    answer(client, "/report/danger/", {"immediate_danger": "yes"}, "/report/call-999/")
    page = html(client.get("/report/call-999/"))
    assert page.h1.get_text() == "Call 999 now"
    carry_on = page.select_one("main a.govuk-button:not(.govuk-exit-this-page__button)")
    assert carry_on["href"] == "/report/about/"
    assert html(client.get("/report/about/")).select_one("a.govuk-back-link")["href"] == "/report/call-999/"


def test_a_child_report_skips_the_adult_questions(client):
    minimal_journey(client, about="child")
    answer(client, "/report/relationship/", {"relationship": "Aunt"}, "/report/check/")
    page = html(client.get("/report/check/"))
    assert "What the person knows and wants" not in page.get_text()


def test_an_adult_report_asks_what_the_person_knows_and_wants(client):
    minimal_journey(client, about="adult")
    answer(client, "/report/relationship/", {"relationship": "Friend"}, "/report/does-the-person-know/")
    answer(client, "/report/does-the-person-know/", {"adult_knows": "yes"}, "/report/what-they-want/")
    answer(client, "/report/what-they-want/", {"adult_wants": "To stay with her sister"}, "/report/check/")
    text = html(client.get("/report/check/")).get_text()
    assert "To stay with her sister" in text


def test_changing_to_a_child_forgets_the_adult_answers(client):
    minimal_journey(client, about="adult")
    answer(client, "/report/what-they-want/", {"adult_wants": "To move away"}, "/report/check/")
    answer(client, "/report/about/?return=check", {"about": "child"}, "/report/check/")
    answer(client, "/report/about/?return=check", {"about": "adult"}, "/report/check/")
    assert "To move away" not in html(client.get("/report/check/")).get_text()


def test_answers_are_shown_again_when_a_page_is_revisited(client):
    minimal_journey(client, narrative="A fictional account to see again.")
    page = html(client.get("/report/what-is-happening/"))
    assert page.select_one("textarea[name=narrative]").get_text() == "A fictional account to see again."
    assert page.select_one("input[name=about]") is None
    assert html(client.get("/report/about/")).select_one("input[value=child]").has_attr("checked")


def test_none_of_these_cannot_be_ticked_with_a_sign(client):
    response = post(client, "/report/signs/", {"signs": ["none", "missing"]})
    summary = html(response).select_one(".govuk-error-summary").get_text()
    assert "or select ‘None of these’" in summary  # noqa: RUF001
    answer(client, "/report/signs/", {"signs": ["none"]}, "/report/where-and-when/")
    assert html(client.get("/report/signs/")).select_one("input[value=none]").has_attr("checked")


def test_staying_anonymous_drops_a_name_typed_before(client):
    minimal_journey(client)
    answer(
        client, "/report/about-you/", {"anonymous": "yes", "name": "Ada Fictional"}, "/report/relationship/"
    )
    text = html(client.get("/report/check/")).get_text()
    assert "Ada Fictional" not in text
    assert "You want to stay anonymous" in text


def test_giving_your_name_needs_a_name(client):
    response = post(client, "/report/about-you/", {"anonymous": "no"})
    assert "Enter your name, or choose to stay anonymous" in html(response).get_text()


def test_change_links_on_the_check_page_come_back_to_it(client):
    minimal_journey(client)
    page = html(client.get("/report/check/"))
    links = [a["href"] for a in page.select(".govuk-summary-list__actions a")]
    assert "/report/what-is-happening/?return=check" in links
    back = html(client.get("/report/what-is-happening/?return=check")).select_one("a.govuk-back-link")
    assert back["href"] == "/report/check/"
    answer(
        client, "/report/what-is-happening/?return=check", {"narrative": "Changed account."}, "/report/check/"
    )
    assert "Changed account." in html(client.get("/report/check/")).get_text()


def test_the_check_page_sends_an_unfinished_report_back_to_the_missing_question(client):
    answer(client, "/report/danger/", {"immediate_danger": "no"}, "/report/about/")
    response = client.get("/report/check/")
    assert response.status_code == 302
    assert response["Location"] == "/report/about/"
