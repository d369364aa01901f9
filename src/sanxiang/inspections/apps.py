from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "sanxiang.inspections"
    verbose_name = "双随机、一公开"

    def ready(self) -> None:
        # So that `sanxiang verify` also checks that the draw results' triggers are in place.
        from sanxiang.records import immutability

        from .triggers import INSPECTIONS_PROTECTED_TABLES

        immutability.PROTECTED_TABLES.update(INSPECTIONS_PROTECTED_TABLES)
