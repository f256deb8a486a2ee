from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "safeguarding.partnership"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from safeguarding.audit.watch import config_changes_audit
        from safeguarding.core.page_cache import content_models_watch

        from .models import Agency, Board, ContactPoint, Partnership

        content_models_watch(self)  # every public page shows the partnership's name; Get help its contacts
        # What the settings pages change, audited wherever else it is changed too (the Django admin, a
        # pack load); the settings pages write their own fuller events (decision 0031).
        config_changes_audit(Partnership, fields=["name", "area", "about"])
        config_changes_audit(Board, fields=["slug", "name", "short_name", "kind", "website"])
        config_changes_audit(Agency, fields=["slug", "name", "sector"])
        # Where the public is told to call: audited wherever changed.
        config_changes_audit(
            ContactPoint,
            fields=["slug", "kind", "audience", "name", "organisation", "phone", "hours", "website", "order"],
        )
