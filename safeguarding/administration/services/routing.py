"""Routing rules: added, changed, moved up or down, switched off or on. Never deleted (past routes
name their rule). The rules themselves are applied by `concerns.routing.concern_route`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.audit.watch import audited_elsewhere
from safeguarding.concerns.models import About, RoutingRule, Team

from ._audit import config_save

RULE_FIELDS = [
    "order",
    "name",
    "active",
    "about_in",
    "immediate_danger",
    "has_exploitation_signs",
    "team",
    "mark_urgent",
]
ORDER_STEP = 10


def _rule_values(
    *,
    name: str,
    about_in: list[str],
    immediate_danger: bool | None,
    has_exploitation_signs: bool | None,
    team: Team | None,
    mark_urgent: bool,
) -> dict[str, Any]:
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter a name for the rule"
    unknown = [code for code in about_in if code not in About.values]
    if unknown:
        errors["about_in"] = "Select who the concern is about from the list"
    if team is None and not mark_urgent:
        errors["team"] = "Select a team to send matching concerns to, or mark them urgent"
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        # Stored in the order of the choices, so an unchanged rule shows no change.
        "about_in": [code for code in About.values if code in about_in],
        "immediate_danger": immediate_danger,
        "has_exploitation_signs": has_exploitation_signs,
        "team": team,
        "mark_urgent": mark_urgent,
    }


def routing_rule_create(
    *,
    by: Any,
    name: str,
    about_in: list[str],
    immediate_danger: bool | None,
    has_exploitation_signs: bool | None,
    team: Team | None,
    mark_urgent: bool,
) -> RoutingRule:
    """Add an active rule, after the others."""
    values = _rule_values(
        name=name,
        about_in=about_in,
        immediate_danger=immediate_danger,
        has_exploitation_signs=has_exploitation_signs,
        team=team,
        mark_urgent=mark_urgent,
    )
    last = RoutingRule.objects.aggregate(last=Max("order"))["last"] or 0
    values["order"] = last + ORDER_STEP
    rule, _ = config_save(
        instance=RoutingRule(), values=values, fields=RULE_FIELDS, by=by, noun="Routing rule"
    )
    return rule


def routing_rule_update(
    *,
    rule: RoutingRule,
    by: Any,
    name: str,
    about_in: list[str],
    immediate_danger: bool | None,
    has_exploitation_signs: bool | None,
    team: Team | None,
    mark_urgent: bool,
) -> RoutingRule:
    values = _rule_values(
        name=name,
        about_in=about_in,
        immediate_danger=immediate_danger,
        has_exploitation_signs=has_exploitation_signs,
        team=team,
        mark_urgent=mark_urgent,
    )
    rule, _ = config_save(instance=rule, values=values, fields=RULE_FIELDS, by=by, noun="Routing rule")
    return rule


def routing_rule_set_active(*, rule: RoutingRule, active: bool, by: Any) -> RoutingRule:
    """Switch a rule on or off. A rule switched off routes nothing from now on."""
    rule, _ = config_save(
        instance=rule, values={"active": active}, fields=RULE_FIELDS, by=by, noun="Routing rule"
    )
    return rule


def routing_rule_move(*, rule: RoutingRule, direction: str, by: Any) -> RoutingRule:
    """Move a rule one place up or down; every rule is then numbered 10, 20, 30... in its new order."""
    if direction not in ("up", "down"):
        raise ValidationError("Choose to move the rule up or down.")
    with transaction.atomic(), audited_elsewhere():
        rules = list(RoutingRule.objects.select_for_update().order_by("order", "id"))
        index = next(i for i, r in enumerate(rules) if r.pk == rule.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(rules):
            return rule
        rules[index], rules[other] = rules[other], rules[index]
        moved = []
        for position, each in enumerate(rules, start=1):
            order = position * ORDER_STEP
            if each.order != order:
                moved.append([each.pk, each.order, order])
                each.order = order
                each.save(update_fields=["order"])
        audit_record(
            kind=AuditEvent.Kind.UPDATED,
            actor=by,
            target=rule,
            summary=f"Routing rule “{rule.name}” moved {direction} in the settings pages",
            changes={"position": [index + 1, other + 1]},
            data={"orders": moved},
        )
    rule.refresh_from_db()
    return rule
