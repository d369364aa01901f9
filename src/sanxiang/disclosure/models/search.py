"""The public portal's search index over published decisions."""

__all__: list[str] = []
