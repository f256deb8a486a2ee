from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "safeguarding.insight"
    verbose_name = "Insight: concern statistics for staff"

    def ready(self) -> None:
        from .receivers import receivers_connect

        receivers_connect()
