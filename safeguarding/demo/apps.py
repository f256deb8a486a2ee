from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safeguarding.demo"
    verbose_name = "Demo data"
