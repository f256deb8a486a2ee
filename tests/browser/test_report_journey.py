"""The report journey in a real Chromium: a whole report, exit this page (Shift 3 times), and without
JavaScript.

Every page visited with JavaScript on is checked with axe-core: no violation of any impact (WCAG 2.2
AA and best practice), and one <h1> (axe itself needs JavaScript, so the page without it is checked by
what it shows).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from safeguarding.concerns.models import Concern
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _continue(page) -> None:
    page.get_by_role("button", name=re.compile("^(Continue|Save and continue)$")).click()


def test_an_anonymous_adult_report_with_two_vehicles_and_a_phone(page):
    page.goto("/report/")
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()

    _continue(page)  # no answer: the error summary
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select yes if someone is in immediate danger")
    assert_accessible(page)
    page.get_by_label("No").check()
    _continue(page)

    page.get_by_label("An adult (18 or over)").check()
    assert_accessible(page)
    _continue(page)
    page.get_by_label("What is happening?").fill("A fictional account for a browser test.")
    assert_accessible(page)
    _continue(page)
    page.get_by_label("Picked up or dropped off in cars").check()
    assert_accessible(page)
    _continue(page)
    _continue(page)  # where and when: optional

    page.get_by_label("No").check()  # people
    _continue(page)
    assert_accessible(page)
    for registration in ["AB12 CDE", "XY34 FGH"]:
        page.get_by_label("Yes").check()
        _continue(page)
        page.get_by_label(re.compile("Registration number")).fill(registration)
        assert_accessible(page)
        _continue(page)
    expect(page.locator("h1")).to_have_text("You have added 2 vehicles")
    assert_accessible(page)
    page.get_by_label("No").check()
    _continue(page)
    page.get_by_label("Yes").check()  # phones
    _continue(page)
    page.get_by_label("Phone number").fill("07700 900123")
    _continue(page)
    page.get_by_label("No").check()
    _continue(page)
    for _ in range(2):  # places, online accounts
        page.get_by_label("No").check()
        _continue(page)
    page.get_by_label("No, I want to stay anonymous").check()
    assert_accessible(page)
    _continue(page)
    _continue(page)  # relationship: optional
    page.get_by_label("Not sure").check()
    assert_accessible(page)
    _continue(page)
    assert_accessible(page)
    _continue(page)

    expect(page.locator("h1")).to_have_text("Check your answers before sending your report")
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Report sent")
    assert_accessible(page)
    reference = page.locator(".govuk-panel__body strong").inner_text()
    code = page.locator("#receipt-code").inner_text()
    concern = Concern.objects.get(reference=reference)
    assert concern.reporter_anonymous
    assert concern.vehicles.count() == 2

    page.get_by_role("link", name=re.compile("add information to your report")).click()
    assert_accessible(page)
    page.get_by_label("Reference number").fill(reference)
    page.get_by_label("Receipt code").fill(code)
    page.get_by_label(re.compile("Information to add")).fill("A fictional further detail.")
    _continue(page)
    expect(page.locator("h1")).to_have_text("Information added")
    assert_accessible(page)

    # The code survives a reload and the page's own links, can be printed and saved, and not an Exit.
    page.goto("/report/confirmation/")
    expect(page.locator("#receipt-code")).to_have_text(code)
    page.reload()
    expect(page.locator("#receipt-code")).to_have_text(code)
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    with page.expect_download() as saved:
        page.get_by_role("button", name="Save as a text file").click()
    assert f"Receipt code: {code}" in Path(saved.value.path()).read_text(encoding="utf-8")
    with page.expect_response(re.compile(r"/report/exit/$")):
        page.locator(".govuk-exit-this-page__button").click()
    page.goto("/report/confirmation/")
    expect(page).to_have_url(re.compile(r"/report/$"))


def test_exit_this_page_with_javascript_leaves_and_forgets(page):
    page.goto("/report/danger/")
    page.get_by_label("No").check()
    _continue(page)
    assert_accessible(page)
    expect(page.locator(".govuk-exit-this-page__button")).to_be_visible()
    # Shift pressed 3 times follows the button's link. The weather site itself is never loaded
    # (the test has no network): the redirect to it is what is checked.
    with page.expect_response(re.compile(r"/report/exit/$")) as exit_response:
        for _ in range(3):
            page.keyboard.press("Shift")
    assert exit_response.value.status == 302
    assert exit_response.value.headers["location"] == "https://www.bbc.co.uk/weather"
    # A new tab of the same browser: the report in progress has gone with the session.
    other = page.context.new_page()
    other.goto("/report/check/")
    expect(other).to_have_url(re.compile(r"/report/danger/$"))


def test_without_javascript_the_questions_still_work(page_without_js):
    page = page_without_js
    page.goto("/report/danger/")
    page.get_by_label("No").check()
    _continue(page)
    expect(page).to_have_url(re.compile(r"/report/about/$"))
    page.goto("/report/about-you/")
    # The name and contact questions are on the page, whatever the answer chosen.
    expect(page.get_by_label("Your name")).to_be_visible()
    page.get_by_label("Yes, I will give my name").check()
    _continue(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your name")
    expect(page.locator(".govuk-exit-this-page__button")).to_have_attribute("href", "/report/exit/")


@pytest.mark.parametrize("start", ["/report/", "/refer/"])
def test_cookies_cleared_mid_journey_give_our_page_with_999_exit_and_a_way_back(page, start):
    """The site's own safety advice (clear your history) can clear the cookies mid-report."""
    page.goto(start)
    page.get_by_role("button", name="Start now").click()
    page.context.clear_cookies()
    page.locator("main form button.govuk-button").last.click()
    expect(page.locator("h1")).to_have_text("Your answers could not be kept")
    assert page.locator('a[href="tel:999"]').count() >= 1
    expect(page.locator("main .govuk-exit-this-page a")).to_have_text(re.compile("Exit this page"))
    assert_accessible(page)
    page.get_by_role("button", name="Start again").click()
    assert page.url.endswith(start)


# Pages whose answers cannot all fit a phone's first screen: Continue follows the last answer.
LONG_ANSWERS = {"signs", "about-you"}


def _bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_on_a_phone_each_question_and_its_first_answer_are_in_the_first_screen(browser, live_server):
    """Issue 11: on a 375 x 740 phone, "Start now" and, on every question page, the question and its
    first answer (and Continue, where the answers fit) show without scrolling."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/report/")
    assert _bottom(page.get_by_role("button", name="Start now")) <= 740
    page.get_by_role("button", name="Start now").click()
    seen = []
    while "/check/" not in page.url and len(seen) < 20:
        step = page.url.rstrip("/").rsplit("/", 1)[-1]
        seen.append(step)
        answers = page.locator("main form input:not([type=hidden]), main form textarea, main form select")
        continue_button = page.locator("main form button.govuk-button").last
        assert page.locator("h1").bounding_box()["y"] < 740, step
        assert _bottom(answers.first) <= 740, f"{step}: the first answer is below the first screen"
        if step in LONG_ANSWERS:
            last_answer = _bottom(answers.last)
            assert continue_button.bounding_box()["y"] - last_answer < 150, f"{step}: Continue is far below"
        else:
            assert _bottom(continue_button) <= 740, f"{step}: Continue is below the first screen"
        if page.locator("main input[type=radio]").count():
            no = page.get_by_label("No", exact=True)
            (no.first if no.count() else page.locator("main input[type=radio]").first).check()
        textarea = page.locator("main textarea")
        if textarea.count() and not textarea.first.input_value():
            textarea.first.fill("A fictional account for a browser test.")
        continue_button.click()
    assert {"danger", "about", "signs", "people", "about-you"} <= set(seen)
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_add_another_on_the_referral_form_lands_on_the_new_row_focused(browser, live_server, javascript):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto("/refer/referral/")
    page.get_by_role("button", name="Add another vehicle").click()
    new_row = page.locator("fieldset#vehicles-1")
    expect(new_row).to_be_in_viewport()
    expect(page.locator("#vehicles-1-registration")).to_be_focused()
    context.close()
