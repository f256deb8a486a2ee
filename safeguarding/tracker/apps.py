from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "safeguarding.tracker"
    verbose_name = "Implementation tracker"
