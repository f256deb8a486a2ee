from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "safeguarding.concerns"
    verbose_name = "Safeguarding concerns"

    def ready(self) -> None:
        from safeguarding.audit.watch import config_changes_audit

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
