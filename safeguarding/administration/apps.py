from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "safeguarding.administration"
    verbose_name = "Settings pages for administrators"
