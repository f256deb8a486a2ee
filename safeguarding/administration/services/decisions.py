"""Decision options a triage worker chooses from, with how long a concern decided so is kept.

Options are switched off, never deleted (past decisions keep their option). An option's code is what
the audit trail records of a decision, so once any decision uses it, it stays.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max

from safeguarding.concerns.models import DecisionOption

from ._audit import config_save
from ._slugs import slug_unused

OPTION_FIELDS = ["name", "code", "active", "order", "applies_to", "retention_years", "closes_concern"]
RETENTION_YEARS_MAX = 100


def _option_values(
    *, name: str, applies_to: str, retention_years: int | None, closes_concern: bool
) -> dict[str, Any]:
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter a name for the decision"
    if applies_to not in DecisionOption.AppliesTo.values:
        errors["applies_to"] = "Select which concerns the decision is for"
    if retention_years is None:
        errors["retention_years"] = "Enter how many years a concern decided this way is kept"
    elif not 1 <= retention_years <= RETENTION_YEARS_MAX:
        errors["retention_years"] = f"Years kept must be between 1 and {RETENTION_YEARS_MAX}"
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "applies_to": applies_to,
        "retention_years": retention_years,
        "closes_concern": closes_concern,
    }


def decision_option_create(
    *, by: Any, name: str, applies_to: str, retention_years: int | None, closes_concern: bool
) -> DecisionOption:
    """Add an active option, after the others; its code is made from its name."""
    values = _option_values(
        name=name, applies_to=applies_to, retention_years=retention_years, closes_concern=closes_concern
    )
    last = DecisionOption.objects.aggregate(last=Max("order"))["last"] or 0
    values |= {
        "order": last + 10,
        "code": slug_unused(DecisionOption, values["name"], fallback="decision", field="code"),
    }
    option, _ = config_save(
        instance=DecisionOption(), values=values, fields=OPTION_FIELDS, by=by, noun="Decision option"
    )
    return option


def decision_option_update(
    *,
    option: DecisionOption,
    by: Any,
    name: str,
    applies_to: str,
    retention_years: int | None,
    closes_concern: bool,
) -> DecisionOption:
    """Change an option. Its retention period applies to concerns decided from now on."""
    values = _option_values(
        name=name, applies_to=applies_to, retention_years=retention_years, closes_concern=closes_concern
    )
    option, _ = config_save(
        instance=option, values=values, fields=OPTION_FIELDS, by=by, noun="Decision option"
    )
    return option


def decision_option_set_active(*, option: DecisionOption, active: bool, by: Any) -> DecisionOption:
    """Offer an option again, or stop offering it. Past decisions keep it either way."""
    if not active and not DecisionOption.objects.filter(active=True).exclude(pk=option.pk).exists():
        raise ValidationError("Keep at least one decision switched on, or nothing can be decided.")
    option, _ = config_save(
        instance=option, values={"active": active}, fields=OPTION_FIELDS, by=by, noun="Decision option"
    )
    return option
