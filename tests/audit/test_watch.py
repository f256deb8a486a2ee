"""Changes to teams, memberships, routing rules, decision options, contact points and roles are
audited wherever they are made (issue 10, finding 5: an administrator added themself to adult social
care in the admin and read a concern, and nothing recorded the membership change)."""

import pytest

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_verify
from safeguarding.concerns.models import RoutingRule, Team
from tests.accounts.factories import UserFactory
from tests.partnership.factories import ContactPointFactory
from tests.staff import login_verified

pytestmark = pytest.mark.django_db


def _events(target) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk)).order_by(
            "sequence"
        )
    )


def test_a_superuser_adding_themself_to_a_team_in_the_admin_is_recorded_with_them_as_actor(client):
    administrator = UserFactory(is_superuser=True)
    team = Team.objects.get(slug="adult-social-care")
    login_verified(client, administrator)
    page = client.get(f"/staff/admin/concerns/team/{team.pk}/change/")
    token = page.context["csrf_token"]
    response = client.post(
        f"/staff/admin/concerns/team/{team.pk}/change/",
        {
            "csrfmiddlewaretoken": str(token),
            "name": team.name,
            "slug": team.slug,
            "kind": team.kind,
            "members": [str(administrator.pk)],
        },
    )
    assert response.status_code == 302
    added = [e for e in _events(team) if "members" in e.data]
    assert len(added) == 1
    assert added[0].data == {"members": {"added": [str(administrator.pk)]}}
    assert added[0].actor_id == administrator.pk


def test_repointing_a_routing_rule_is_recorded_with_before_and_after():
    rule = RoutingRule.objects.filter(team__slug="adult-social-care").first()
    police = Team.objects.create(name="Police safeguarding hub", slug="police-hub", kind="police")
    was = rule.team_id
    rule.team = police
    rule.save()
    changed = _events(rule)[-1]
    assert changed.kind == "updated"
    assert changed.changes == {"team": [was, police.pk]}
    assert changed.actor_id is None  # a command or shell: no signed-in user


def test_membership_changes_from_the_users_side_are_recorded_on_the_team():
    team = Team.objects.get(slug="children-front-door")
    user = UserFactory(triage_worker=True)
    user.concern_teams.add(team)
    user.concern_teams.clear()
    data = [e.data for e in _events(team) if "members" in e.data]
    assert data == [{"members": {"added": [str(user.pk)]}}, {"members": {"removed": [str(user.pk)]}}]


def test_contact_points_and_roles_are_recorded_and_the_chain_still_holds():
    point = ContactPointFactory(phone="0191 498 0111")
    point.phone = "0191 498 0112"
    point.save()
    point.delete()
    assert [e.kind for e in AuditEvent.objects.filter(target_type="partnership.contactpoint")] == [
        "created",
        "updated",
        "deleted",
    ]
    user = UserFactory(viewer=True)
    role = user.roles.get()
    role.delete()
    assert [e.kind for e in AuditEvent.objects.filter(target_type="accounts.role")] == ["created", "deleted"]
    assert audit_verify().ok
