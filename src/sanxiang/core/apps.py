from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanxiang.core"
    verbose_name = "基础配置（工作日历与辖区规则）"
