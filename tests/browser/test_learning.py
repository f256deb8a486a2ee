"""Learning across reviews in Chromium: the public recommendation page with similar recommendations
in other reviews, and the staff pages (similar pairs, filtered by review; themes and recurring
learning). axe-core checks every page visited.

LEARNING_SCREENSHOTS=/some/dir saves each page at 1280 and 375 pixels wide, to look at.
"""

import datetime
import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from safeguarding.learning import services
from safeguarding.reviews.models import Recommendation, Review
from safeguarding.tracker.models import Action
from tests.accounts.factories import UserFactory
from tests.browser.conftest import assert_accessible
from tests.browser.test_tracker_journey import sign_in
from tests.partnership.factories import AgencyFactory
from tests.tracker.factories import ActionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _screenshots(page: Page, name: str) -> None:
    folder = os.environ.get("LEARNING_SCREENSHOTS")
    if not folder:
        return
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def training_reviews():
    call_command("load_default_content", verbosity=0)  # the Newcastle review and the partnership
    services.sample_reviews_load()
    services.similarities_recompute()
    transition = Recommendation.objects.get(review__slug="training-testborough-joint-2024", reference="2")
    ActionFactory(
        recommendation=transition,
        owner_agency=AgencyFactory(name="Testborough Health Trust"),
        description="Start transition planning at 17 in every team",
        status=Action.Status.IN_PROGRESS,
        due_date=datetime.date.today() - datetime.timedelta(days=10),
    )
    board = Review.objects.get(slug="training-testborough-joint-2024").boards.first()
    return UserFactory(partnership_manager=board, username="mina.manager")


def test_similar_recommendations_public_and_staff(browser, live_server, page, training_reviews):
    # Public: a Newcastle recommendation, with a similar training recommendation labelled as such.
    page.goto("/reviews/newcastle-jscr-2018/recommendations/N4/")
    panel = page.locator("section[aria-labelledby=similar-recommendations]")
    expect(panel.get_by_role("heading", name="Similar recommendations in other reviews")).to_be_visible()
    expect(panel.get_by_role("link", name="Support victims who give evidence in court")).to_be_visible()
    expect(panel.get_by_text("Training example").first).to_be_visible()
    expect(panel).to_contain_text("out of 100")
    assert_accessible(page)
    _screenshots(page, "public-recommendation")

    # A training review's own page carries the training banner, and its panel.
    panel.get_by_role("link", name="Support victims who give evidence in court").click()
    expect(page).to_have_url(re.compile(r"/reviews/training-testborough-joint-2024/recommendations/3/$"))
    expect(page.get_by_role("region", name="Training material")).to_be_visible()
    expect(page.locator("#similar-recommendations")).to_be_visible()
    assert_accessible(page)

    staff = sign_in(browser, live_server, training_reviews)
    staff.goto("/staff/learning/")
    expect(staff.locator("h1")).to_have_text("Similar recommendations across reviews")
    expect(staff.locator("#pairs tbody tr").first).to_be_visible()
    assert_accessible(staff)
    _screenshots(staff, "staff-pairs")

    adult_r = "Training example: Testborough SAR, Adult R (2020)"
    staff.get_by_label("Review", exact=True).select_option(label=adult_r)
    staff.get_by_role("button", name="Show pairs").click()
    expect(staff).to_have_url(re.compile(r"review=\d+"))
    expect(staff.locator("#pairs caption")).to_contain_text(adult_r)
    assert_accessible(staff)

    staff.goto("/staff/learning/?review=nonsense")
    expect(staff.locator(".govuk-error-summary")).to_contain_text("Choose a review from the list")
    assert_accessible(staff)

    staff.get_by_role("link", name="Themes and recurring learning").click()
    expect(staff.locator("h1")).to_have_text("Themes and recurring learning")
    expect(staff.locator("#themes")).to_contain_text("Transition to adulthood")
    expect(staff.locator("#group-1")).to_contain_text("1 open action")
    expect(staff.locator("#group-1")).to_contain_text("1 overdue")
    assert_accessible(staff)
    _screenshots(staff, "staff-themes")
