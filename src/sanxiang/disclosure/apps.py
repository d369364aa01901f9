from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "sanxiang.disclosure"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        # So that `sanxiang verify` also checks the publication-version triggers.
        from sanxiang.records import immutability

        from .triggers import DISCLOSURE_PROTECTED_TABLES

        immutability.PROTECTED_TABLES.update(DISCLOSURE_PROTECTED_TABLES)
