"""Teams on the settings pages: made, renamed, members added and removed, a lead chosen; each change
audited with who made it and what it was before; bad input answered with a specific message."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.concerns.models import Team
from safeguarding.concerns.permissions import concerns_visible_to
from tests.accounts.factories import UserFactory
from tests.concerns.factories import ConcernFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _errors(response) -> list[str]:
    return [a.get_text(strip=True) for a in _page(response).select(".govuk-error-summary__list a")]


def _events(team) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type="concerns.team", target_id=str(team.pk)).order_by("sequence")
    )


def test_the_list_shows_each_team_with_its_lead_and_members(admin_client):
    lead = UserFactory(first_name="Lena", last_name="Lead")
    team = TeamFactory(name="Missing from home team", members=[lead, UserFactory()])
    Team.objects.filter(pk=team.pk).update(lead=lead)
    page = _page(admin_client.get(reverse("administration:team_list")))
    row = page.select_one(f"#team-{team.pk}").get_text(" ", strip=True)
    assert "Missing from home team" in row
    assert "Lena Lead" in row
    assert row.endswith("2")


def test_an_administrator_adds_a_team(admin_client, administrator):
    response = admin_client.post(
        reverse("administration:team_add"), {"name": "Missing from home team", "kind": "other"}
    )
    team = Team.objects.get(name="Missing from home team")
    assert response["Location"] == reverse("administration:team_detail", kwargs={"pk": team.pk})
    assert team.slug == "missing-from-home-team"
    (event,) = _events(team)
    assert event.kind == AuditEvent.Kind.CREATED
    assert event.actor_id == administrator.pk
    assert event.changes["name"] == [None, "Missing from home team"]


def test_renaming_a_team_keeps_its_address_and_records_the_change(admin_client):
    team = Team.objects.get(slug="exploitation")
    url = reverse("administration:team_edit", kwargs={"pk": team.pk})
    assert (
        admin_client.post(url, {"name": "Exploitation and missing team", "kind": "exploitation"}).status_code
        == 302
    )
    team.refresh_from_db()
    assert team.slug == "exploitation"
    assert _events(team)[-1].changes == {"name": ["Exploitation team", "Exploitation and missing team"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "kind": "other"}, "Enter the name of the team"),
        ({"name": "exploitation TEAM", "kind": "other"}, "A team with this name already exists"),
        ({"name": "New team", "kind": "army"}, "Select what kind of team it is"),
        ({"name": "New team"}, "Select what kind of team it is"),
    ],
)
def test_bad_teams_get_a_specific_message(admin_client, data, message):
    response = admin_client.post(reverse("administration:team_add"), data)
    assert response.status_code == 400
    assert message in _errors(response)


def test_adding_a_member_lets_them_see_the_teams_concerns_and_is_audited(admin_client, administrator):
    team = Team.objects.get(slug="exploitation")
    worker = UserFactory(triage_worker=True, first_name="Tia", last_name="Triage")
    concern = ConcernFactory(about="child", signs=["missing"])
    assert concern not in concerns_visible_to(worker)
    url = reverse("administration:team_member_add", kwargs={"pk": team.pk})
    form = _page(admin_client.get(url))
    assert "Tia Triage" in form.select_one("#f-user").get_text()
    assert admin_client.post(url, {"user": worker.pk}).status_code == 302
    assert concern in concerns_visible_to(worker)
    (event,) = _events(team)
    assert event.actor_id == administrator.pk
    assert event.changes == {"members": [None, worker.pk]}
    detail = _page(admin_client.get(reverse("administration:team_detail", kwargs={"pk": team.pk})))
    assert "Tia Triage" in detail.select_one("#members").get_text()


@pytest.mark.parametrize("bad", ["", "abc", "99999"])
def test_adding_nobody_or_a_stranger_gets_a_specific_message(admin_client, bad):
    team = Team.objects.get(slug="exploitation")
    response = admin_client.post(
        reverse("administration:team_member_add", kwargs={"pk": team.pk}), {"user": bad}
    )
    assert response.status_code == 400
    assert _errors(response)[0] in ("Select who to add to the team", "Select someone from the list")


def test_a_deactivated_account_or_a_member_cannot_be_added_again(admin_client):
    team = Team.objects.get(slug="exploitation")
    member = UserFactory()
    team.members.add(member)
    gone = UserFactory(is_active=False)
    url = reverse("administration:team_member_add", kwargs={"pk": team.pk})
    for user in (member, gone):
        response = admin_client.post(url, {"user": user.pk})
        assert response.status_code == 400
        assert _errors(response) == ["Select someone from the list"]


def test_the_lead_is_chosen_from_the_members_and_removing_them_clears_it(admin_client):
    team = Team.objects.get(slug="exploitation")
    lead, other = UserFactory(first_name="Lena"), UserFactory()
    team.members.add(lead, other)
    url = reverse("administration:team_lead", kwargs={"pk": team.pk})
    stranger = UserFactory()
    response = admin_client.post(url, {"lead": stranger.pk})
    assert response.status_code == 400
    assert _errors(response) == ["Select a member of the team, or no lead"]
    assert admin_client.post(url, {"lead": lead.pk}).status_code == 302
    team.refresh_from_db()
    assert team.lead == lead
    assert _events(team)[-1].changes == {"lead": [None, lead.pk]}

    remove = reverse("administration:team_member_remove", kwargs={"pk": team.pk, "user_pk": lead.pk})
    confirm = _page(admin_client.get(remove))
    assert "the team will have no lead" in confirm.get_text()
    assert admin_client.post(remove).status_code == 302
    team.refresh_from_db()
    assert team.lead is None
    assert not team.members.filter(pk=lead.pk).exists()
    assert _events(team)[-1].changes == {"members": [lead.pk, None], "lead": [lead.pk, None]}
    assert admin_client.post(url, {"lead": "none"}).status_code == 302


def test_removing_someone_who_is_not_a_member_is_not_found(admin_client):
    team = Team.objects.get(slug="exploitation")
    url = reverse("administration:team_member_remove", kwargs={"pk": team.pk, "user_pk": UserFactory().pk})
    assert admin_client.get(url).status_code == 404
