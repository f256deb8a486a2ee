"""Changes to configuration, audited wherever they are made: the admin, the settings pages, a command,
a shell (issue 10, finding 5: an administrator added themself to a team in the admin, read a concern,
and no event recorded the change).

`config_changes_audit(Model, fields=[...], m2m=[...])`, called from the owning app's `ready`, records
every create, change and delete of the model, and every addition to or removal from its many-to-many
fields, as one audit event each, in the same transaction as the change. The actor is the signed-in
user of the request that made it (`AuditActorMiddleware`), or none for a command. Only the fields
named are recorded: choose ones that hold no personal data (ids, codes, names of teams and rules).
A field in `secret` (a password hash) is recorded only as changed, never its value; `subject` names
the record whose history the event belongs to (a second-factor device belongs to its user's).
"""

import contextlib
import contextvars
import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from .models import AuditEvent
from .services import audit_record, model_changes, model_values

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("audit_actor", default=None)
_elsewhere: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_elsewhere", default=False)
_BEFORE = "_audit_values_before"


def current_actor() -> Any:
    """The signed-in user whose request is running, or None outside a request."""
    return _actor.get()


class AuditActorMiddleware:
    """Makes the request's signed-in user the actor of audit events written by model signals. After
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _actor.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def _secret_digest(value: Any) -> str:
    """Something to compare a secret by in memory; never written anywhere."""
    return hashlib.sha256(str(value).encode()).hexdigest() if value else ""


def _masked(changes: dict[str, list[Any]], secret: frozenset[str]) -> dict[str, list[Any]]:
    """A secret field's change shows only that it was set or cleared: never its value or hash."""
    return {
        name: (["set" if pair[0] else None, "set" if pair[1] else None] if name in secret else pair)
        for name, pair in changes.items()
    }


@contextlib.contextmanager
def audited_elsewhere() -> Iterator[None]:
    """Within this block the caller writes its own, fuller audit event for what it changes (a
    service such as `mfa_reset` or `api_token_create`), so the watch records nothing twice."""
    token = _elsewhere.set(True)
    try:
        yield
    finally:
        _elsewhere.reset(token)


def config_changes_audit(
    model: type[models.Model],
    *,
    fields: list[str],
    m2m: Iterable[str] = (),
    secret: Iterable[str] = (),
    subject: Callable[[Any], models.Model | None] | None = None,
) -> None:
    label = model._meta.label_lower
    noun = str(model._meta.verbose_name)
    secret_fields = frozenset(secret)

    def values(instance: models.Model) -> dict[str, Any]:
        found = model_values(instance, fields)
        for name in secret_fields:
            found[name] = _secret_digest(getattr(instance, name))
        return found

    def record(kind: str, instance: models.Model, verb: str, changes: dict[str, list[Any]]) -> None:
        if _elsewhere.get():
            return
        owner = subject(instance) if subject is not None else None
        audit_record(
            kind=kind,
            actor=current_actor(),
            target=instance,
            subject=owner,
            summary=f"{noun.capitalize()} {instance.pk} {verb}",
            changes=_masked(changes, secret_fields),
        )

    def before(sender: Any, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
        if raw or instance.pk is None:
            return
        stored = sender._default_manager.filter(pk=instance.pk).first()
        setattr(instance, _BEFORE, values(stored) if stored is not None else None)

    def saved(sender: Any, instance: models.Model, created: bool, raw: bool = False, **kwargs: Any) -> None:
        if raw:
            return
        after = values(instance)
        was = getattr(instance, _BEFORE, None)
        if created or was is None:
            record(AuditEvent.Kind.CREATED, instance, "created", model_changes({}, after))
            return
        changes = model_changes(was, after)
        if changes:
            record(AuditEvent.Kind.UPDATED, instance, "changed", changes)

    def deleted(sender: Any, instance: models.Model, **kwargs: Any) -> None:
        record(AuditEvent.Kind.DELETED, instance, "deleted", model_changes(values(instance), {}))

    pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"audit.{label}.before")
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"audit.{label}.saved")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"audit.{label}.deleted")
    for name in m2m:
        through = getattr(model, name).through

        def related(
            sender: Any,
            instance: models.Model,
            action: str,
            reverse: bool,
            pk_set: Any,
            name: str = name,
            **kw: Any,
        ) -> None:
            if action not in ("post_add", "post_remove", "pre_clear") or _elsewhere.get():
                return
            verb = "added to" if action == "post_add" else "removed from"
            if not reverse:
                ids = (
                    sorted(pk_set or ())
                    if action != "pre_clear"
                    else list(getattr(instance, name).values_list("pk", flat=True))
                )
                if ids:
                    _related_event(instance, name, verb, ids, noun)
                return
            # From the other side (a user's teams): one event on each of this model's rows touched.
            rows = (
                model._default_manager.filter(**{name: instance})
                if action == "pre_clear"
                else model._default_manager.filter(pk__in=pk_set or ())
            )
            for row in rows:
                _related_event(row, name, verb, [instance.pk], noun)

        m2m_changed.connect(related, sender=through, weak=False, dispatch_uid=f"audit.{label}.{name}")


def _related_event(instance: models.Model, name: str, verb: str, ids: list[Any], noun: str) -> None:
    audit_record(
        kind=AuditEvent.Kind.UPDATED,
        actor=current_actor(),
        target=instance,
        summary=f"{len(ids)} {verb} the {name} of {noun} {instance.pk}",
        data={name: {"added" if verb == "added to" else "removed": [str(i) for i in ids]}},
    )
