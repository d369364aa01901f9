from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "sanxiang.disclosure"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        # So that `sanxiang verify` also checks the publication-version triggers.
        from sanxiang.records import immutability

        from .triggers import DISCLOSURE_PROTECTED_TABLES

        immutability.PROTECTED_TABLES.update(DISCLOSURE_PROTECTED_TABLES)

        # A decision issued (or an inspection result signed) gets its publication in the
        # same transaction (000 公示办法 第二十条; 002 第十八条).
        from sanxiang.cases import hooks

        from . import services

        hooks.register_after_transition(services.after_transition)
        hooks.register_after_signature(services.after_signature)
