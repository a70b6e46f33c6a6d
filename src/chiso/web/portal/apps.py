from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "chiso.web.portal"
    label = "portal"
    verbose_name = "Công bố"

    def ready(self) -> None:
        """The boundary maps' panel on the administrator's page (the cycles app's)."""
        from chiso.web.core import panels
        from chiso.web.portal.map_views import manage_panel

        panels.register("cycles.manage", "portal.maps", manage_panel)
