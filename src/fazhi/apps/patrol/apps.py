from django.apps import AppConfig


class PatrolConfig(AppConfig):
    name = "fazhi.apps.patrol"
    label = "patrol"
    verbose_name = "风险预警"
