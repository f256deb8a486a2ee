"""Reading the audit trail: the history of one record, for staff pages."""

from django.db import models
from django.db.models import QuerySet

from .models import AuditEvent


def audit_history(*, subject: models.Model, limit: int = 200) -> QuerySet[AuditEvent]:
    """Events about a record and everything under it, newest first."""
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).order_by("-sequence")[:limit]
