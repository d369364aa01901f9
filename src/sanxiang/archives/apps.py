from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "sanxiang.archives"
    verbose_name = "案卷与归档"

    def ready(self) -> None:
        # The cases services refuse writes on an archived case; the cases app cannot import
        # this app (data flows one way), so this app hands it the check.
        from sanxiang.cases.hooks import register_after_transition
        from sanxiang.cases.state import register_case_lock
        from sanxiang.records import immutability

        from .services import archived_lock, on_transition
        from .triggers import ARCHIVES_PROTECTED_TABLES

        register_case_lock(archived_lock)
        register_after_transition(on_transition)
        # So that `sanxiang verify` also checks that the assemblies' triggers are in place.
        immutability.PROTECTED_TABLES.update(ARCHIVES_PROTECTED_TABLES)
