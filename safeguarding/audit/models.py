"""AuditEvent: one row per security event or change, each chained to the one before by its hash.

Rows are never updated or deleted through the ORM. A row altered by other means breaks the chain,
and `manage.py audit_verify` names the first broken link.
"""

from typing import Any, NoReturn

from django.db import models


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        # Security events
        LOGIN = "login", "Signed in"
        LOGIN_FAILED = "login_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out after repeated failures"
        LOGOUT = "logout", "Signed out"
        MFA_ENROLLED = "mfa_enrolled", "Two-step verification set up"
        MFA_FAILED = "mfa_failed", "Wrong security code"
        MFA_VERIFIED = "mfa_verified", "Security code accepted"
        MFA_RESET = "mfa_reset", "Two-step verification reset"
        USER_CHANGED = "user_changed", "Account changed"
        EXPORT = "export", "Data exported"
        # Changes to records
        CREATED = "created", "Created"
        UPDATED = "updated", "Changed"
        DELETED = "deleted", "Deleted"
        # Reads of sensitive records
        VIEWED = "viewed", "Viewed"

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(editable=False, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The actor is kept as an id and a label, not a foreign key, so no later change to users can
    # alter or block a row of the log.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    # What the event is about ("tracker.action", "17"), and the record whose history it belongs to
    # ("reviews.recommendation", "4"): an action's changes show on its recommendation's page.
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # {field: [before, after]}
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "sequence"], name="audit_subject_idx"),
            models.Index(fields=["actor_id", "sequence"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_kind_display()} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only.")
