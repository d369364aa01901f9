from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "sanxiang.org"
    verbose_name = "执法主体与人员"
