"""One way the settings pages save a record: validated, saved and audited (who, what, before and
after) in one transaction, as one event. The audit watch on these models (`config_changes_audit`)
stays quiet inside, so nothing is recorded twice; it still records changes made anywhere else."""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record, model_changes, model_values
from safeguarding.audit.watch import audited_elsewhere

M = TypeVar("M", bound=models.Model)


def config_save(
    *,
    instance: M,
    values: dict[str, Any],
    fields: list[str],
    by: Any,
    noun: str,
    exclude_from_clean: list[str] | None = None,
) -> tuple[M, dict[str, list[Any]]]:
    """Set `values` on `instance`, check it (field rules and unique values), save and audit it.

    Returns the instance and the changes recorded ({field: [before, after]}). Raises ValidationError
    by field, in the words the forms show.
    """
    creating = instance._state.adding
    stored = None if creating else type(instance)._default_manager.filter(pk=instance.pk).first()
    before = model_values(stored, fields) if stored is not None else {}
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=exclude_from_clean, validate_constraints=False)
    with transaction.atomic(), audited_elsewhere():
        instance.save()
        changes = model_changes(before, model_values(instance, fields))
        if creating or changes:
            audit_record(
                kind=AuditEvent.Kind.CREATED if creating else AuditEvent.Kind.UPDATED,
                actor=by,
                target=instance,
                summary=f"{noun} “{instance}” {'created' if creating else 'changed'} in the settings pages",
                changes=changes,
            )
    return instance, changes


def config_delete(*, instance: models.Model, fields: list[str], by: Any, noun: str) -> None:
    """Delete `instance` and audit it, in one transaction (the caller's, if it holds one). The event
    keeps the values `fields` held, so the trail still says what the record was."""
    with transaction.atomic(), audited_elsewhere():
        before = model_values(instance, fields)
        pk, name = instance.pk, str(instance)
        instance.delete()
        instance.pk = pk
        audit_record(
            kind=AuditEvent.Kind.DELETED,
            actor=by,
            target=instance,
            summary=f"{noun} “{name}” removed in the settings pages",
            changes={field: [value, None] for field, value in before.items()},
        )


def required(value: Any, *, field: str, message: str) -> Any:
    """`value`, unless it is empty: then a ValidationError on `field`."""
    if value in (None, "", [], ()):
        raise ValidationError({field: message})
    return value
