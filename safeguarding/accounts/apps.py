from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguarding.accounts"
    verbose_name = "Staff accounts"
