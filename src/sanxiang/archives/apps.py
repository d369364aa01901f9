from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "sanxiang.archives"
    verbose_name = "案卷与归档"
