"""Every change the settings pages make, each validated and audited (who, what, before and after).
Callers import from here, never from the modules."""

from .contacts import contact_point_create, contact_point_delete, contact_point_update
from .decisions import (
    RETENTION_YEARS_MAX,
    decision_option_create,
    decision_option_set_active,
    decision_option_update,
)
from .partnership import (
    agency_create,
    agency_delete,
    agency_update,
    board_create,
    board_delete,
    board_update,
    partnership_update,
)
from .routing import routing_rule_create, routing_rule_move, routing_rule_set_active, routing_rule_update
from .teams import team_create, team_lead_set, team_member_add, team_member_remove, team_update
from .users import (
    password_link_resend,
    role_give,
    role_remove,
    user_create,
    user_reactivate,
    user_update,
)

__all__ = [
    "RETENTION_YEARS_MAX",
    "agency_create",
    "agency_delete",
    "agency_update",
    "board_create",
    "board_delete",
    "board_update",
    "contact_point_create",
    "contact_point_delete",
    "contact_point_update",
    "decision_option_create",
    "decision_option_set_active",
    "decision_option_update",
    "partnership_update",
    "password_link_resend",
    "role_give",
    "role_remove",
    "routing_rule_create",
    "routing_rule_move",
    "routing_rule_set_active",
    "routing_rule_update",
    "team_create",
    "team_lead_set",
    "team_member_add",
    "team_member_remove",
    "team_update",
    "user_create",
    "user_reactivate",
    "user_update",
]
