from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "fazhi.apps.assessment"
    label = "assessment"
    verbose_name = "积分考评"
