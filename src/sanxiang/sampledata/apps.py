from django.apps import AppConfig


class SampledataConfig(AppConfig):
    """Top-layer orchestration of the synthetic data: each area's seed code, in order.
    It lives above the areas so that none of them imports a higher one."""

    name = "sanxiang.sampledata"
    verbose_name = "演示与合成数据"
