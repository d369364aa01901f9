from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sanxiang.review"
    verbose_name = "重大执法决定法制审核"

    def ready(self) -> None:
        # The cases app builds the engine's view of a case; it cannot import this app (data
        # flows one way), so this app hands it the real review status.
        from sanxiang.cases.state import register_review_status_provider

        from .gate import review_status

        register_review_status_provider(review_status)
