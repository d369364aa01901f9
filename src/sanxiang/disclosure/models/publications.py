"""Publications (公示), their versions and confidentiality reviews (保密审查)."""

__all__: list[str] = []
