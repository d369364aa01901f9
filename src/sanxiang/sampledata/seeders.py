"""The seeders of the areas above `org`, run after the organisations exist."""

from __future__ import annotations

from sanxiang.catalog.seed import seed_catalog
from sanxiang.org.models import Agency
from sanxiang.org.seed import Writer


def seed_lists(stdout: Writer | None) -> None:
    """权责清单, 裁量基准 and the other published lists of every agency with a template."""
    seed_catalog(Agency.objects.all(), stdout=stdout)
