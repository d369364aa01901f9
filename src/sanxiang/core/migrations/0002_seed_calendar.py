"""Seed the working-day calendar for 2004–2026 from the chinesecalendar package."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from sanxiang.core.calendar_seed import seed_years


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    seed_years(2004, 2026, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    # Reversing leaves the rows: 0001's reversal drops the tables anyway, and years entered
    # by hand must not be deleted by a partial rollback.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
