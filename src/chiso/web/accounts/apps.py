from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chiso.web.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from chiso.web.accounts.middleware import remember_at_sign_in

        user_logged_in.connect(remember_at_sign_in, dispatch_uid="chiso.one_time_password")
