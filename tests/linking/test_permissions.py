"""Who sees networks, links and alerts: exploitation analysts and the exploitation team, nobody else
(404, as for concerns; anonymous and unverified users are sent to sign in). A triage worker sees on a
concern only that it is linked, and whom to ask, never another concern's reference or content."""

import pytest

from safeguarding.linking.permissions import sees_networks
from tests.accounts.factories import UserFactory
from tests.concerns.factories import TeamMemberFactory
from tests.conftest import html
from tests.linking.factories import AnalystFactory, ExploitationMemberFactory, linked_network
from tests.partnership.factories import AgencyFactory, BoardFactory
from tests.staff import login_unverified, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return linked_network()


def _urls(world) -> list[str]:
    return [
        "/staff/networks/",
        "/staff/networks/hotspots/",
        f"/staff/networks/{world.network.pk}/",
        f"/staff/networks/links/{world.link(0, 1).pk}/",
        "/staff/alerts/",
        f"/staff/alerts/{world.alert.pk}/",
    ]


ROLES = {
    "exploitation_analyst": lambda: AnalystFactory(),
    "exploitation_team_member": lambda: ExploitationMemberFactory(),
    "triage_worker_other_team": lambda: TeamMemberFactory(teams=["children-front-door"], triage_worker=True),
    "viewer": lambda: UserFactory(viewer=True),
    "administrator": lambda: UserFactory(administrator=True),
    "superuser": lambda: UserFactory(administrator=True, is_superuser=True),
    "partnership_manager": lambda: UserFactory(partnership_manager=BoardFactory()),
    "board_member": lambda: UserFactory(board_member=BoardFactory()),
    "agency_lead": lambda: UserFactory(agency_lead=AgencyFactory()),
}
ALLOWED = {"exploitation_analyst", "exploitation_team_member"}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_for_every_role(world, client, role):
    user = ROLES[role]()
    login_verified(client, user)
    expected = 200 if role in ALLOWED else 404
    assert sees_networks(user) is (role in ALLOWED)
    for url in _urls(world):
        assert client.get(url).status_code == expected, url
    # Nor can they change anything.
    if role not in ALLOWED:
        link = world.link(0, 1)
        client.post(f"/staff/networks/links/{link.pk}/", {"decision": "reject", "reason": "x"})
        link.refresh_from_db()
        assert link.status == "open"


def test_the_matrix_covers_every_linking_url(world):
    from safeguarding.linking.urls import urlpatterns

    assert len(_urls(world)) == len(urlpatterns)


def test_anonymous_and_unverified_users_are_sent_to_sign_in(world, client):
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 302
        assert "/staff/account/login/" in response["Location"]
    login_unverified(client, AnalystFactory())
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code == 302
        assert "/staff/account/two-step/" in response["Location"] or "login" in response["Location"]


def test_an_inactive_analyst_sees_nothing(world):
    analyst = AnalystFactory(is_active=False)
    assert not sees_networks(analyst)


def test_a_triage_worker_sees_only_that_the_concern_is_linked_and_whom_to_ask(world, client):
    colleague = ExploitationMemberFactory(first_name="Ezra", last_name="Pattern", email="ezra@example.org")
    worker = TeamMemberFactory(teams=["children-front-door"], triage_worker=True)
    login_verified(client, worker)
    latest = world.concerns[-1]
    page = html(client.get(f"/staff/concerns/{latest.pk}/"))
    panel = page.select_one("#linked")
    assert panel is not None
    assert panel.select_one("#linked-summary").get_text(strip=True) == (
        "4 earlier concerns may involve the same person; held by the exploitation team."
    )
    assert "Ezra Pattern" in panel.get_text()
    assert "ezra@example.org" in panel.get_text()
    text = page.get_text(" ", strip=True)
    # Nothing of the other concerns: not their references, people, vehicles or phones.
    for other in world.concerns[:-1]:
        assert other.reference not in text
    for value in ["Tia Fictional", "Skye Notreal", "KX19", "+447700900777"]:
        assert value not in text
    assert not page.select("a[href^='/staff/networks/']")  # no way in for a triage worker
    assert colleague


def test_an_analyst_on_the_triage_page_gets_a_link_to_the_network(world, client):
    member = ExploitationMemberFactory(teams=["children-front-door"])  # where the concerns went
    login_verified(client, member)
    page = html(client.get(f"/staff/concerns/{world.concerns[0].pk}/"))
    assert "4 later concerns may involve" in page.select_one("#linked-summary").get_text()
    assert page.select_one(f"#linked a[href='/staff/networks/{world.network.pk}/']")


def test_a_concern_linked_to_nothing_shows_no_panel(world, client):
    login_verified(client, ExploitationMemberFactory(teams=["children-front-door"]))
    response = client.get(f"/staff/concerns/{world.unrelated.pk}/")
    assert response.status_code == 200
    page = html(response)
    assert page.select_one("#linked") is None
