from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguarding.audit"
    verbose_name = "Audit trail"
