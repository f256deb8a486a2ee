"""The partnership pack (content/partnership.yaml): the partnership, its boards, agencies and contact points.

Boards and agencies are added or updated but never removed by a load, because reviews and
recommendations point at them; remove one in the admin. Contact points are configuration only, so
the pack is their source of truth: those it does not list are removed.
"""

from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator

from safeguarding.core.content_loading.errors import ContentLoadError, ContentProblem
from safeguarding.core.content_loading.fields import (
    PackModel,
    RequiredText20,
    RequiredText40,
    RequiredText200,
    Slug,
    Text,
    Text200,
    Url,
    none_to_empty_list,
)
from safeguarding.core.content_loading.source import file_read_bytes, utf8_decode
from safeguarding.core.content_loading.sync import ChangeSummary, record_upsert, records_remove
from safeguarding.core.content_loading.yaml_source import LocatedData, pack_validate, yaml_parse

from .models import Agency, Board, ContactPoint, Partnership


class PartnershipDetails(PackModel):
    name: RequiredText200
    area: RequiredText200
    about: Text = ""


class BoardPack(PackModel):
    slug: Slug
    name: RequiredText200
    short_name: RequiredText20
    kind: Board.Kind
    website: Url = ""


class AgencyPack(PackModel):
    slug: Slug
    name: RequiredText200
    sector: Agency.Sector = Agency.Sector.OTHER


class ContactPointPack(PackModel):
    slug: Slug
    kind: ContactPoint.Kind
    audience: ContactPoint.Audience
    name: RequiredText200
    organisation: Text200 = ""
    phone: RequiredText40
    hours: RequiredText200
    description: Text = ""
    website: Url = ""


class PartnershipPack(PackModel):
    partnership: PartnershipDetails
    boards: Annotated[list[BoardPack], BeforeValidator(none_to_empty_list)] = []
    agencies: Annotated[list[AgencyPack], BeforeValidator(none_to_empty_list)] = []
    contact_points: Annotated[list[ContactPointPack], BeforeValidator(none_to_empty_list)] = []


def _duplicates(located: LocatedData, section: str, key: str, values: list[str]) -> list[ContentProblem]:
    problems = []
    first: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in first:
            first_line = located.position((section, first[value], key))[0]
            problems.append(
                located.problem(
                    (section, index, key), f"{value!r} is used twice (first on line {first_line})"
                )
            )
        first.setdefault(value, index)
    return problems


def partnership_pack_check(*, path: Path) -> PartnershipPack:
    """The pack read, validated and checked against the database, or a ContentLoadError."""
    file = str(path)
    located = yaml_parse(text=utf8_decode(data=file_read_bytes(path=path), file=file), file=file)
    pack = pack_validate(located=located, model=PartnershipPack)
    problems = []
    problems += _duplicates(located, "boards", "slug", [b.slug for b in pack.boards])
    problems += _duplicates(located, "agencies", "slug", [a.slug for a in pack.agencies])
    problems += _duplicates(located, "agencies", "name", [a.name for a in pack.agencies])
    problems += _duplicates(located, "contact_points", "slug", [c.slug for c in pack.contact_points])
    # Agency names are unique: a name already held by an agency with another slug would clash.
    for index, agency in enumerate(pack.agencies):
        clash = Agency.objects.filter(name=agency.name).exclude(slug=agency.slug).first()
        if clash:
            problems.append(
                located.problem(
                    ("agencies", index, "name"), f"the agency {clash.slug!r} already has this name"
                )
            )
    if problems:
        raise ContentLoadError(problems)
    return pack


def partnership_pack_write(*, pack: PartnershipPack, summary: ChangeSummary) -> Partnership:
    """Write a checked pack. Call inside a transaction, after `partnership_pack_check`."""
    partnership, _ = record_upsert(
        model=Partnership,
        existing=Partnership.objects.filter(pk=1).first(),
        values={
            "id": 1,
            "name": pack.partnership.name,
            "area": pack.partnership.area,
            "about": pack.partnership.about,
        },
        summary=summary,
    )
    boards = {b.slug: b for b in Board.objects.all()}
    for item in pack.boards:
        values: dict[str, object] = {
            "slug": item.slug,
            "name": item.name,
            "short_name": item.short_name,
            "kind": item.kind.value,
            "website": item.website,
        }
        record_upsert(model=Board, existing=boards.get(item.slug), values=values, summary=summary)
    agencies = {a.slug: a for a in Agency.objects.all()}
    for agency in pack.agencies:
        values = {"slug": agency.slug, "name": agency.name, "sector": agency.sector.value}
        record_upsert(model=Agency, existing=agencies.get(agency.slug), values=values, summary=summary)
    contacts = {c.slug: c for c in ContactPoint.objects.all()}
    for order, contact in enumerate(pack.contact_points):
        values = {
            "slug": contact.slug,
            "kind": contact.kind.value,
            "audience": contact.audience.value,
            "name": contact.name,
            "organisation": contact.organisation,
            "phone": contact.phone,
            "hours": contact.hours,
            "description": contact.description,
            "website": contact.website,
            "order": order,
        }
        record_upsert(model=ContactPoint, existing=contacts.get(contact.slug), values=values, summary=summary)
    records_remove(
        queryset=ContactPoint.objects.exclude(slug__in=[c.slug for c in pack.contact_points]), summary=summary
    )
    return partnership
