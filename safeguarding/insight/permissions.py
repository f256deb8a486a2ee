"""Who may see concern statistics: partnership managers, board members and administrators see every
team; a team lead sees only the teams they lead; nobody else (403).

Statistics are counts, never a concern, so this is a role check and not the membership check of
concerns.permissions. "Team lead" is read from the concern team model: a `leads` many-to-many or a
`lead` foreign key to users, whichever the settings pages give teams (docs/decisions/0034).
"""

from typing import Any

from django.db.models import QuerySet

from safeguarding.accounts.models import Role
from safeguarding.concerns.models import Team
from safeguarding.core.user_memo import user_memo

WHOLE_PICTURE_ROLES = (Role.Kind.PARTNERSHIP_MANAGER, Role.Kind.BOARD_MEMBER, Role.Kind.ADMINISTRATOR)


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def sees_all_teams(user: Any) -> bool:
    return _active(user) and bool(user.has_role(*WHOLE_PICTURE_ROLES))


def teams_led_by(user: Any) -> QuerySet[Team]:
    if not _active(user):
        return Team.objects.none()
    names = {field.name for field in Team._meta.get_fields()}
    # By name, so this works whichever relation the team model has (and type-checks before it has one).
    for relation in ("leads", "lead"):
        if relation in names:
            return Team.objects.filter(**{relation: user}).order_by("name")
    return Team.objects.none()


def insight_teams_for(user: Any) -> QuerySet[Team] | None:
    """The teams whose statistics `user` may see: None for every team (and the whole picture), a
    queryset (perhaps empty) when they see only teams they lead."""
    if sees_all_teams(user):
        return None
    return teams_led_by(user)


def sees_insight(user: Any) -> bool:
    """Whether `user` may open the insight pages at all (the staff menu asks on every page)."""
    return user_memo(user, "insight.sees", lambda: _sees_insight(user)) if _active(user) else False


def _sees_insight(user: Any) -> bool:
    teams = insight_teams_for(user)
    return teams is None or teams.exists()
