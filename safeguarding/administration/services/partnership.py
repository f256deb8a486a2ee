"""The partnership itself (its name, area and the paragraph about it), its boards and its agencies.

The partnership's name is in the header of every page: the page cache watches the partnership app's
models (core.page_cache, decision 0021), so every page shows a change at once. A board's or agency's
slug is made from its name when it is added and never changes (the partnership pack matches records
by it). A board or agency is removed only while nothing names it; anything that does keeps it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from safeguarding.partnership.models import Agency, Board, Partnership

from ..selectors import record_references, references_in_words
from ._audit import config_delete, config_save
from ._slugs import slug_unused

PARTNERSHIP_FIELDS = ["name", "area", "about"]
BOARD_FIELDS = ["slug", "name", "short_name", "kind", "website"]
AGENCY_FIELDS = ["slug", "name", "sector"]


def _stripped(values: dict[str, Any]) -> dict[str, Any]:
    return {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}


def partnership_update(*, by: Any, name: str, area: str, about: str) -> Partnership:
    """Change the partnership's name, area or about paragraph (the one row, made if none is there)."""
    values = _stripped({"name": name, "area": area, "about": about})
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the name of the partnership"
    if not values["area"]:
        errors["area"] = "Enter the area the partnership serves"
    if errors:
        raise ValidationError(errors)
    current = Partnership.objects.filter(pk=1).first() or Partnership()
    partnership, _ = config_save(
        instance=current, values=values, fields=PARTNERSHIP_FIELDS, by=by, noun="Partnership"
    )
    return partnership


def _name_taken(model: type[models.Model], name: str, record: models.Model | None) -> bool:
    others = model._default_manager.exclude(pk__in=[record.pk] if record else [])
    return others.filter(name__iexact=name).exists()


def _board_values(values: dict[str, Any], board: Board | None) -> dict[str, Any]:
    values = _stripped(values)
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the name of the board"
    elif _name_taken(Board, values["name"], board):
        errors["name"] = "A board with this name already exists"
    if not values["short_name"]:
        errors["short_name"] = "Enter the board's short name, like NSCP"
    if values["kind"] not in Board.Kind.values:
        errors["kind"] = "Select what kind of board it is"
    if errors:
        raise ValidationError(errors)
    return values


def board_create(*, by: Any, name: str, short_name: str, kind: str, website: str) -> Board:
    values = _board_values({"name": name, "short_name": short_name, "kind": kind, "website": website}, None)
    values["slug"] = slug_unused(Board, values["name"], fallback="board")
    board, _ = config_save(instance=Board(), values=values, fields=BOARD_FIELDS, by=by, noun="Board")
    return board


def board_update(*, board: Board, by: Any, name: str, short_name: str, kind: str, website: str) -> Board:
    """Change a board's details. Its slug stays as it was made."""
    values = _board_values({"name": name, "short_name": short_name, "kind": kind, "website": website}, board)
    board, _ = config_save(instance=board, values=values, fields=BOARD_FIELDS, by=by, noun="Board")
    return board


def _agency_values(values: dict[str, Any], agency: Agency | None) -> dict[str, Any]:
    values = _stripped(values)
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the name of the agency"
    elif _name_taken(Agency, values["name"], agency):
        errors["name"] = "An agency with this name already exists"
    if values["sector"] not in Agency.Sector.values:
        errors["sector"] = "Select the agency's sector"
    if errors:
        raise ValidationError(errors)
    return values


def agency_create(*, by: Any, name: str, sector: str) -> Agency:
    values = _agency_values({"name": name, "sector": sector}, None)
    values["slug"] = slug_unused(Agency, values["name"], fallback="agency")
    agency, _ = config_save(instance=Agency(), values=values, fields=AGENCY_FIELDS, by=by, noun="Agency")
    return agency


def agency_update(*, agency: Agency, by: Any, name: str, sector: str) -> Agency:
    """Change an agency's name or sector. Its slug stays as it was made."""
    values = _agency_values({"name": name, "sector": sector}, agency)
    agency, _ = config_save(instance=agency, values=values, fields=AGENCY_FIELDS, by=by, noun="Agency")
    return agency


def _unnamed_delete(*, record: Board | Agency, fields: list[str], noun: str, by: Any) -> None:
    """Remove a board or agency that nothing names. The audit event keeps what it held."""
    with transaction.atomic():
        # Locked, so nothing can start naming it between the check and the delete.
        record = type(record)._default_manager.select_for_update().get(pk=record.pk)
        references = record_references(record)
        if references:
            raise ValidationError(
                f"This {noun.lower()} cannot be removed: {references_in_words(references)} name it."
            )
        config_delete(instance=record, fields=fields, by=by, noun=noun)


def board_delete(*, board: Board, by: Any) -> None:
    _unnamed_delete(record=board, fields=BOARD_FIELDS, noun="Board", by=by)


def agency_delete(*, agency: Agency, by: Any) -> None:
    _unnamed_delete(record=agency, fields=AGENCY_FIELDS, noun="Agency", by=by)
