from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ServiceIndexConfig(AppConfig):
    """The monthly index of service to citizens and businesses (Decision 766). The package was
    called ``services``; its label stays ``services``, so existing databases keep their tables
    (``services_servicemonth``…) and their migrations' history."""

    name = "chiso.web.service_index"
    label = "services"
    verbose_name = pgettext_lazy("app name", "Chỉ số phục vụ người dân, doanh nghiệp")
