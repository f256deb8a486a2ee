"""Actions that implement a recommendation, the evidence for them, and the boards' sign-off.

RAG status is never stored as typed: it is computed (rag.py) from dates, status and evidence. Only an
override is stored, with the reason for it.
"""

import datetime

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.dateformat import format as date_format

from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import Recommendation, ReviewMilestone


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


# Done, as a list in one order, so that queries and the partial indexes below say it the same way.
DONE_STATUSES = ["complete", "impact_evidenced"]


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        IMPACT_EVIDENCED = "impact_evidenced", "Impact evidenced"

    DONE = frozenset({Status.COMPLETE, Status.IMPACT_EVIDENCED})

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_actions"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True, help_text="Set when the action is first done.")
    rag_override = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    rag_override_reason = models.TextField(blank=True)
    rag_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recommendation", "due_date", "id"]
        indexes = [
            models.Index(fields=["owner_agency", "status", "due_date"], name="action_agency_status_due"),
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            # Dashboards (decision 0032): the first open actions by due date (overdue, due soon), and
            # done actions by month, read from these partial indexes alone.
            models.Index(
                fields=["due_date", "id"],
                condition=~models.Q(status__in=DONE_STATUSES),
                name="action_open_due",
            ),
            models.Index(
                fields=["owner_agency", "due_date", "id"],
                condition=~models.Q(status__in=DONE_STATUSES),
                name="action_open_agency_due",
            ),
            models.Index(
                fields=["completed_on", "recommendation"],
                condition=models.Q(status__in=DONE_STATUSES),
                name="action_done_month",
            ),
            models.Index(
                fields=["owner_agency", "completed_on"],
                condition=models.Q(status__in=DONE_STATUSES),
                name="action_done_agency_month",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rag_override="") | ~models.Q(rag_override_reason=""),
                name="action_rag_override_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.status in self.DONE


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress_notes")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


def _private_storage() -> Storage:
    return storages["private"]


class Evidence(models.Model):
    """A file, link or note showing an action was done. Files are stored under a random name and
    served only to authorised staff, as an attachment."""

    class Kind(models.TextChoices):
        FILE = "file", "File"
        LINK = "link", "Link"
        NOTE = "note", "Note"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(storage=_private_storage, upload_to="evidence/", blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text="Checksum of the content (file bytes, link or note), set when added.",
    )
    url = models.URLField(blank=True)
    note = models.TextField(blank=True)
    effective_date = models.DateField(help_text="When the evidence applies, which may differ from upload.")
    supplied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supplied_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "-supplied_at", "-id"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["action", "state"], name="evidence_action_state")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="returned") | ~models.Q(return_reason=""),
                name="evidence_return_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SignOff(models.Model):
    """A board's decision, at a recorded meeting, that a recommendation has been progressed in full.

    It keeps a snapshot of what was approved and its hash. A material change afterwards reopens the
    recommendation: the sign-off is marked reopened, with what changed.
    """

    class Decision(models.TextChoices):
        PROGRESSED_IN_FULL = "progressed_in_full", "Progressed in full"
        NOT_YET = "not_yet", "Not yet progressed in full"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="sign_offs")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="sign_offs")
    meeting_date = models.DateField()
    minute_reference = models.CharField(max_length=100)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    notes = models.TextField(blank=True)
    # How much of meeting_date is known: a decision loaded from a review pack may give only the month.
    meeting_date_precision = models.CharField(
        max_length=5, choices=ReviewMilestone.Precision.choices, default=ReviewMilestone.Precision.DAY
    )
    # Nobody, for a decision loaded from the review pack (the boards' own minutes, before the toolkit).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    from_review_pack = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(default=dict)
    snapshot_hash = models.CharField(max_length=64)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["recommendation", "board", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["recommendation", "board", "reopened_at"], name="signoff_current")]

    def __str__(self) -> str:
        return f"{self.board.short_name}: {self.get_decision_display()} ({self.meeting_when})"

    @property
    def meeting_when(self) -> str:
        """The meeting's date as far as it is known: "1 November 2019", "November 2019" or "2019"."""
        formats = {"day": "j F Y", "month": "F Y", "year": "Y"}
        return date_format(self.meeting_date, formats.get(self.meeting_date_precision, "j F Y"))

    @property
    def is_current(self) -> bool:
        return self.reopened_at is None


class ReminderSent(models.Model):
    """One reminder e-mail about one action's due date: the unique constraint makes sending idempotent."""

    class Kind(models.TextChoices):
        DAYS_30 = "30_days", "30 days before"
        DAYS_7 = "7_days", "7 days before"
        DAYS_1 = "1_day", "1 day before"
        OVERDUE = "overdue", "Overdue"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_date = models.DateField(
        help_text="The due date the reminder was about; a new date gets new reminders."
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "due_date"], name="reminder_once_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for action {self.action_id}"


class TallyCounts(models.Model):
    """Counts of actions kept up to date by the tracker's services (aggregates.py), for dashboards.

    Some counts depend on the day (RAG of work not done, overdue, due soon): they are right for
    every day from `counted_on` to `fresh_until` (None: until something changes), and the scheduler
    counts again the rows whose `fresh_until` has passed.
    """

    actions = models.PositiveIntegerField(default=0)
    not_started = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)
    impact_evidenced = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)
    amber = models.PositiveIntegerField(default=0)
    green = models.PositiveIntegerField(default=0)
    rag_complete = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    due_soon = models.PositiveIntegerField(default=0)
    counted_on = models.DateField()
    fresh_until = models.DateField(null=True, blank=True)

    COUNTS = (
        "actions",
        "not_started",
        "in_progress",
        "complete",
        "impact_evidenced",
        "red",
        "amber",
        "green",
        "rag_complete",
        "overdue",
        "due_soon",
    )

    class Meta:
        abstract = True


class RecommendationTally(TallyCounts):
    """One recommendation's actions counted, and whether it is progressed in full."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    progressed = models.BooleanField(default=False)
    # Done actions by agency and month ({"<agency id>": {"YYYY-MM-01": n}}), and the boards addressed,
    # as counted: what MonthTally rows this recommendation contributed, to take away when it changes.
    months = models.JSONField(default=dict)
    boards = models.JSONField(default=list)
    # The recommendation's part in its boards' WeekTally rows, as counted (aggregates.week_changes):
    # {"actions": {"YYYY-MM-DD": [done, changes]}, "sign_offs": {"<board id>": {"YYYY-MM-DD":
    # [signed, changes]}}, "signed_now": [board ids]}. None: not counted yet (a release's rebuild).
    weeks = models.JSONField(null=True, default=None)

    class Meta:
        indexes = [models.Index(fields=["fresh_until"], name="tally_fresh_until")]

    def __str__(self) -> str:
        return f"Tally of recommendation {self.recommendation_id}"


class TallyBoard(models.Model):
    """A board a recommendation is addressed to (its own, or else its review's), kept with its tally so
    a board's dashboard finds its recommendations with one index."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "recommendation"], name="tally_board_once")]
        indexes = [models.Index(fields=["recommendation"], name="tally_board_recommendation")]

    def __str__(self) -> str:
        return f"Recommendation {self.recommendation_id} is addressed to board {self.board_id}"


class AgencyTally(TallyCounts):
    """One agency's actions on one recommendation, counted (for agency dashboards and agency leads)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="agency_tallies"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "recommendation"], name="agency_tally_once"),
        ]
        indexes = [models.Index(fields=["recommendation"], name="agency_tally_recommendation")]

    def __str__(self) -> str:
        return f"Tally of agency {self.agency_id} on recommendation {self.recommendation_id}"


class MonthTally(models.Model):
    """Actions done in each month, for the whole tracker ("all"), one board ("board:<id>") or one
    agency ("agency:<id>"): the dashboards' progress-over-time chart without reading actions.

    Kept by adding what changed (aggregates.py), from each recommendation's own months kept on its
    tally. Done actions with no completion date count under NO_DATE.
    """

    NO_DATE = datetime.date(1, 1, 1)

    scope = models.CharField(max_length=30)
    month = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "month"], name="month_tally_once")]

    def __str__(self) -> str:
        return f"{self.scope} {self.month:%Y-%m}: {self.n}"


class WeekTally(models.Model):
    """Per board and week (its Monday), what changed in the audit trail: actions made done (less those
    made not done) and recommendations the board signed off as progressed in full (less sign-offs
    reopened), with how many changes that took; the row at NOW holds how many of the board's
    recommendations it has signed off now. The board's 26-week progress line is today's figures less
    the weeks after each week, as `report_data.weekly_progress` works it from the audit trail.

    Kept by adding what changed (aggregates.py), from each recommendation's own weeks kept on its
    tally, as MonthTally is (decision 0032).
    """

    NOW = datetime.date(1, 1, 1)

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    actions_done = models.IntegerField(default=0)
    signed_off = models.IntegerField(default=0)
    changes = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "week"], name="week_tally_once")]

    def __str__(self) -> str:
        return f"Board {self.board_id}, week of {self.week:%Y-%m-%d}"
