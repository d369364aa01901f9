from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sanxiang.api"
    verbose_name = "接口"
