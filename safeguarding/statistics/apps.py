from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "safeguarding.statistics"
    verbose_name = "Public statistics with small numbers suppressed"
