from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ServicesConfig(AppConfig):
    name = "chiso.web.services"
    label = "services"
    verbose_name = pgettext_lazy("app name", "Chỉ số phục vụ người dân, doanh nghiệp")
