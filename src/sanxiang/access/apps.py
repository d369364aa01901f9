from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sanxiang.access"
    verbose_name = "保密标识与调阅复制"
