"""Preparing, publishing, discarding and withdrawing a quarter's public statistics. Every change is
audited, and each is refused unless the user is a partnership manager (permissions.py)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .disclosure import DisclosureError, release_make
from .models import Publication, PublicationCell
from .permissions import statistics_check
from .quarters import Quarter
from .selectors import publication_release, publications_earlier, quarter_figures

REPLACED = "Replaced by a new publication of the same quarter."


def release_for(*, quarter: Quarter) -> tuple[Any, Any]:
    """The quarter's figures and what disclosure control lets the public see of them now."""
    figures = quarter_figures(quarter=quarter)
    earlier = [publication_release(publication) for publication in publications_earlier(quarter=quarter)]
    release = release_make(
        figures.values,
        figures.equations,
        threshold=settings.STATISTICS_THRESHOLD,
        rounding=settings.STATISTICS_ROUNDING,
        earlier=earlier,
    )
    return figures, release


@transaction.atomic
def publication_prepare(*, quarter: Quarter, user: Any) -> Publication:
    """Freeze the quarter's figures, with disclosure control applied, as a draft for review (any
    earlier draft of the quarter is replaced)."""
    statistics_check(user)
    if not quarter.has_ended():
        raise ValidationError("This quarter has not ended yet. You can publish it once it has ended.")
    try:
        figures, release = release_for(quarter=quarter)
    except DisclosureError as error:
        raise ValidationError(
            "These figures cannot be published: with the figures published for this quarter before, a "
            "number smaller than the threshold could be worked out whatever else is withheld. The "
            "earlier figures stay published."
        ) from error
    Publication.objects.filter(quarter=str(quarter), state=Publication.State.DRAFT).delete()
    publication = Publication.objects.create(
        quarter=str(quarter),
        threshold=release.threshold,
        rounding=release.rounding,
        is_demo=figures.is_demo,
        layout=[table.as_layout() for table in figures.tables],
        prepared_by=user,
    )
    PublicationCell.objects.bulk_create(
        PublicationCell(
            publication=publication,
            key=table.key(row, column),
            table=table.name,
            row=row,
            column=column,
            value=release.values[table.key(row, column)],
            status=release.statuses[table.key(row, column)],
            shown=release.shown[table.key(row, column)],
        )
        for table in figures.tables
        for row, _ in table.rows
        for column, _ in table.columns
    )
    audit_record(
        kind=AuditEvent.Kind.CREATED,
        actor=user,
        target=publication,
        summary=f"Statistics for {quarter} prepared for review",
        data={"quarter": str(quarter), "withheld": sum(1 for s in release.statuses.values() if s != "shown")},
    )
    return publication


@transaction.atomic
def publication_publish(*, publication: Publication, user: Any) -> Publication:
    """Publish a reviewed draft; a publication of the same quarter already public is withdrawn."""
    statistics_check(user)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.state != Publication.State.DRAFT:
        raise ValidationError("Only figures waiting for review can be published.")
    if Publication.objects.filter(
        quarter=publication.quarter, published_at__gt=publication.prepared_at
    ).exists():
        raise ValidationError(
            "This quarter was published after these figures were prepared. Prepare them again."
        )
    now = timezone.now()
    for old in Publication.objects.select_for_update().filter(
        quarter=publication.quarter, state=Publication.State.PUBLISHED
    ):
        _withdraw(old, user=user, reason=REPLACED, now=now)
    publication.state = Publication.State.PUBLISHED
    publication.published_by, publication.published_at = user, now
    publication.save(update_fields=["state", "published_by", "published_at"])
    audit_record(
        kind=AuditEvent.Kind.UPDATED,
        actor=user,
        target=publication,
        summary=f"Statistics for {publication.quarter} published",
        changes={"state": [Publication.State.DRAFT, Publication.State.PUBLISHED]},
    )
    return publication


@transaction.atomic
def publication_discard(*, publication: Publication, user: Any) -> None:
    statistics_check(user)
    if publication.state != Publication.State.DRAFT:
        raise ValidationError("Only figures waiting for review can be discarded.")
    audit_record(
        kind=AuditEvent.Kind.DELETED,
        actor=user,
        target=publication,
        summary=f"Draft statistics for {publication.quarter} discarded",
    )
    publication.delete()


@transaction.atomic
def publication_withdraw(*, publication: Publication, user: Any, reason: str) -> Publication:
    """Take a published quarter off the public pages, saying why."""
    statistics_check(user)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.state != Publication.State.PUBLISHED:
        raise ValidationError("Only published figures can be withdrawn.")
    _withdraw(publication, user=user, reason=reason, now=timezone.now())
    return publication


def _withdraw(publication: Publication, *, user: Any, reason: str, now: Any) -> None:
    publication.state = Publication.State.WITHDRAWN
    publication.withdrawn_by, publication.withdrawn_at, publication.withdrawn_reason = user, now, reason[:500]
    publication.save(update_fields=["state", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
    audit_record(
        kind=AuditEvent.Kind.UPDATED,
        actor=user,
        target=publication,
        summary=f"Statistics for {publication.quarter} withdrawn",
        changes={"state": [Publication.State.PUBLISHED, Publication.State.WITHDRAWN]},
        data={"reason": reason[:500]},
    )
