"""Publication versions are append-only (000 公示办法 第二十一条). See
sanxiang.disclosure.triggers."""

from django.db import migrations

from sanxiang.disclosure.triggers import VERSION_MESSAGE, VERSION_TABLE
from sanxiang.records.immutability import protect


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0001_initial"),
    ]

    operations = [
        protect(VERSION_TABLE, VERSION_MESSAGE),
    ]
