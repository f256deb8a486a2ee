"""Changes to what linking knows. This module: a concern's identifiers and their keys.

`concern_identifiers_refresh` is idempotent: it rebuilds the identifiers a concern's answers give, keeps
what staff added and what an analyst decided about each suggestion, and rewrites every key.
"""

import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.concerns.models import Concern

from .. import extract
from ..keys import identifier_keys
from ..models import ConcernLinking, Identifier, IdentifierKey
from ..normalise import NORMALISER_VERSION


def identifier_keys_write(identifier: Identifier, details: dict[str, Any] | None = None) -> None:
    """(Re)write the keys of one identifier; a dismissed or merely suggested one has none."""
    IdentifierKey.objects.filter(identifier=identifier).delete()
    if identifier.status != Identifier.Status.ACTIVE:
        return
    details = details if details is not None else json.loads(identifier.details or "{}")
    keys = identifier_keys(
        kind=identifier.kind,
        normal=identifier.normal,
        normalised=identifier.normalised,
        value=identifier.value,
        details=details,
    )
    IdentifierKey.objects.bulk_create(
        IdentifierKey(identifier=identifier, concern_id=identifier.concern_id, kind=key.kind, index=key.index)
        for key in keys
    )


def concern_identifiers_refresh(*, concern: Concern) -> list[Identifier]:
    """Rebuild the concern's identifiers from its answers and text, keeping staff work. Returns the
    identifiers in use."""
    reported = extract.reported_identifiers(concern)
    reported_identities = {spec.identity for spec in reported}
    suggested = [
        spec for spec in extract.text_suggestions(concern) if spec.identity not in reported_identities
    ]
    with transaction.atomic():
        kept = list(Identifier.objects.filter(concern=concern).exclude(origin=Identifier.Origin.REPORTED))
        decided = {_identity(i): i for i in kept if i.origin == Identifier.Origin.TEXT}
        Identifier.objects.filter(concern=concern, origin=Identifier.Origin.REPORTED).delete()
        for spec in reported:
            _store(concern, spec, Identifier.Status.ACTIVE)
        wanted = {spec.identity for spec in suggested}
        for identity, identifier in decided.items():
            if identity not in wanted and identifier.status == Identifier.Status.SUGGESTED:
                identifier.delete()  # the text no longer says it
        for spec in suggested:
            if spec.identity not in decided:
                _store(concern, spec, Identifier.Status.SUGGESTED)
        for identifier in Identifier.objects.filter(concern=concern).exclude(
            origin=Identifier.Origin.REPORTED
        ):
            if identifier.version != NORMALISER_VERSION:
                identifier_keys_write(identifier)
                Identifier.objects.filter(pk=identifier.pk).update(version=NORMALISER_VERSION)
        now = timezone.now()
        ConcernLinking.objects.update_or_create(
            concern=concern, defaults={"identifiers_at": now, "changed_at": now}
        )
    return list(Identifier.objects.filter(concern=concern, status=Identifier.Status.ACTIVE))


def _identity(identifier: Identifier) -> tuple[str, str, str]:
    value = identifier.normal if identifier.normalised else identifier.value.strip().lower()
    return (identifier.kind, identifier.role, value)


def _store(concern: Concern, spec: extract.IdentifierSpec, status: str) -> Identifier:
    identifier = Identifier.objects.create(
        concern=concern,
        kind=spec.kind,
        role=spec.role,
        origin=spec.origin,
        status=status,
        value=spec.value,
        normal=spec.normal,
        normalised=spec.normalised,
        details=json.dumps(spec.details),
        source=spec.source,
        version=NORMALISER_VERSION,
    )
    identifier_keys_write(identifier, spec.details)
    return identifier
