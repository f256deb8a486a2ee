"""What linking knows: identifiers taken from concerns, links between concerns, networks and alerts.

Every value a person typed stays encrypted (`EncryptedTextField`). Plain columns hold only codes, flags,
dates, ids and keyed blind indexes (`IdentifierKey.index`), so that candidates are found in SQL without
decrypting anything; values are decrypted only inside the linking worker, to score a pair, and on the
analyst's pages (docs/decisions/0022).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguarding.concerns.models import Concern, Team
from safeguarding.core.crypto import EncryptedTextField


class Identifier(models.Model):
    """One thing in a concern that could be the same thing in another: a phone, a vehicle, a place,
    an online account, or a person (with their names, nicknames and age)."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        PHONE = "phone", "Phone number"
        VEHICLE = "vehicle", "Vehicle"
        PLACE = "place", "Place"
        ACCOUNT = "account", "Online account"

    class Role(models.TextChoices):
        AT_RISK = "at_risk", "Person at risk"
        HARMING = "harming", "Person who may be causing harm"
        OTHER = "other", "Someone else involved"
        PLACE_OF_HARM = "place_of_harm", "Place of harm"
        VEHICLE_USED = "vehicle_used", "Vehicle used"
        CONTACT = "contact", "Phone or account used"

    class Origin(models.TextChoices):
        REPORTED = "reported", "As reported"
        TEXT = "text", "Found in the text"
        STAFF = "staff", "Added by staff"

    class Status(models.TextChoices):
        ACTIVE = "active", "In use"
        SUGGESTED = "suggested", "Suggested, not yet accepted"
        DISMISSED = "dismissed", "Dismissed"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    role = models.CharField(max_length=20, choices=Role.choices)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.REPORTED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # As typed (a person's name, a phone number...), and its cleaned form; `normalised` is False when
    # the value could not be cleaned: it is kept as typed and marked, never dropped.
    value = EncryptedTextField()
    normal = EncryptedTextField(blank=True, default="")
    normalised = models.BooleanField(default=False)
    # A JSON object of the parts that go with the value: a person's nicknames, aliases, date of birth and
    # age range on the date of the concern; a place's venue, address and postcode; an account's platform.
    details = EncryptedTextField(blank=True, default="{}")
    # Where in the concern it came from, by position, never by content ("people.0", "narrative").
    source = models.CharField(max_length=60, blank=True)
    # The normaliser version that wrote the keys: `reindex_identifiers` rewrites older ones.
    version = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["concern", "id"]
        indexes = [models.Index(fields=["concern", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on concern {self.concern_id}"


class IdentifierKey(models.Model):
    """A keyed blind index of one exact-match form of an identifier, or of a blocking key of a name.

    Equal values of the same key kind have equal indexes, and nothing else can be read from them
    (HMAC-SHA256 under the blind index key; docs/decisions/0022 says what this leaks).
    """

    class Kind(models.TextChoices):
        PHONE = "phone", "Phone number (E.164)"
        PHONE_RAW = "phone_raw", "Phone number as typed (digits), when it could not be cleaned"
        VEHICLE = "vehicle", "Registration"
        VEHICLE_LOOKALIKE = "vehicle_alike", "Registration read with O/0, I/1, S/5, B/8 alike"
        POSTCODE = "postcode", "Postcode"
        DISTRICT = "district", "Postcode district"
        PLACE = "place", "Venue or address"
        ACCOUNT = "account", "Account on a platform"
        HANDLE = "handle", "Handle on any platform"
        NAME = "name", "Full name (normalised)"
        NAME_BLOCK = "name_block", "Phonetic codes of a name's first and last words"
        NICKNAME = "nickname", "Nickname"

    identifier = models.ForeignKey(Identifier, on_delete=models.CASCADE, related_name="keys")
    # The identifier's concern, repeated so that candidates are one indexed query away.
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    index = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["kind", "index"]), models.Index(fields=["concern"])]

    def __str__(self) -> str:
        return f"{self.kind} key of identifier {self.identifier_id}"


class ConcernLinking(models.Model):
    """Where linking has got to with one concern: so a concern that arrived while the worker was down,
    or whose identifiers changed, is linked when it can be."""

    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="linking")
    identifiers_at = models.DateTimeField(null=True, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True, db_index=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Linking of concern {self.concern_id}"


class Link(models.Model):
    """Two concerns that may be about the same people or things, with how strongly and why.

    `concern_low` always has the lower id. A rejected link keeps its evidence signature: it comes back
    only when new evidence (a signature not seen at rejection) arrives, and then it says so.
    """

    class Strength(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        PROBABLE = "probable", "Probable"
        POSSIBLE = "possible", "Possible"

    class Status(models.TextChoices):
        OPEN = "open", "Not yet reviewed"
        CONFIRMED = "confirmed", "Confirmed by an analyst"
        REJECTED = "rejected", "Rejected by an analyst"

    concern_low = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="+")
    concern_high = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="+")
    strength = models.CharField(max_length=10, choices=Strength.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    score = models.FloatField(default=0.0)
    # The reasons, in words, as a JSON list: they name the shared values, so they are encrypted.
    reasons = EncryptedTextField(default="[]")
    # A keyed hash of the evidence (the matched key indexes): new evidence changes it.
    evidence = models.CharField(max_length=64)
    # The keyed hashes of each piece of that evidence (a JSON list, encrypted: nobody needs to query it),
    # now and when the link was rejected: a rejected link comes back only for a piece not seen then.
    evidence_items = EncryptedTextField(default="[]")
    rejected_evidence = models.CharField(max_length=64, blank=True)
    rejected_evidence_items = EncryptedTextField(blank=True, default="[]")
    new_evidence_since_rejection = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern_low", "concern_high"], name="linking_link_pair_once"),
            models.CheckConstraint(
                condition=models.Q(concern_low__lt=models.F("concern_high")), name="linking_link_low_first"
            ),
        ]
        indexes = [models.Index(fields=["concern_high"]), models.Index(fields=["status", "strength"])]

    def __str__(self) -> str:
        return (
            f"{self.get_strength_display()} link: concerns {self.concern_low_id} and {self.concern_high_id}"
        )


class Network(models.Model):
    """Concerns joined by probable or confirmed links (a connected component). Recomputed as links
    change; a network that splits or merges is replaced by new ones."""

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # A hash of its member ids: the same members give the same signature.
    signature = models.CharField(max_length=64, db_index=True)
    # How many members it had when last recomputed: a retention deletion takes members away by cascade,
    # and a network whose members no longer number `size` is recomputed by the sweep.
    size = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True, db_index=True)
    # The network that took this one's place when they merged (it keeps the larger one's identity).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    concerns = models.ManyToManyField(Concern, through="NetworkMember", related_name="+")

    def __str__(self) -> str:
        return f"Network {self.pk}"


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "concern"], name="linking_member_once")]

    def __str__(self) -> str:
        return f"Concern {self.concern_id} in network {self.network_id}"


class Alert(models.Model):
    """Two or more different people at risk linked, within the window, to the same person causing harm,
    vehicle, phone, place or account: for the exploitation team's queue. One per change of a network."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CLOSED = "closed", "Closed"

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="alerts")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="linking_alerts")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NEW)
    # Why, in words (it names the shared values, so it is encrypted), and a keyed hash of what it is
    # about, so the same finding on the same network raises one alert, not one per concern.
    reason = EncryptedTextField()
    finding = models.CharField(max_length=64)
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # When the team was told by e-mail (once; `alerts_notify_missed` catches any not told).
    notified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["network", "finding"], name="linking_alert_once")]

    def __str__(self) -> str:
        return f"Alert {self.pk} on network {self.network_id}"


class IdentifierChange(models.Model):
    """A change staff made to a concern's identifiers, with what it was before and after (encrypted).

    Adding, correcting and removing identifiers, and accepting or dismissing a suggestion found in the
    text, each leave one row, shown on the concern's identifiers page and audited.
    """

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        CORRECTED = "corrected", "Corrected"
        REMOVED = "removed", "Removed"
        ACCEPTED = "accepted", "Suggestion accepted"
        DISMISSED = "dismissed", "Suggestion dismissed"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="+")
    # The identifier as it is now (a correction of a reported identifier makes a new one).
    identifier = models.ForeignKey(
        Identifier, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    kind = models.CharField(max_length=10, choices=Identifier.Kind.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    # The identifier as a person reads it, before and after ("" when there was none).
    before = EncryptedTextField(blank=True, default="")
    after = EncryptedTextField(blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["concern", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.kind} on concern {self.concern_id}"


class ReindexRun(models.Model):
    """How far `manage.py reindex_identifiers` has got: concerns up to `last_concern_id` have keys
    from `version` of the normalisers, so a run that was stopped carries on where it stopped."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveSmallIntegerField()
    last_concern_id = models.BigIntegerField(default=0)
    identifiers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Reindex run {self.pk}"
