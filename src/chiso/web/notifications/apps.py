from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "chiso.web.notifications"
    label = "notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from chiso.web.core import panels
        from chiso.web.notifications.views import account_panel

        panels.register("accounts.page", "notifications.inbox", account_panel)
