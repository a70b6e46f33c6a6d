from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ArchiveConfig(AppConfig):
    name = "chiso.web.archive"
    label = "archive"
    verbose_name = pgettext_lazy("app name", "Kho kết quả đã công bố")
