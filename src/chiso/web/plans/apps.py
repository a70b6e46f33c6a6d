from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "chiso.web.plans"
    label = "plans"
    verbose_name = "Kế hoạch nâng cao chỉ số"
