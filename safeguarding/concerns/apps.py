from typing import Any

from django.apps import AppConfig


def _concerns_menu_visible(user: Any) -> bool:
    """Only members of a receiving team: for anyone else the queues say "not a member of any team"."""
    from .permissions import user_teams

    return bool(user_teams(user))


def _concerns_waiting_count(user: Any) -> int:
    """Concerns in any of the user's teams waiting for a decision, each once (capped like the home's)."""
    from .permissions import user_teams
    from .selectors import concerns_waiting_count

    return concerns_waiting_count(teams=user_teams(user))


class ConcernsConfig(AppConfig):
    name = "safeguarding.concerns"
    verbose_name = "Safeguarding concerns"

    def ready(self) -> None:
        from safeguarding.audit.watch import config_changes_audit
        from safeguarding.core.staff_menu import StaffMenuItem, staff_menu_register

        from .models import DecisionOption, RoutingRule, Team

        # Who receives concerns, and how they are routed and decided: audited wherever changed.
        config_changes_audit(Team, fields=["name", "slug", "kind", "lead"], m2m=["members"])
        config_changes_audit(
            RoutingRule,
            fields=[
                "order",
                "name",
                "active",
                "about_in",
                "immediate_danger",
                "has_exploitation_signs",
                "team",
                "mark_urgent",
            ],
        )
        config_changes_audit(
            DecisionOption,
            fields=["name", "code", "active", "order", "applies_to", "retention_years", "closes_concern"],
        )
        staff_menu_register(
            StaffMenuItem(
                label="Concerns",
                url_name="concerns:team_list",
                order=10,
                visible=_concerns_menu_visible,
                count=_concerns_waiting_count,
                count_label="waiting for a decision",
            )
        )
