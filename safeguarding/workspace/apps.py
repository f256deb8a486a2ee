from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "safeguarding.workspace"
    verbose_name = "The staff side's home: each role's landing page and the staff menu"
