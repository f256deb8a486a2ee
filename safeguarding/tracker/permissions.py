"""Who may see and do what in the tracker, as small functions that services and selectors call.

The rules (issue 3):
- Administrators, viewers, partnership managers and board members see every recommendation.
- Agency leads see every recommendation that has an action for their agency, and edit only their
  agency's actions and evidence.
- Partnership managers of a board a recommendation is addressed to create and assign its actions,
  accept or return its evidence, override a RAG status, and may record their board's sign-off.
- Board members record their own board's sign-off.
- Administrators may do what a partnership manager does, except sign off for a board.
- Viewers only read.

Views turn "cannot see" into 404 and "can see but may not do" into 403. A user's roles are read once
per request and kept on the user object, so checking many actions on one page costs no queries.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from safeguarding.accounts.models import Role
from safeguarding.core.user_memo import user_memo
from safeguarding.reviews.models import Recommendation

from .models import Action, Evidence


@dataclass(frozen=True)
class Roles:
    """The roles one user holds, reduced to what the tracker asks about."""

    administrator: bool = False
    viewer: bool = False
    manager_boards: frozenset[int] = frozenset()
    member_boards: frozenset[int] = frozenset()
    lead_agencies: frozenset[int] = frozenset()

    @property
    def any(self) -> bool:
        return bool(
            self.administrator
            or self.viewer
            or self.manager_boards
            or self.member_boards
            or self.lead_agencies
        )

    @property
    def sees_everything(self) -> bool:
        return bool(self.administrator or self.viewer or self.manager_boards or self.member_boards)


def user_roles(user: Any) -> Roles:
    """The user's roles as the tracker asks about them, worked out once per request (core/user_memo.py)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Roles()
    return user_memo(user, "tracker.roles", lambda: _roles(user.held_roles()))


def _roles(held: tuple[Role, ...]) -> Roles:
    def boards(kind: str) -> frozenset[int]:
        return frozenset(role.board_id for role in held if role.kind == kind and role.board_id)

    kinds = {role.kind for role in held}
    return Roles(
        administrator=Role.Kind.ADMINISTRATOR in kinds,
        viewer=Role.Kind.VIEWER in kinds,
        manager_boards=boards(Role.Kind.PARTNERSHIP_MANAGER),
        member_boards=boards(Role.Kind.BOARD_MEMBER),
        lead_agencies=frozenset(
            role.agency_id for role in held if role.kind == Role.Kind.AGENCY_LEAD and role.agency_id
        ),
    )


def addressed_board_ids(recommendation: Recommendation) -> frozenset[int]:
    """The boards that sign a recommendation off: its own list, or else the review's boards.

    Uses prefetched `boards` and `review__boards` when the caller fetched them.
    """
    own = frozenset(board.pk for board in recommendation.boards.all())
    return own or frozenset(board.pk for board in recommendation.review.boards.all())


def can_view_tracker(user: Any) -> bool:
    return user_roles(user).any


def recommendations_visible_to(user: Any) -> QuerySet[Recommendation]:
    roles = user_roles(user)
    if roles.sees_everything:
        return Recommendation.objects.all()
    if roles.lead_agencies:
        owned = Action.objects.filter(recommendation=OuterRef("pk"), owner_agency__in=roles.lead_agencies)
        return Recommendation.objects.filter(Exists(owned))
    return Recommendation.objects.none()


def actions_visible_to(user: Any) -> QuerySet[Action]:
    """Every action of every recommendation the user sees (agency leads read the others' actions too)."""
    roles = user_roles(user)
    if roles.sees_everything:
        return Action.objects.all()
    return Action.objects.filter(recommendation__in=recommendations_visible_to(user).values("pk"))


def evidence_visible_to(user: Any) -> QuerySet[Evidence]:
    roles = user_roles(user)
    if roles.sees_everything:
        return Evidence.objects.all()
    return Evidence.objects.filter(action__recommendation__in=recommendations_visible_to(user).values("pk"))


def _manages(roles: Roles, recommendation: Recommendation) -> bool:
    return roles.administrator or bool(roles.manager_boards & addressed_board_ids(recommendation))


def can_create_action(user: Any, recommendation: Recommendation) -> bool:
    """Partnership managers of a board the recommendation is addressed to, and administrators."""
    return _manages(user_roles(user), recommendation)


def can_assign_action(user: Any, action: Action) -> bool:
    """Moving an action to another agency is the partnership's decision, not the agency's."""
    return _manages(user_roles(user), action.recommendation)


def can_edit_action(user: Any, action: Action) -> bool:
    """The owner agency's leads, the partnership's managers for the recommendation, administrators."""
    roles = user_roles(user)
    return action.owner_agency_id in roles.lead_agencies or _manages(roles, action.recommendation)


def can_add_evidence(user: Any, action: Action) -> bool:
    return can_edit_action(user, action)


def can_override_rag(user: Any, action: Action) -> bool:
    return _manages(user_roles(user), action.recommendation)


def can_review_evidence(user: Any, evidence: Evidence) -> bool:
    return _manages(user_roles(user), evidence.action.recommendation)


def can_download_evidence(user: Any, evidence: Evidence) -> bool:
    """Whoever may see the action may read its evidence."""
    return evidence_visible_to(user).filter(pk=evidence.pk).exists()


def sign_off_board_ids(user: Any, recommendation: Recommendation) -> frozenset[int]:
    """The addressed boards this user may record a sign-off for: as a member, or as its manager."""
    roles = user_roles(user)
    return (roles.member_boards | roles.manager_boards) & addressed_board_ids(recommendation)


def can_sign_off(user: Any, recommendation: Recommendation, board: Any) -> bool:
    board_id = getattr(board, "pk", board)
    return board_id in sign_off_board_ids(user, recommendation)
