from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "chiso.web.archive"
    label = "archive"
    verbose_name = "Published archive"
