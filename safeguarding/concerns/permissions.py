"""Who may see which concerns: members of the teams a concern was routed to, and nobody else.

Sharing a concern with another team (services.concern_share_with_team) adds a route to that team, so
the same rule lets its members in: there is one way in, not two.

Membership of a team (`Team.members`) is the only way in. Administrators manage users, teams and
routing rules, but do not read concerns unless they are members of a receiving team themselves; no
role (not even superuser) opens a concern on its own. Anything a user may not see is a 404, so a
stranger cannot learn that a concern or a team's queue exists.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from safeguarding.core.user_memo import user_memo

from .models import Concern, ConcernRoute, Team


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def teams_of(user: Any) -> QuerySet[Team]:
    """The teams `user` is a member of, by name."""
    if not _active(user):
        return Team.objects.none()
    return Team.objects.filter(members=user).order_by("name")


def user_teams(user: Any) -> list[Team]:
    """The teams `user` is a member of, by name, read once per request (core/user_memo.py): the menu,
    the home and other apps' permissions (linking's) all ask."""
    if not _active(user):
        return []
    return user_memo(user, "concerns.teams", lambda: list(teams_of(user)))


def concerns_visible_to(user: Any) -> QuerySet[Concern]:
    """The concerns routed to any team `user` is a member of."""
    if not _active(user):
        return Concern.objects.none()
    # A subquery rather than a join: a concern routed to two of the user's teams appears once.
    routed = ConcernRoute.objects.filter(team__members=user).values("concern_id")
    return Concern.objects.filter(pk__in=routed)


def team_for_user(*, user: Any, slug: str) -> Team:
    """The team with `slug`, if `user` is a member of it; otherwise Http404."""
    team = teams_of(user).filter(slug=slug).first()
    if team is None:
        raise Http404("No team found")
    return team


def concern_for_user(*, user: Any, pk: int) -> Concern:
    """The concern `pk` with everything about it, if `user` may see it; otherwise Http404.

    Reading the result decrypts its personal fields: the caller must record the view in the audit trail.
    """
    concern = (
        concerns_visible_to(user)
        .select_related("agency", "assigned_to")
        .prefetch_related(
            "decisions__option",
            "decisions__decided_by",
            "notes__author",
            "attachments__uploaded_by",
            "information_shares__agency",
            "routes__shared_by",
            "people",
            "vehicles",
            "phones",
            "places",
            "online_accounts",
            "additional_information",
            "routes__team",
            "routes__rule",
        )
        .filter(pk=pk)
        .first()
    )
    if concern is None:
        raise Http404("No concern found")
    return concern
