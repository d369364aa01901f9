from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sanxiang.access"
    verbose_name = "保密标识与调阅复制"

    def ready(self) -> None:
        # So that `sanxiang verify` also checks that the mark table's triggers are in place.
        from sanxiang.records import immutability

        from .triggers import ACCESS_PROTECTED_TABLES

        immutability.PROTECTED_TABLES.update(ACCESS_PROTECTED_TABLES)
