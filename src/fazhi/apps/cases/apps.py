from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fazhi.apps.cases"
    label = "cases"
    verbose_name = "案件"
