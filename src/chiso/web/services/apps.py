from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "chiso.web.services"
    label = "services"
    verbose_name = "Chỉ số phục vụ người dân, doanh nghiệp"
