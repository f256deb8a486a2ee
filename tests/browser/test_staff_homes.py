"""Each demo role signs in with two-step verification through the real sign-in form and lands on
their home at /staff/, with the counts the data gives; axe-core (with best-practice rules) finds no
violation on any home, at desktop and phone widths. Screenshots of each home at 1280 and 375 px go
to $SCREENSHOTS_DIR when it is set (to look at), else to the test's temporary directory.
"""

import datetime
import importlib
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safeguarding.accounts.models import User
from safeguarding.concerns.models import Concern
from safeguarding.concerns.services import concern_submit
from safeguarding.demo.services import demo_load
from safeguarding.linking.models import Alert
from safeguarding.tracker.models import Action
from safeguarding.workspace.selectors import board_sign_offs_waiting
from tests.accounts.factories import TOTPDeviceFactory
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = (Concern.Status.RECEIVED, Concern.Status.IN_TRIAGE)


@pytest.fixture
def demo():
    """The demo data, with three urgent adult concerns for the adult triage worker's team; the demo
    accounts' passwords, and an authenticator for each (demo accounts set theirs up at first sign-in)."""
    # Transactional tests empty the database after each test: the migrations' defaults come back first.
    migration = importlib.import_module("safeguarding.concerns.migrations.0002_default_teams_and_rules")
    migration.create_defaults(apps, None)
    result = demo_load()
    for number in range(3):
        concern_submit(
            answers={
                "immediate_danger": True,
                "about": "adult",
                "narrative": f"Training example (fictional): an adult at risk, number {number}.",
                "signs": [],
            },
            source="public",
            idempotency_key=f"staff-home-test-{number}",
        )
    passwords = {username: password for username, _, password in result.passwords}
    for username in passwords:
        TOTPDeviceFactory(user=User.objects.get(username=username))
    return passwords


def _screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sign_in(browser, live_server, username: str, password: str):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/staff/account/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/staff/account/two-step/"))
    device = TOTPDevice.objects.get(user__username=username)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Enter your security code").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Continue").click()
    return context, page


def _team_counts(user: User) -> dict[str, dict[str, int]]:
    """What each of the user's queues holds, counted here from the rows (not by the home's selector)."""
    now = timezone.now()
    end_of_today = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=1)
    counts = {}
    for team in user.concern_teams.all():
        queue = Concern.objects.filter(routes__team=team).exclude(status=Concern.Status.CLOSED)
        waiting = queue.filter(status__in=WAITING)
        counts[team.slug] = {
            "urgent": queue.filter(urgent=True).count(),
            "unassigned": queue.filter(assigned_to=None).count(),
            "due_today": waiting.filter(decision_due_at__gte=now, decision_due_at__lt=end_of_today).count(),
            "overdue": waiting.filter(decision_due_at__lt=now).count(),
        }
    return counts


# username: the headings of the sections their home shows.
HOMES = {
    "demo-admin": ["The partnership picture"],
    "demo-manager-children": ["The partnership picture"],
    "demo-manager-adults": ["The partnership picture"],
    "demo-member-children": ["Waiting for sign-off by Testborough Safeguarding Children Partnership"],
    "demo-member-adults": ["Waiting for sign-off by Testborough Safeguarding Adults Board"],
    "demo-lead-police": ["Actions due from Testborough Police"],
    "demo-lead-health": ["Actions due from Testborough Health Trust"],
    "demo-viewer": ["The partnership picture"],
    "demo-triage-adults": ["Adult social care: concerns"],
    "demo-analyst": ["Exploitation team: concerns", "Seeing the pattern"],
}


def test_each_demo_role_signs_in_and_lands_on_their_home_with_its_counts(
    browser, live_server, demo, tmp_path
):
    folder = _screenshots(tmp_path)
    assert set(HOMES) == set(demo)
    for username, headings in HOMES.items():
        user = User.objects.get(username=username)
        context, page = _sign_in(browser, live_server, username, demo[username])
        expect(page).to_have_url(re.compile(r"/staff/$"))
        expect(page.locator("h1")).to_have_text("Your work")
        found = [" ".join(text.split()) for text in page.locator("main h2").all_inner_texts()]
        # Table captions are not headings; team names come from the default data.
        assert [h for h in found if h in headings or h.endswith(": concerns")] == headings, (username, found)

        for slug, counts in _team_counts(user).items():
            for name, number in counts.items():
                shown = page.locator(f"[data-counts={slug}] [data-count={name}] a span").first.inner_text()
                assert shown == str(number), (username, slug, name, shown, number)
        if username == "demo-triage-adults":
            assert _team_counts(user)["adult-social-care"]["urgent"] == 3
            badge = page.locator("header nav .moj-notification-badge")
            expect(badge).to_have_text(re.compile(r"^3\s*waiting for a decision$"))
        if username.startswith("demo-lead-"):
            agency = user.roles.get().agency
            open_actions = Action.objects.filter(owner_agency=agency).exclude(status__in=list(Action.DONE))
            summary = page.locator("[data-count=actions]").inner_text()
            assert summary.startswith(f"{open_actions.count()} action"), summary
        if username.startswith("demo-member-"):
            # The demo review's and the training reviews' recommendations addressed to the board and
            # not yet signed off (tests/workspace checks the counting itself, on factories).
            board = user.roles.get().board
            waiting = board_sign_offs_waiting(board=board)
            expect(page.locator("[data-count=sign-offs]")).to_contain_text(
                f"{waiting.total} recommendations are not yet signed off"
            )
        if username == "demo-analyst":
            alerts = Alert.objects.filter(status=Alert.Status.NEW).count()
            expect(page.locator("[data-count=alerts]")).to_have_text(
                f"{alerts} open alert{'s' if alerts != 1 else ''}"
            )
        if username == "demo-admin":
            expect(page.locator("header nav").get_by_role("link", name="Settings")).to_be_visible()

        assert_accessible(page)
        page.screenshot(path=str(folder / f"{username}-1280.png"), full_page=True)
        if username == "demo-triage-adults":
            # From a count to the queue it counts; a page about concerns keeps the compact 999 message.
            page.locator("[data-counts=adult-social-care] [data-count=urgent] a").click()
            expect(page).to_have_url(re.compile(r"/staff/concerns/teams/adult-social-care/\?show=urgent$"))
            expect(page.get_by_role("region", name="Emergency")).to_contain_text("call 999")
            assert_accessible(page)
            page.screenshot(path=str(folder / f"{username}-queue-1280.png"), full_page=True)
            page.go_back()
        page.set_viewport_size({"width": 375, "height": 800})
        assert_accessible(page)
        page.screenshot(path=str(folder / f"{username}-375.png"), full_page=True)
        context.close()
