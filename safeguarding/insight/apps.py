from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "safeguarding.insight"
    verbose_name = "Insight: concern statistics for staff"
