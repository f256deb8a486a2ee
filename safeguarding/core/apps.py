from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safeguarding.core"
    verbose_name = "Core"
