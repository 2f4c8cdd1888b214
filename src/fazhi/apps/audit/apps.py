from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fazhi.apps.audit"
    label = "audit"
    verbose_name = "审计"
