from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PlansConfig(AppConfig):
    name = "chiso.web.plans"
    label = "plans"
    verbose_name = pgettext_lazy("app name", "Kế hoạch nâng cao chỉ số")
