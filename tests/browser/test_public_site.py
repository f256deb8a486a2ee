"""A person's walk through the public toolkit in a real Chromium, with and without JavaScript.

Every page visited is checked with axe-core (no violation of any impact, WCAG 2.2 AA and best
practice) and has one <h1>.
The content is the default content a fresh install serves: the Newcastle JSCR.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

REVIEW = "/reviews/newcastle-jscr-2018/"


@pytest.fixture
def default_content():
    call_command("load_default_content", verbosity=0)


@pytest.mark.usefixtures("default_content")
def test_walk_from_home_to_a_recommendation_and_the_briefing(page):
    page.goto("/")
    expect(page.locator("h1")).to_have_text(re.compile("safeguarding reviews", re.I))
    expect(page.get_by_role("link", name="999").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation").get_by_role("link", name="Reviews").click()
    expect(page).to_have_url(re.compile(r"/reviews/$"))
    assert_accessible(page)

    # Full-text search: a stemmed word from a recommendation's practice learning.
    page.get_by_label(re.compile("Search", re.I)).first.fill("perpetrator")
    page.get_by_role("button", name=re.compile("Search", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"q=perpetrator"))
    expect(page.get_by_role("link", name=re.compile("Research and guidance on the people"))).to_be_visible()
    assert_accessible(page)

    page.goto(REVIEW)
    expect(page.locator("h1")).to_contain_text("Joint Serious Case Review")
    expect(page.get_by_text("33 recommendations", exact=True)).to_be_visible()
    assert_accessible(page)

    # Filter the recommendations by theme: only N5 is about boys and young men.
    page.get_by_label("Boys and young men").check()
    page.get_by_role("button", name=re.compile("Apply filters", re.I)).click()
    expect(page).to_have_url(re.compile(r"theme=boys-and-young-men"))
    recommendation_links = page.locator("a[href*='/recommendations/']")
    expect(recommendation_links.filter(has_text="boys and men")).to_have_count(1)
    expect(recommendation_links.filter(has_text="Research and guidance")).to_have_count(0)
    assert_accessible(page)

    recommendation_links.filter(has_text="boys and men").first.click()
    expect(page).to_have_url(re.compile(r"/recommendations/N5/$"))
    expect(page.locator("h1")).to_contain_text("boys and men")
    expect(page.get_by_text("Progressed in full").first).to_be_visible()
    assert_accessible(page)

    page.goto(REVIEW + "briefing/")
    expect(page).to_have_title(re.compile("7-minute briefing"))
    question = "What happens to the support we give a young person when they turn 18?"
    expect(page.get_by_text(question)).to_be_visible()
    assert_accessible(page)

    pdf = page.request.get(REVIEW + "briefing.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.get_by_role("navigation").get_by_role("link", name="Get help").click()
    expect(page.locator("h1")).to_contain_text("Get help")
    expect(page.locator("a[href='tel:01912772500']").first).to_be_visible()
    expect(page.locator("a[href='tel:01912788377']").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.usefixtures("default_content")
def test_search_and_filters_work_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/reviews/")
    page.get_by_label(re.compile("Search", re.I)).first.fill("confidentiality")
    page.get_by_role("button", name=re.compile("Search", re.I)).first.click()
    result = page.get_by_role("link", name=re.compile("Confidentiality in sexual health services"))
    expect(result).to_be_visible()
    assert page.locator("h1").count() == 1

    page.goto(REVIEW)
    page.get_by_label("Adults", exact=True).check()
    page.get_by_role("button", name=re.compile("Apply filters", re.I)).click()
    expect(page).to_have_url(re.compile(r"audience=adults"))
    expect(page.locator("a[href*='/recommendations/N2/']").first).to_be_visible()
    assert page.locator("h1").count() == 1

    page.goto("/get-help/")
    expect(page.locator("a[href='tel:999']").first).to_be_visible()
    assert page.locator("h1").count() == 1


@pytest.mark.usefixtures("default_content")
@pytest.mark.parametrize("path", ["/", "/reviews/", REVIEW, REVIEW + "briefing/", "/get-help/"])
def test_no_content_security_policy_violations(page, path):
    """The strict CSP blocks nothing the page needs: no console error about a refused resource."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert not errors, errors
