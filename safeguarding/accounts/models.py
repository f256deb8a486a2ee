"""Staff users and the roles they hold.

A user belongs to one agency and holds any number of roles. Some roles are held for a board
(partnership manager, board member), one for an agency (agency lead). Who may do what is decided
from these roles in each domain's services (for example tracker/permissions.py), never in templates.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from safeguarding.core.user_memo import user_memo
from safeguarding.partnership.models import Agency, Board


class User(AbstractUser):
    """A member of staff. Signs in with a username and password, then a time-based one-time code."""

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    job_title = models.CharField(max_length=200, blank=True)

    # Set on request.user (only there) by django-otp's OTPMiddleware: whether this session passed
    # two-step verification. Declared here so that type checking knows about it.
    is_verified: Callable[[], bool]

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def held_roles(self) -> tuple["Role", ...]:
        """The roles this user holds, with their boards and agencies, read once per user object.

        `request.user` is made afresh for every request, so every permission check, menu item and the
        identity bar of one page share one query (core/user_memo.py). Saving or deleting a role whose
        `user` is this object forgets it (signals.py); anything else that changes roles calls
        `user_memo_forget`.
        """
        return user_memo(
            self,
            "accounts.roles",
            lambda: (
                tuple(Role.objects.filter(user=self).select_related("board", "agency")) if self.pk else ()
            ),
        )

    def has_role(self, *kinds: str) -> bool:
        """Whether this user holds a role of any of `kinds` (for any board or agency)."""
        return any(role.kind in kinds for role in self.held_roles())

    @property
    def can_administer(self) -> bool:
        """May use the settings pages (after two-step verification): a superuser, or an administrator.

        Access comes from the administrator role, not from Django's is_staff flag, so that giving or
        taking away the role is the one way to give or take it away (docs/decisions/0008, 0031). The
        Django admin is for superusers only.
        """
        return self.is_active and (self.is_superuser or self.has_role(Role.Kind.ADMINISTRATOR))


class Role(models.Model):
    """One role held by one user, for a board or an agency where the role needs one."""

    class Kind(models.TextChoices):
        PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
        BOARD_MEMBER = "board_member", "Board member"
        AGENCY_LEAD = "agency_lead", "Agency lead"
        VIEWER = "viewer", "Viewer"
        # Works concerns in the queues of the teams they belong to; sees nothing of the tracker.
        TRIAGE_WORKER = "triage_worker", "Triage worker"
        # Sees networks of linked concerns and the exploitation alerts; nothing of the tracker.
        EXPLOITATION_ANALYST = "exploitation_analyst", "Exploitation analyst"
        ADMINISTRATOR = "administrator", "Administrator"

    # The roles that need a board, and the one that needs an agency.
    BOARD_KINDS = frozenset({Kind.PARTNERSHIP_MANAGER, Kind.BOARD_MEMBER})
    AGENCY_KINDS = frozenset({Kind.AGENCY_LEAD})

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.PROTECT, related_name="roles")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="roles")

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "board", "agency"], name="role_unique"),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(board=None, agency=None),
                name="role_unique_without_scope",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind__in=["partnership_manager", "board_member"], board__isnull=False, agency=None
                    )
                    | models.Q(kind="agency_lead", agency__isnull=False, board=None)
                    | models.Q(
                        kind__in=["viewer", "administrator", "triage_worker", "exploitation_analyst"],
                        board=None,
                        agency=None,
                    )
                ),
                name="role_scope_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        scope = self.board or self.agency
        return f"{self.get_kind_display()}{f' ({scope})' if scope else ''}"

    def clean(self) -> None:
        if self.kind in self.BOARD_KINDS and (self.board_id is None or self.agency_id is not None):
            raise ValidationError("Choose the board this role is for, and no agency.")
        if self.kind in self.AGENCY_KINDS and (self.agency_id is None or self.board_id is not None):
            raise ValidationError("Choose the agency this role is for, and no board.")
        if self.kind not in self.BOARD_KINDS | self.AGENCY_KINDS and (self.board_id or self.agency_id):
            raise ValidationError("This role is not held for a board or an agency.")


class UserSession(models.Model):
    """A session a user signed in with, so that deactivating the user can end it at once.

    Written at sign-in, removed at sign-out. Rows for sessions that merely expired are harmless:
    deleting an expired session is a no-op, and `clearsessions` removes the sessions themselves.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "created_at"]

    def __str__(self) -> str:
        return f"Session of {self.user} from {self.created_at:%Y-%m-%d %H:%M}"


class AgencyApiToken(models.Model):
    """A secret an agency's system uses to send concerns to POST /api/v1/concerns/ (decision 0017).

    Only a keyed hash of the secret is kept; the secret is shown once, when the token is made. The
    short public prefix names the token in lists, logs and the audit trail without revealing it.
    Tokens are revoked, never deleted, so the record of what sent past concerns stays whole.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(
        max_length=200,
        help_text="The system that uses it, for example 'Police case management'. No personal names.",
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    # HMAC-SHA256 of the whole token under the blind index key (core.crypto.blind_index).
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["agency", "-created_at"]
        verbose_name = "agency API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
