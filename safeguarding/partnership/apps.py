from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "safeguarding.partnership"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from safeguarding.audit.watch import config_changes_audit
        from safeguarding.core.page_cache import content_models_watch

        from .models import ContactPoint

        content_models_watch(self)  # every public page shows the partnership's name; Get help its contacts
        # Where the public is told to call: audited wherever changed.
        config_changes_audit(
            ContactPoint,
            fields=["slug", "kind", "audience", "name", "organisation", "phone", "hours", "website", "order"],
        )
