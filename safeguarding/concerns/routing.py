"""Routing a new concern to the teams that must see it, by the administrators' rules.

Every active rule is applied in order; each that matches routes the concern to its team and/or marks
it urgent, and leaves a ConcernRoute saying which rule did it and why in plain words. A concern that
no rule sends to any team goes to every front door (children's and adults'), so nothing is left
unseen because of a mis-set rule.
"""

import logging

from django.utils import timezone

from .models import About, Concern, ConcernRoute, RoutingRule, Team

logger = logging.getLogger(__name__)

_ABOUT_WORDS: dict[str, str] = {
    About.CHILD: "it is about a child",
    About.ADULT: "it is about an adult",
    About.NOT_SURE: "the person reporting was not sure whether it is about a child or an adult",
}
FRONT_DOOR_KINDS = (Team.Kind.CHILDREN_FRONT_DOOR, Team.Kind.ADULT_SOCIAL_CARE)


def _rule_reasons(rule: RoutingRule, concern: Concern) -> list[str] | None:
    """Why `rule` matches `concern`, condition by condition; None if it does not match."""
    reasons = []
    if rule.about_in:
        if concern.about not in rule.about_in:
            return None
        reasons.append(_ABOUT_WORDS.get(concern.about, concern.about))
    if rule.immediate_danger is not None:
        if concern.immediate_danger != rule.immediate_danger:
            return None
        reasons.append(
            "someone is in immediate danger" if concern.immediate_danger else "no immediate danger"
        )
    if rule.has_exploitation_signs is not None:
        if bool(concern.signs) != rule.has_exploitation_signs:
            return None
        reasons.append("signs of exploitation were ticked" if concern.signs else "no signs of exploitation")
    return reasons or ["the rule applies to every concern"]


def concern_route(concern: Concern) -> list[ConcernRoute]:
    """Apply the active rules to a saved concern; returns the routes recorded. Call in its transaction."""
    now = timezone.now()
    routes: list[ConcernRoute] = []
    routed_team_ids: set[int] = set()
    urgent = concern.urgent
    for rule in RoutingRule.objects.filter(active=True).select_related("team").order_by("order", "id"):
        reasons = _rule_reasons(rule, concern)
        if reasons is None:
            continue
        reason = f"{rule.name}: {', and '.join(reasons)}."
        if rule.team_id is not None and rule.team_id not in routed_team_ids:
            routed_team_ids.add(rule.team_id)
            routes.append(
                ConcernRoute(concern=concern, team=rule.team, rule=rule, reason=reason, routed_at=now)
            )
        if rule.mark_urgent and not urgent:
            urgent = True
            routes.append(
                ConcernRoute(concern=concern, marked_urgent=True, rule=rule, reason=reason, routed_at=now)
            )
    if not routed_team_ids:
        for team in Team.objects.filter(kind__in=FRONT_DOOR_KINDS).order_by("kind", "id"):
            routes.append(
                ConcernRoute(
                    concern=concern,
                    team=team,
                    reason="No routing rule sent this concern to a team, so it went to every front door.",
                    routed_at=now,
                )
            )
        if not routes or all(route.team_id is None for route in routes):
            # No id or content in the message: just enough for an administrator to act.
            logger.error("A concern was received but no team exists to route it to. Set up teams.")
    for route in routes:
        route.copy_from_concern()  # bulk_create does not call save()
    ConcernRoute.objects.bulk_create(routes)
    if urgent != concern.urgent:
        concern.urgent = urgent
        Concern.objects.filter(pk=concern.pk).update(urgent=True)
    return routes
