from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "sanxiang.workbench"
    verbose_name = "工作台"
