"""Concern statistics kept apart from concerns: one fact row per concern, and rollups of the facts.

Nothing here is personal: a fact holds codes, flags, dates and durations read from the plain columns of
a concern (never an encrypted field), and the rollups hold only counts. Pages read the rollups, a few
thousand rows at most, never the concerns (docs/decisions/0034).
"""

from django.db import models
from django.utils import timezone

# Time to decision and to first action is kept in fixed buckets, by upper bound in minutes; the last
# bucket is open-ended. Medians and 90th percentiles are read from these buckets, so they are bucketed.
BUCKET_UPPER_MINUTES = (60, 240, 480, 1440, 2880, 4320, 7200, 10080, 20160)
BUCKET_LABELS = (
    "1 hour or less",
    "1 to 4 hours",
    "4 to 8 hours",
    "8 to 24 hours",
    "1 to 2 days",
    "2 to 3 days",
    "3 to 5 days",
    "5 to 7 days",
    "7 to 14 days",
    "More than 14 days",
)
BUCKETS = len(BUCKET_LABELS)


class Route(models.TextChoices):
    RULE = "rule", "Routed by a rule"
    SAFETY_NET = "safety_net", "Sent to the front doors (no rule matched)"
    NONE = "none", "Not routed"


class Grain(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"


class ConcernFact(models.Model):
    """What statistics need to know about one concern. `concern_id` is not a foreign key on purpose:
    when a concern is deleted at the end of its retention period, its fact is still here to say which
    day's rollups to take it out of."""

    concern_id = models.BigIntegerField(primary_key=True)
    received_at = models.DateTimeField()
    received_on = models.DateField(db_index=True, help_text="The day received, local time.")
    source = models.CharField(max_length=20)
    about = models.CharField(max_length=10)
    signs = models.BooleanField(help_text="Any sign of exploitation ticked.")
    urgent = models.BooleanField()
    route = models.CharField(max_length=12, choices=Route.choices)
    # The current (latest) decision's option code; empty while undecided.
    decision = models.CharField(max_length=50, blank=True)
    # No decision yet and not closed: waiting in a queue.
    waiting = models.BooleanField()
    due_at = models.DateTimeField(null=True, blank=True)
    # The first decision: time to decision and the clock are measured to it.
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_minutes = models.PositiveIntegerField(null=True, blank=True)
    decision_bucket = models.PositiveSmallIntegerField(null=True, blank=True)
    within_clock = models.BooleanField(null=True, blank=True)
    # The first thing staff did: assigned it, added a note, decided, or recorded an information share.
    first_action_at = models.DateTimeField(null=True, blank=True)
    first_action_minutes = models.PositiveIntegerField(null=True, blank=True)
    first_action_bucket = models.PositiveSmallIntegerField(null=True, blank=True)
    # A person at risk in this concern was already in an earlier one (docs/decisions/0034).
    repeat = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Facts of concern {self.concern_id}"


class ConcernFactTeam(models.Model):
    """A team a concern was routed or shared to (ids only)."""

    concern_id = models.BigIntegerField(db_index=True)
    team_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern_id", "team_id"], name="insight_fact_team_once")
        ]

    def __str__(self) -> str:
        return f"Concern {self.concern_id} in team {self.team_id}"


class ConcernFactShare(models.Model):
    """An information share recorded on a concern: the day it was made and its lawful basis only."""

    concern_id = models.BigIntegerField(db_index=True)
    shared_on = models.DateField()
    lawful_basis = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"Share on concern {self.concern_id}"


class ConcernRollup(models.Model):
    """Counts of concerns received in a day, week or month, for one combination of what they were.

    `team_id` 0 counts every concern once whatever its teams; other rows count a team's concerns, so a
    concern routed to two teams is in both teams' rows and once in the row for all teams.
    """

    grain = models.CharField(max_length=5, choices=Grain.choices)
    period_start = models.DateField()
    team_id = models.BigIntegerField(default=0)
    source = models.CharField(max_length=20)
    about = models.CharField(max_length=10)
    signs = models.BooleanField()
    decision = models.CharField(max_length=50, blank=True)
    route = models.CharField(max_length=12)
    # Rows at three levels of detail, so a page reads the fewest rows its filters allow: 0, every
    # combination; 1, by source, about and signs only (decision and route blank); 2, one total row
    # per period and team (every other dimension blank).
    level = models.PositiveSmallIntegerField(default=0)

    received = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    within_clock = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    urgent = models.PositiveIntegerField(default=0)
    urgent_actioned = models.PositiveIntegerField(default=0)
    repeats = models.PositiveIntegerField(default=0)
    # Concerns decided, by bucket of time to decision.
    d0 = models.PositiveIntegerField(default=0)
    d1 = models.PositiveIntegerField(default=0)
    d2 = models.PositiveIntegerField(default=0)
    d3 = models.PositiveIntegerField(default=0)
    d4 = models.PositiveIntegerField(default=0)
    d5 = models.PositiveIntegerField(default=0)
    d6 = models.PositiveIntegerField(default=0)
    d7 = models.PositiveIntegerField(default=0)
    d8 = models.PositiveIntegerField(default=0)
    d9 = models.PositiveIntegerField(default=0)
    # Urgent concerns acted on, by bucket of time to first action.
    a0 = models.PositiveIntegerField(default=0)
    a1 = models.PositiveIntegerField(default=0)
    a2 = models.PositiveIntegerField(default=0)
    a3 = models.PositiveIntegerField(default=0)
    a4 = models.PositiveIntegerField(default=0)
    a5 = models.PositiveIntegerField(default=0)
    a6 = models.PositiveIntegerField(default=0)
    a7 = models.PositiveIntegerField(default=0)
    a8 = models.PositiveIntegerField(default=0)
    a9 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grain",
                    "period_start",
                    "team_id",
                    "source",
                    "about",
                    "signs",
                    "decision",
                    "route",
                    "level",
                ],
                name="insight_rollup_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["grain", "team_id", "level", "period_start"], name="insight_rollup_period_idx"
            ),
            # Open queue age reads only the days that still have concerns waiting.
            models.Index(
                fields=["team_id", "period_start"],
                condition=models.Q(grain="day", waiting__gt=0),
                name="insight_rollup_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.period_start} team {self.team_id}"


class ShareRollup(models.Model):
    """Information shares recorded, by the day, week or month shared and lawful basis, for one
    combination of what their concerns were."""

    grain = models.CharField(max_length=5, choices=Grain.choices)
    period_start = models.DateField()
    team_id = models.BigIntegerField(default=0)
    source = models.CharField(max_length=20)
    about = models.CharField(max_length=10)
    signs = models.BooleanField()
    decision = models.CharField(max_length=50, blank=True)
    route = models.CharField(max_length=12)
    lawful_basis = models.CharField(max_length=20)
    shares = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grain",
                    "period_start",
                    "team_id",
                    "source",
                    "about",
                    "signs",
                    "decision",
                    "route",
                    "lawful_basis",
                ],
                name="insight_share_rollup_once",
            )
        ]
        indexes = [models.Index(fields=["grain", "team_id", "period_start"], name="insight_share_period_idx")]

    def __str__(self) -> str:
        return f"Shares {self.grain} {self.period_start} team {self.team_id}"
