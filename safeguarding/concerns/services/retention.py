"""Deleting concerns at the end of their retention period (docs/decisions/0015).

`concerns_expired` (a selector) lists what is due; `manage.py concerns_delete_expired` calls
`concern_delete_expired` for each, one transaction a concern.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from ..models import Concern, ConcernAttachment
from ..signals import concern_deleted_on_commit


def concern_delete_expired(*, pk: int, today: datetime.date | None = None) -> str:
    """Delete the expired concern `pk` with everything about it, and its files; returns its reference.

    ValidationError if it is not (or no longer) due: on legal hold, kept longer, or already gone.
    The audit event (reference and dates only) is written first, in the same transaction: if the
    deletion fails, the event rolls back with it. Audit events name their target by type and id, not a
    foreign key, so the chain still verifies once the concern is gone. Files go once the rows have.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        concern = Concern.objects.select_for_update().filter(pk=pk).first()
        if concern is None:
            raise ValidationError(f"Concern {pk} no longer exists.")
        if concern.legal_hold or concern.retain_until is None or concern.retain_until >= today:
            raise ValidationError(f"Concern {concern.reference} is not due for deletion.")
        files = list(concern.attachments.values_list("file", flat=True))
        reference = concern.reference
        audit_record(
            kind=AuditEvent.Kind.DELETED,
            target=concern,
            summary=f"Concern {reference} deleted at the end of its retention period",
            data={"retain_until": concern.retain_until.isoformat(), "files": len(files)},
        )
        concern.delete()
        storage = ConcernAttachment._meta.get_field("file").storage
        transaction.on_commit(lambda: _files_delete(storage, files))
        concern_deleted_on_commit(concern_id=pk)
    return reference


def _files_delete(storage: Any, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
