"""Safeguarding concerns: what was reported, about whom, and which teams it was routed to.

Everything a person typed about people is special-category personal data and is stored encrypted
(`EncryptedTextField`, docs/decisions/0012). Plain columns hold only codes, flags, dates and keys:
what is needed to route, queue and keep the concern, never what it says. Identifiers that later
linking needs to match (vehicle registrations, phone numbers) also carry a keyed blind index.
"""

from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone

from safeguarding.core.crypto import EncryptedTextField
from safeguarding.partnership.models import Agency


class About(models.TextChoices):
    CHILD = "child", "A child or young person (under 18)"
    ADULT = "adult", "An adult (18 or over)"
    NOT_SURE = "not_sure", "Not sure"


class Sign(models.TextChoices):
    """The checklist of signs of exploitation a reporter may tick. Codes are stored; labels shown."""

    MISSING = "missing", "Going missing from home, care or school"
    OLDER_ASSOCIATES = "older_associates", "Spending time with older people, or a much older partner"
    GIFTS_MONEY = "gifts_money", "Unexplained money, phones, clothes or gifts"
    VEHICLES = "vehicles", "Picked up or dropped off in cars by people others do not know"
    ALCOHOL_DRUGS = "alcohol_drugs", "Being given alcohol or drugs"
    TAKEN_TO_ADDRESSES = "taken_to_addresses", "Taken to hotels, flats or houses that are not theirs"
    SECRET_CONTACT = "secret_contact", "Secretive contact online or by phone, or more than one phone"
    SEXUAL_IMAGES = "sexual_images", "Asked for, or sent, sexual images"
    INJURIES = "injuries", "Unexplained injuries, or signs of sexual harm"
    CHANGED_BEHAVIOUR = "changed_behaviour", "Sudden changes in mood, behaviour or friends"
    MISSING_EDUCATION = "missing_education", "Missing school, college or work"
    CONTROLLED = "controlled", "Seems frightened of, or controlled by, someone"
    DEBT = "debt", "Owes money or favours to someone"
    CARRYING_DRUGS = "carrying_drugs", "Carrying or selling drugs for someone else"


class Team(models.Model):
    """A team that receives concerns: a front door, adult social care, the exploitation team..."""

    class Kind(models.TextChoices):
        CHILDREN_FRONT_DOOR = "children_front_door", "Children's front door"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        EXPLOITATION = "exploitation", "Exploitation team"
        POLICE = "police", "Police"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="concern_teams")
    # The member who leads the team (set on the settings pages); always one of `members`.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="teams_led"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Concern(models.Model):
    class Source(models.TextChoices):
        PUBLIC = "public", "Member of the public"
        PROFESSIONAL = "professional", "Professional referral"
        API = "api", "Agency system"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_TRIAGE = "in_triage", "In triage"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"

    class Knows(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SURE = "not_sure", "Not sure"

    class Consent(models.TextChoices):
        GIVEN = "given", "The person has agreed to the referral"
        NOT_GIVEN = "not_given", "Shared without consent, on a lawful basis"
        NOT_ASKED = "not_asked", "Not asked, on a lawful basis"

    class LawfulBasis(models.TextChoices):
        CONSENT = "consent", "Consent"
        VITAL_INTERESTS = "vital_interests", "To protect someone's life (vital interests)"
        PUBLIC_TASK = "public_task", "Statutory safeguarding duty (public task)"
        LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
        SAFEGUARDING = "safeguarding", "Safeguarding of children or individuals at risk"

    reference = models.CharField(max_length=30, unique=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    about = models.CharField(max_length=10, choices=About.choices)
    immediate_danger = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # When the statutory clock runs out (clocks.py); set by concern_clock_set as the concern is made.
    decision_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    narrative = EncryptedTextField()
    signs = models.JSONField(default=list, blank=True, help_text="Codes from the signs checklist.")
    # Whether any sign was ticked: a plain flag, so the queue can filter on it with an index.
    has_signs = models.BooleanField(default=False, editable=False)
    where_and_when = EncryptedTextField(blank=True, default="")

    reporter_anonymous = models.BooleanField(default=False)
    reporter_name = EncryptedTextField(blank=True, default="")
    reporter_contact = EncryptedTextField(blank=True, default="")
    reporter_relationship = EncryptedTextField(blank=True, default="")

    # For adults (Making Safeguarding Personal): does the person know, and what do they want?
    adult_knows = models.CharField(max_length=10, choices=Knows.choices, blank=True)
    adult_wants = EncryptedTextField(blank=True, default="")

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    professional_role = EncryptedTextField(blank=True, default="")
    existing_involvement = EncryptedTextField(blank=True, default="")
    consent = models.CharField(max_length=20, choices=Consent.choices, blank=True)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices, blank=True)
    lawful_basis_detail = EncryptedTextField(blank=True, default="")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # HMAC-SHA256 of the receipt code under the blind index key; the code itself is never stored.
    receipt_code_hash = models.CharField(max_length=64, editable=False)
    idempotency_key = models.CharField(max_length=100, unique=True, editable=False)

    # Triage (services/triage.py): who is working on it, and how long it is kept (docs/decisions/0015).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    # Why, who and when are in LegalHoldChange, one row for each time a hold was placed or lifted.
    legal_hold = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "urgent", "received_at"], name="concern_queue_idx"),
            # The triage queue (selectors.triage_queue): open concerns, urgent first, then by deadline.
            models.Index(
                fields=["urgent", "decision_due_at", "id"],
                condition=~models.Q(status="closed"),
                name="concern_triage_idx",
            ),
            # The queue's filters (docs/decisions/0030): each an ordered range scan in queue order,
            # so a page stops reading after its 51st row however many concerns there are.
            models.Index(
                fields=["assigned_to", "urgent", "decision_due_at", "id"],
                condition=~models.Q(status="closed") & models.Q(assigned_to__isnull=False),
                name="concern_triage_assigned_idx",
            ),
            # Not assigned: the triage inbox. Its own small index, because the oldest open concerns
            # are mostly assigned, so reading the whole queue in order to find these would be slow.
            models.Index(
                fields=["urgent", "decision_due_at", "id"],
                condition=~models.Q(status="closed") & models.Q(assigned_to__isnull=True),
                name="concern_triage_unassigned_idx",
            ),
            models.Index(
                fields=["urgent", "decision_due_at", "id"],
                condition=~models.Q(status="closed") & models.Q(immediate_danger=True),
                name="concern_triage_danger_idx",
            ),
            models.Index(
                fields=["urgent", "decision_due_at", "id"],
                condition=~models.Q(status="closed") & models.Q(has_signs=True),
                name="concern_triage_signs_idx",
            ),
            models.Index(
                fields=["source", "urgent", "decision_due_at", "id"],
                condition=~models.Q(status="closed"),
                name="concern_triage_source_idx",
            ),
            models.Index(
                fields=["about", "urgent", "decision_due_at", "id"],
                condition=~models.Q(status="closed"),
                name="concern_triage_about_idx",
            ),
            # Every status, closed ones included (status=closed finds them in queue order).
            models.Index(fields=["status", "urgent", "decision_due_at", "id"], name="concern_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source="public") | models.Q(agency__isnull=False),
                name="concern_professional_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ConcernReferenceCounter(models.Model):
    """The last reference number given out in a year. Its row lock serialises numbering."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ConcernPerson(models.Model):
    class Role(models.TextChoices):
        AT_RISK = "at_risk", "Person at risk"
        HARMING = "harming", "Person who may be causing harm"
        OTHER = "other", "Someone else involved"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=10, choices=Role.choices)
    name = EncryptedTextField(blank=True, default="")
    nicknames = EncryptedTextField(blank=True, default="")
    age = EncryptedTextField(blank=True, default="")
    date_of_birth = EncryptedTextField(blank=True, default="", help_text="ISO date, when known.")
    description = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["concern", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.concern_id}"


class ConcernVehicle(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="vehicles")
    registration = EncryptedTextField(blank=True, default="")
    # Blind index of the registration in capitals without spaces, for linking concerns later.
    registration_index = models.CharField(max_length=64, blank=True, db_index=True)
    description = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["concern", "id"]

    def __str__(self) -> str:
        return f"Vehicle on {self.concern_id}"


class ConcernPhone(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="phones")
    number = EncryptedTextField()
    # Blind index of the number in E.164 form, when it could be normalised.
    number_index = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["concern", "id"]

    def __str__(self) -> str:
        return f"Phone on {self.concern_id}"


class ConcernPlace(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="places")
    venue = EncryptedTextField(blank=True, default="")
    address = EncryptedTextField(blank=True, default="")
    postcode = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["concern", "id"]

    def __str__(self) -> str:
        return f"Place on {self.concern_id}"


class ConcernOnlineAccount(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="online_accounts")
    platform = EncryptedTextField(blank=True, default="")
    handle = EncryptedTextField()

    class Meta:
        ordering = ["concern", "id"]

    def __str__(self) -> str:
        return f"Online account on {self.concern_id}"


class AdditionalInformation(models.Model):
    """Information added after submission, by the reporter with their receipt code."""

    class Source(models.TextChoices):
        FOLLOW_UP = "follow_up", "Added by the reporter with their receipt code"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="additional_information")
    text = EncryptedTextField()
    added_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FOLLOW_UP)

    class Meta:
        ordering = ["concern", "added_at", "id"]
        verbose_name_plural = "additional information"

    def __str__(self) -> str:
        return f"Added to {self.concern_id} at {self.added_at:%Y-%m-%d %H:%M}"


class RoutingRule(models.Model):
    """If a concern matches every condition set here, route it to the team and/or mark it urgent.

    Every active rule is applied in order; a blank condition matches anything. Rules are switched
    off rather than deleted, so the record of what routed past concerns stays whole.
    """

    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    about_in = models.JSONField(
        default=list, blank=True, help_text="Matches concerns about any of these; empty matches all."
    )
    immediate_danger = models.BooleanField(null=True, blank=True, help_text="Blank matches either.")
    has_exploitation_signs = models.BooleanField(null=True, blank=True, help_text="Blank matches either.")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="rules")
    mark_urgent = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=False) | models.Q(mark_urgent=True),
                name="routing_rule_has_action",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConcernRoute(models.Model):
    """One routing decision: the concern was sent to a team, or marked urgent, by a rule, and why."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="routes")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="routes")
    marked_urgent = models.BooleanField(default=False)
    # Empty when no rule routed the concern and the safety net sent it to the front doors.
    rule = models.ForeignKey(
        RoutingRule, null=True, blank=True, on_delete=models.PROTECT, related_name="routes"
    )
    reason = models.CharField(max_length=500)
    routed_at = models.DateTimeField(default=timezone.now)
    # Set when a member of a receiving team shared the concern with this team (rule is then empty).
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_reason = EncryptedTextField(blank=True, default="")
    # When the team was told the concern arrived; empty until the notification is sent.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Copies of the concern's fields that never change after intake, made with the route (save()
    # copies them; code that bulk-creates routes must too): with them a team's queue filtered by
    # one of these first asks its own routes whether the team has any such concern at all, so a
    # kind the routing rules never send to the team is not looked for through the whole queue
    # (docs/decisions/0030).
    about = models.CharField(max_length=10, choices=About.choices, editable=False)
    source = models.CharField(max_length=20, choices=Concern.Source.choices, editable=False)
    immediate_danger = models.BooleanField(default=False, editable=False)
    has_signs = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["concern", "routed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "team"], condition=models.Q(team__isnull=False), name="route_once_per_team"
            ),
            # A route made without its concern's copies (a bulk create that forgot them) fails here.
            models.CheckConstraint(condition=models.Q(about__in=About.values), name="route_about_copied"),
            models.CheckConstraint(
                condition=models.Q(source__in=Concern.Source.values), name="route_source_copied"
            ),
        ]
        indexes = [
            models.Index(fields=["team", "concern"], name="route_team_concern_idx"),
            # Does the team have any (or only a few) concerns of this kind? Read in the index alone
            # (selectors.triage_queue); the partial ones stay small, as such concerns are few.
            models.Index(fields=["team", "about", "concern"], name="route_team_about_idx"),
            models.Index(fields=["team", "source", "concern"], name="route_team_source_idx"),
            models.Index(
                fields=["team", "concern"],
                condition=models.Q(immediate_danger=True),
                name="route_team_danger_idx",
            ),
            models.Index(
                fields=["team", "concern"], condition=models.Q(has_signs=True), name="route_team_signs_idx"
            ),
            # The notification sweep looks only at routes whose team has not been told yet.
            models.Index(
                fields=["routed_at"],
                condition=models.Q(notified_at__isnull=True),
                name="route_unnotified_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} -> {self.team or 'urgent'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.copy_from_concern()
        super().save(*args, **kwargs)

    # The concern's fields a route carries a copy of (they never change after intake).
    COPIED_FIELDS = ("about", "source", "immediate_danger", "has_signs")

    def copy_from_concern(self) -> None:
        """Set the route's copies from its concern. save() calls it; call it before a bulk_create."""
        for name in self.COPIED_FIELDS:
            setattr(self, name, getattr(self.concern, name))


def _private_storage() -> Storage:
    return storages["private"]


class DecisionOption(models.Model):
    """One outcome a triage worker may choose, managed by administrators in the admin.

    Options are switched off rather than deleted, so past decisions keep their option. Each sets how
    long a concern decided this way is kept, and whether deciding it closes the concern.
    """

    class AppliesTo(models.TextChoices):
        CHILDREN = "children", "Concerns about children"
        ADULTS = "adults", "Concerns about adults"
        ANY = "any", "Any concern"

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=50, unique=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)
    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices, default=AppliesTo.ANY)
    retention_years = models.PositiveSmallIntegerField(
        help_text="How many years a concern decided this way is kept after the decision."
    )
    closes_concern = models.BooleanField(
        default=False, help_text="Deciding this closes the concern (it leaves the queue)."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ConcernDecision(models.Model):
    """A decision on what happens next. Every decision is kept; the latest is the current one."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="decisions")
    option = models.ForeignKey(DecisionOption, on_delete=models.PROTECT, related_name="decisions")
    reasons = EncryptedTextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["concern", "decided_at", "id"]

    def __str__(self) -> str:
        return f"Decision {self.pk} on {self.concern_id}"


class ConcernNote(models.Model):
    """An internal note by a triage worker. Never shown to the reporter."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["concern", "added_at", "id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.concern_id}"


class ConcernAttachment(models.Model):
    """A file added to a concern: checked like tracker evidence, stored privately under a random name.

    The original name is personal data (it often names the person), so it is encrypted; the checksum
    is taken once on upload and checked again on every download.
    """

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=_private_storage, upload_to="concerns/", max_length=200)
    original_name = EncryptedTextField()
    content_type = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["concern", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"Attachment {self.pk} on {self.concern_id}"


class InformationShare(models.Model):
    """One disclosure of information about a concern to another agency: the information-sharing log."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="information_shares")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recipient = EncryptedTextField(help_text="The person or team at the agency it was shared with.")
    what_shared = EncryptedTextField()
    purpose = EncryptedTextField()
    lawful_basis = models.CharField(max_length=20, choices=Concern.LawfulBasis.choices)
    decided_by = EncryptedTextField(help_text="Who decided to share it, and their role.")
    shared_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["concern", "shared_on", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Share {self.pk} on {self.concern_id}"


class LegalHoldChange(models.Model):
    """A legal hold placed on a concern or lifted from it, and why. The latest gives the current reason."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="legal_hold_changes")
    hold = models.BooleanField(help_text="True when the hold was placed, false when it was lifted.")
    reason = EncryptedTextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["concern", "changed_at", "id"]

    def __str__(self) -> str:
        return f"Legal hold {'placed on' if self.hold else 'lifted from'} {self.concern_id}"


class UrgencyRemoval(models.Model):
    """A concern's urgency removed by a member of staff ("Remove urgent"), and why (docs/decisions/0030).
    Marking urgent leaves a team-less ConcernRoute; removing it leaves one of these."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="urgency_removals")
    reason = EncryptedTextField()
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["concern", "removed_at", "id"]

    def __str__(self) -> str:
        return f"Urgency removed from {self.concern_id}"


class PoliceCallRecord(models.Model):
    """Whether the police were called about a concern where immediate danger was reported.

    Each answer is kept (a later one corrects an earlier); the latest is the current one. The note is
    encrypted like every note, and the audit trail holds only the answer's code.
    """

    class Answer(models.TextChoices):
        YES = "yes", "Yes, the police were called"
        NO = "no", "No, the police were not called"
        NOT_KNOWN = "not_known", "Not known"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="police_call_records")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    note = EncryptedTextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["concern", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Police call record {self.pk} on {self.concern_id}"
