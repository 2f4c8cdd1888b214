from django.apps import AppConfig


class BureauConfig(AppConfig):
    name = "fazhi.apps.bureau"
    label = "bureau"
    verbose_name = "本局设置"
