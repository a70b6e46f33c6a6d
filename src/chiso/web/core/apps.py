from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    """The layer under every app; its one model is the audit trail every app writes."""

    name = "chiso.web.core"
    label = "core"
    verbose_name = pgettext_lazy("app name", "Nhật ký thay đổi")
