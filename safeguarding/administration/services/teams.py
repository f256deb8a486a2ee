"""Teams that receive concerns: made, renamed, their members added or removed, their lead chosen.

Teams are never deleted here: past routes name them. Membership is the only way to read concerns
(concerns.permissions), so every addition and removal is its own audit event, naming the member.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.audit.watch import audited_elsewhere
from safeguarding.concerns.models import Team

from ._audit import config_save
from ._slugs import slug_unused

TEAM_FIELDS = ["name", "slug", "kind", "lead"]


def _team_values(*, name: str, kind: str, team: Team | None = None) -> dict[str, Any]:
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the name of the team"
    elif Team.objects.filter(name__iexact=name).exclude(pk__in=[team.pk] if team else []).exists():
        errors["name"] = "A team with this name already exists"
    if kind not in Team.Kind.values:
        errors["kind"] = "Select what kind of team it is"
    if errors:
        raise ValidationError(errors)
    return {"name": name, "kind": kind}


def team_create(*, by: Any, name: str, kind: str) -> Team:
    values = _team_values(name=name, kind=kind)
    values["slug"] = slug_unused(Team, values["name"], fallback="team")
    team, _ = config_save(instance=Team(), values=values, fields=TEAM_FIELDS, by=by, noun="Team")
    return team


def team_update(*, team: Team, by: Any, name: str, kind: str) -> Team:
    """Rename a team or change its kind. Its address (slug) stays, so links to its queue keep working."""
    values = _team_values(name=name, kind=kind, team=team)
    team, _ = config_save(instance=team, values=values, fields=TEAM_FIELDS, by=by, noun="Team")
    return team


def _membership_event(*, team: Team, user: User, by: Any, verb: str, changes: dict[str, Any]) -> None:
    audit_record(
        kind=AuditEvent.Kind.UPDATED,
        actor=by,
        target=team,
        summary=f"{user.get_username()} {verb} team “{team.name}” in the settings pages",
        changes=changes,
        data={"member": user.pk},
    )


def team_member_add(*, team: Team, user: User, by: Any) -> Team:
    """Add `user` to the team: they see its queue, and every concern routed to it, from now on."""
    if not user.is_active:
        raise ValidationError({"user": "Select someone whose account is active"})
    if team.members.filter(pk=user.pk).exists():
        raise ValidationError({"user": f"{user} is already a member of this team"})
    with transaction.atomic(), audited_elsewhere():
        team.members.add(user)
        _membership_event(team=team, user=user, by=by, verb="added to", changes={"members": [None, user.pk]})
    return team


def team_member_remove(*, team: Team, user: User, by: Any) -> Team:
    """Take `user` off the team (and off its lead, if they led it). They no longer see its concerns."""
    with transaction.atomic(), audited_elsewhere():
        if not team.members.filter(pk=user.pk).exists():
            raise ValidationError(f"{user} is not a member of this team.")
        team.members.remove(user)
        changes: dict[str, Any] = {"members": [user.pk, None]}
        if team.lead_id == user.pk:
            team.lead = None
            team.save(update_fields=["lead"])
            changes["lead"] = [user.pk, None]
        _membership_event(team=team, user=user, by=by, verb="removed from", changes=changes)
    return team


def team_lead_set(*, team: Team, lead: User | None, by: Any) -> Team:
    """Make a member the team's lead, or leave the team without one."""
    if lead is not None and not team.members.filter(pk=lead.pk).exists():
        raise ValidationError({"lead": "Select a member of the team, or no lead"})
    team, _ = config_save(instance=team, values={"lead": lead}, fields=TEAM_FIELDS, by=by, noun="Team")
    return team
