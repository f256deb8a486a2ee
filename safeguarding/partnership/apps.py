from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "safeguarding.partnership"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from safeguarding.core.page_cache import content_models_watch

        content_models_watch(self)  # every public page shows the partnership's name; Get help its contacts
