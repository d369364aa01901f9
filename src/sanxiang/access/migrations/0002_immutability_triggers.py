"""Confidentiality marks are append-only (001 河南全过程记录办法 第二十五条). See
sanxiang.access.triggers."""

from django.db import migrations

from sanxiang.access.triggers import MARK_MESSAGE, MARK_TABLE
from sanxiang.records.immutability import protect


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
    ]

    operations = [
        protect(MARK_TABLE, MARK_MESSAGE),
    ]
