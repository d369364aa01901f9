from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sanxiang.cases"
    verbose_name = "执法案件"

    def ready(self) -> None:
        # So that `sanxiang verify` also checks that the signed-record triggers are in place.
        from sanxiang.records import immutability

        from .triggers import CASES_PROTECTED_TABLES

        immutability.PROTECTED_TABLES.update(CASES_PROTECTED_TABLES)
