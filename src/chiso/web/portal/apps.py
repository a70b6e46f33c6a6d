from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "chiso.web.portal"
    label = "portal"
    verbose_name = "Công bố"
