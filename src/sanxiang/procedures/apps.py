from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "sanxiang.procedures"
    verbose_name = "执法程序"
