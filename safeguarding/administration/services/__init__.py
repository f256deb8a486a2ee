"""Every change the settings pages make, each validated and audited (who, what, before and after).
Callers import from here, never from the modules."""

from .decisions import (
    RETENTION_YEARS_MAX,
    decision_option_create,
    decision_option_set_active,
    decision_option_update,
)
from .routing import routing_rule_create, routing_rule_move, routing_rule_set_active, routing_rule_update
from .teams import team_create, team_lead_set, team_member_add, team_member_remove, team_update

__all__ = [
    "RETENTION_YEARS_MAX",
    "decision_option_create",
    "decision_option_set_active",
    "decision_option_update",
    "routing_rule_create",
    "routing_rule_move",
    "routing_rule_set_active",
    "routing_rule_update",
    "team_create",
    "team_lead_set",
    "team_member_add",
    "team_member_remove",
    "team_update",
]
