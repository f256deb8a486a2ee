"""The staff menu and the staff layout: each role sees only the sections it can use, with counts, and
none of the public site's menu or banners."""

import pytest
from django.urls import reverse

from safeguarding.concerns.models import Concern, Team
from safeguarding.core import staff_menu
from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_for, staff_menu_register
from safeguarding.linking.models import Alert
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernRouteFactory, ConcernRowFactory, TeamFactory, TeamMemberFactory
from tests.conftest import html
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.staff import login_unverified, login_verified

pytestmark = pytest.mark.django_db


def _menu(user) -> dict[str, int | None]:
    return {entry.label: entry.count for entry in staff_menu_for(user)}


def _text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


@pytest.fixture
def team():
    team = TeamFactory(name="Testborough Front Door", slug="front-door")
    for status in (
        Concern.Status.RECEIVED,
        Concern.Status.IN_TRIAGE,
        Concern.Status.DECIDED,
        Concern.Status.CLOSED,
    ):
        ConcernRouteFactory(concern=ConcernRowFactory(status=status), team=team)
    # Shared with a second team of the same worker: counted once.
    shared = ConcernRowFactory()
    ConcernRouteFactory(concern=shared, team=team)
    ConcernRouteFactory(concern=shared, team=TeamFactory(slug="second"))
    return team


def test_a_triage_worker_sees_home_and_concerns_with_the_number_waiting_for_a_decision(team):
    worker = TeamMemberFactory(triage_worker=True, teams=[team, "second"])
    assert _menu(worker) == {"Home": None, "Concerns": 3}
    concerns = next(entry for entry in staff_menu_for(worker) if entry.label == "Concerns")
    assert concerns.url == "/staff/concerns/"
    assert concerns.count_label == "waiting for a decision"


def test_nobody_outside_a_team_sees_concerns():
    # The queue would only say "You are not a member of any team".
    assert "Concerns" not in _menu(UserFactory(triage_worker=True))
    assert "Concerns" not in _menu(UserFactory(administrator=True))


def test_the_tracker_roles_see_dashboards_and_recommendations():
    board, agency = BoardFactory(), AgencyFactory()
    for user in [
        UserFactory(viewer=True),
        UserFactory(partnership_manager=board),
        UserFactory(board_member=board),
        UserFactory(agency_lead=agency),
        UserFactory(administrator=True),
    ]:
        assert list(_menu(user))[:3] == ["Home", "Dashboards", "Recommendations"]
    assert "Settings" in _menu(UserFactory(administrator=True))
    assert "Settings" not in _menu(UserFactory(partnership_manager=board))
    # The Django admin is a superuser's fallback (decision 0031), last in the menu.
    assert "Django admin" not in _menu(UserFactory(administrator=True))
    assert list(_menu(UserFactory(administrator=True, is_superuser=True)))[-1] == "Django admin"
    assert reverse("tracker:dashboard") == "/staff/dashboards/"


def test_analysts_and_the_exploitation_team_see_networks_and_alerts_with_open_alerts_counted():
    from tests.linking.factories import AnalystFactory, linked_network

    linked_network()
    open_alerts = Alert.objects.filter(status=Alert.Status.NEW).count()
    assert _menu(AnalystFactory()) == {"Home": None, "Networks": None, "Alerts": open_alerts}
    exploitation = Team.objects.filter(kind=Team.Kind.EXPLOITATION).first() or TeamFactory(
        kind=Team.Kind.EXPLOITATION
    )
    member = TeamMemberFactory(triage_worker=True, teams=[exploitation])
    assert list(_menu(member)) == ["Home", "Concerns", "Networks", "Alerts"]
    assert "Networks" not in _menu(UserFactory(triage_worker=True))


def test_sections_come_in_order_and_a_hidden_or_missing_one_is_left_out(monkeypatch):
    monkeypatch.setattr(staff_menu, "_items", {})
    staff_menu_register(StaffMenuItem("Later", "tracker:recommendation_list", 50, visible=lambda user: True))
    staff_menu_register(StaffMenuItem("First", "workspace:home", 0, visible=lambda user: True))
    staff_menu_register(StaffMenuItem("Hidden", "tracker:dashboard", 10, visible=lambda user: False))
    staff_menu_register(StaffMenuItem("Nowhere", "no-such:page", 20, visible=lambda user: True))
    assert [entry.label for entry in staff_menu_for(UserFactory(viewer=True))] == ["First", "Later"]
    assert staff_menu_for(None) == []


# --- The layout --------------------------------------------------------------------------------------


def test_staff_pages_have_their_own_navigation_with_counts_and_no_public_banners(client, team):
    worker = TeamMemberFactory(triage_worker=True, teams=[team], first_name="Tess", last_name="Triage")
    page = html(login_verified(client, worker).get("/staff/"))
    nav = page.select_one("header nav[aria-label=Staff]")
    links = {
        a.find(string=True, recursive=True).strip(): a for a in nav.select("a.govuk-service-navigation__link")
    }
    assert list(links) == ["Home", "Concerns"]
    assert links["Home"]["aria-current"] == "page"
    assert links["Home"].select_one("strong")  # the mark is not colour alone
    badge = links["Concerns"].select_one(".moj-notification-badge")
    assert _text(badge) == "3 waiting for a decision"
    assert _text(badge.select_one(".govuk-visually-hidden")) == "waiting for a decision"
    # None of the public site's menu, phase banner or 999 banner.
    assert page.select_one(".govuk-phase-banner") is None
    assert page.select_one("header").find("a", string="Get help") is None
    assert page.select_one("header").find("a", string="Reviews") is None
    assert page.select_one("[aria-label=Emergency]") is None
    # MoJ's identity bar: who, as what, and Sign out.
    bar = page.select_one("header .moj-identity-bar")
    assert "Signed in as Tess Triage" in _text(bar)
    assert "Triage worker" in _text(bar)
    assert (
        bar.select_one("form[method=post][action='/staff/account/logout/'] button").get_text(strip=True)
        == "Sign out"
    )
    assert len(page.select("h1")) == 1


def test_concern_pages_keep_a_compact_999_message_and_mark_their_section(client, team):
    worker = TeamMemberFactory(triage_worker=True, teams=[team])
    page = html(login_verified(client, worker).get("/staff/concerns/teams/front-door/"))
    emergency = page.select_one("[role=region][aria-label=Emergency]")
    assert "If someone is in immediate danger, call 999" in _text(emergency)
    assert emergency.select_one("a[href='tel:999']")
    current = page.select_one("header nav[aria-label=Staff] a[aria-current]")
    assert current["aria-current"] == "true"
    assert current["href"] == "/staff/concerns/"


def test_tracker_pages_have_no_999_message(client):
    page = html(login_verified(client, UserFactory(viewer=True)).get("/staff/dashboards/"))
    assert page.select_one("[aria-label=Emergency]") is None
    current = page.select_one("header nav[aria-label=Staff] a[aria-current]")
    assert (current["href"], current["aria-current"]) == ("/staff/dashboards/", "page")


def test_before_two_step_verification_there_is_no_menu_and_no_count(client, team):
    worker = TeamMemberFactory(triage_worker=True, teams=[team])
    page = html(login_unverified(client, worker).get("/staff/account/two-step/"))
    assert page.select_one("nav[aria-label=Staff]") is None
    assert page.select_one(".moj-notification-badge") is None
    assert page.select_one(".govuk-phase-banner") is None
