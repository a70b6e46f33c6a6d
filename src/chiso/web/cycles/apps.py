from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "chiso.web.cycles"
    label = "cycles"
    verbose_name = "Kỳ đánh giá"
