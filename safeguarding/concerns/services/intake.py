"""Receiving concerns and information added to them later (docs/decisions/0013).

`concern_submit` is the one way a concern is made, from the public journey, a professional referral or
the API: validated, stored encrypted, numbered, routed and audited in one transaction, exactly once per
idempotency key. Nothing a reporter typed is ever logged or written to the audit trail.
"""

import secrets
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.partnership.models import Agency

from ..answers import ConcernAnswers, ConcernInvalid, answers_validate, text_readable
from ..clocks import concern_clock_set
from ..identifiers import phone_index, registration_index
from ..models import (
    AdditionalInformation,
    Concern,
    ConcernOnlineAccount,
    ConcernPerson,
    ConcernPhone,
    ConcernPlace,
    ConcernVehicle,
)
from ..references import (
    concern_reference_next,
    receipt_code_generate,
    receipt_code_hash,
    receipt_code_matches,
    reference_normalise,
)
from ..routing import concern_route
from ..signals import concern_changed_on_commit
from ..tasks import concern_notification_enqueue

FOLLOW_UP_MAX_LENGTH = 20000
# Compared against when no concern has the reference given, so both failures take the same time.
_NO_CONCERN_HASH = "0" * 64


class ReceiptNotRecognised(Exception):
    """The reference and receipt code do not match a concern. Says nothing about which was wrong."""

    def __init__(self) -> None:
        super().__init__("We could not find a report with that reference number and receipt code.")


@dataclass(frozen=True)
class SubmitResult:
    concern: Concern
    reference: str
    # Shown to the reporter once, when created; None when the submission had already been received.
    receipt_code: str | None
    created: bool


def _idempotency_key_check(key: Any) -> str:
    if not isinstance(key, str) or not (8 <= len(key) <= 100) or not key.isascii() or not key.isprintable():
        raise ConcernInvalid(
            [{"field": "idempotency_key", "message": "The form has expired. Start again from the beginning"}]
        )
    return key


def concern_submit(
    *, answers: dict[str, Any], source: str, idempotency_key: str, submitted_by: Any = None
) -> SubmitResult:
    """Receive a concern. Raises ConcernInvalid with plain-English errors for bad answers.

    Submitting again with the same idempotency key (a double click, a retry after a lost response)
    returns the concern already made, with `created=False` and no receipt code.
    """
    if source not in Concern.Source.values:
        raise ConcernInvalid([{"field": "source", "message": "Unknown source of concern"}])
    key = _idempotency_key_check(idempotency_key)
    valid = answers_validate(answers, source=source)
    if valid.professional and not Agency.objects.filter(pk=valid.professional.agency_id).exists():
        raise ConcernInvalid(
            [{"field": "professional.agency_id", "message": "Your agency: Choose your agency"}]
        )

    existing = Concern.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return SubmitResult(existing, existing.reference, None, created=False)
    try:
        with transaction.atomic():
            result = _concern_create(valid, source=source, key=key, submitted_by=submitted_by)
            # After commit, so the worker finds the concern; robust, because a queue hiccup must not
            # turn a received concern into an error page (the scheduler's sweep tells the teams then).
            transaction.on_commit(
                partial(
                    concern_notification_enqueue, concern_id=result.concern.pk, urgent=result.concern.urgent
                ),
                robust=True,
            )
            concern_changed_on_commit(concern_id=result.concern.pk, what="created")
            return result
    except IntegrityError:
        # Another submission with this key committed between our check and our insert.
        existing = Concern.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return SubmitResult(existing, existing.reference, None, created=False)


def _concern_create(valid: ConcernAnswers, *, source: str, key: str, submitted_by: Any) -> SubmitResult:
    received_at = timezone.now()
    receipt_code = receipt_code_generate()
    reporter, professional = valid.reporter, valid.professional
    # The reference is taken last (below): taking it locks the year's counter until commit, so the
    # less done after it, the less one submission waits for another. Until then the row carries a
    # placeholder that no one outside this transaction ever sees. A second submission with the same
    # idempotency key waits on the key's unique index and then fails there (IntegrityError, handled
    # by concern_submit), so it makes no second concern.
    concern = Concern.objects.create(
        reference=f"pending-{secrets.token_hex(10)}",
        received_at=received_at,
        source=source,
        about=valid.about,
        immediate_danger=valid.immediate_danger,
        narrative=valid.narrative,
        signs=list(valid.signs),
        has_signs=bool(valid.signs),
        where_and_when=valid.where_and_when,
        reporter_anonymous=reporter.anonymous,
        reporter_name=reporter.name,
        reporter_contact=reporter.contact,
        reporter_relationship=reporter.relationship,
        adult_knows=valid.adult_knows,
        adult_wants=valid.adult_wants,
        agency_id=professional.agency_id if professional else None,
        professional_role=professional.role if professional else "",
        existing_involvement=professional.existing_involvement if professional else "",
        consent=professional.consent if professional else "",
        lawful_basis=professional.lawful_basis if professional else "",
        lawful_basis_detail=professional.lawful_basis_detail if professional else "",
        submitted_by=submitted_by if getattr(submitted_by, "pk", None) else None,
        receipt_code_hash=receipt_code_hash(receipt_code),
        idempotency_key=key,
    )
    ConcernPerson.objects.bulk_create(
        ConcernPerson(
            concern=concern,
            role=person.role,
            name=person.name,
            nicknames=person.nicknames,
            age=person.age,
            date_of_birth=person.date_of_birth.isoformat() if person.date_of_birth else "",
            description=person.description,
        )
        for person in valid.people
    )
    ConcernVehicle.objects.bulk_create(
        ConcernVehicle(
            concern=concern,
            registration=vehicle.registration,
            registration_index=registration_index(vehicle.registration),
            description=vehicle.description,
        )
        for vehicle in valid.vehicles
    )
    ConcernPhone.objects.bulk_create(
        ConcernPhone(concern=concern, number=phone.number, number_index=phone_index(phone.number))
        for phone in valid.phones
    )
    ConcernPlace.objects.bulk_create(
        ConcernPlace(concern=concern, venue=place.venue, address=place.address, postcode=place.postcode)
        for place in valid.places
    )
    ConcernOnlineAccount.objects.bulk_create(
        ConcernOnlineAccount(concern=concern, platform=account.platform, handle=account.handle)
        for account in valid.online_accounts
    )
    routes = concern_route(concern)
    concern_clock_set(concern)
    reference = concern_reference_next(year=timezone.localtime(received_at).year)
    Concern.objects.filter(pk=concern.pk).update(reference=reference)
    concern.reference = reference
    audit_record(
        kind=AuditEvent.Kind.CREATED,
        actor=submitted_by,
        target=concern,
        summary=f"Concern {reference} received",
        data={
            "source": source,
            "urgent": concern.urgent,
            "teams": sorted({route.team.slug for route in routes if route.team is not None}),
        },
    )
    return SubmitResult(concern, reference, receipt_code, created=True)


def _concern_by_receipt(*, reference: str, receipt_code: str) -> Concern:
    normalised = reference_normalise(reference) if isinstance(reference, str) else ""
    concern = Concern.objects.filter(reference=normalised).first() if normalised else None
    code = receipt_code if isinstance(receipt_code, str) else ""
    stored = concern.receipt_code_hash if concern is not None else _NO_CONCERN_HASH
    if not receipt_code_matches(code, stored) or concern is None:
        raise ReceiptNotRecognised
    return concern


def concern_follow_up(*, reference: str, receipt_code: str, text: str) -> AdditionalInformation:
    """Add the reporter's further information to their concern, if the reference and code match.

    Raises ConcernInvalid for empty or overlong text, and ReceiptNotRecognised, always with the same
    message, for an unknown reference or a wrong code.
    """
    cleaned = text.strip() if isinstance(text, str) else ""
    if not cleaned:
        raise ConcernInvalid([{"field": "text", "message": "Enter the information you want to add"}])
    if len(cleaned) > FOLLOW_UP_MAX_LENGTH:
        raise ConcernInvalid(
            [{"field": "text", "message": f"Keep this to {FOLLOW_UP_MAX_LENGTH} characters or fewer"}]
        )
    try:
        text_readable(cleaned)
    except ValueError:
        raise ConcernInvalid(
            [{"field": "text", "message": "This contains characters that cannot be read"}]
        ) from None
    concern = _concern_by_receipt(reference=reference, receipt_code=receipt_code)
    with transaction.atomic():
        added = AdditionalInformation.objects.create(concern=concern, text=cleaned)
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            target=added,
            subject=concern,
            summary=f"Information added to concern {concern.reference} by the reporter",
            data={"source": AdditionalInformation.Source.FOLLOW_UP},
        )
        concern_changed_on_commit(concern_id=concern.pk, what="information_added")
    return added


RECEIPT_STATUS_RECEIVED = "received"
RECEIPT_STATUS_LOOKED_AT = "being looked at"


def concern_receipt_status(*, reference: str, receipt_code: str) -> str:
    """What a reporter may know of their concern: "received", or "being looked at". Nothing more."""
    concern = _concern_by_receipt(reference=reference, receipt_code=receipt_code)
    # Only the status is read, but it is still a read of the concern: it goes in the audit trail.
    audit_record(
        kind=AuditEvent.Kind.VIEWED,
        target=concern,
        summary=f"Concern {concern.reference} status checked by the reporter with their receipt code",
    )
    return RECEIPT_STATUS_RECEIVED if concern.status == Concern.Status.RECEIVED else RECEIPT_STATUS_LOOKED_AT
