from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "sanxiang.records"
    verbose_name = "防篡改记录（台账、存证与档案）"
