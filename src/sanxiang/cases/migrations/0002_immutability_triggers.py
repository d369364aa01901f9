"""Signatures are append-only; a record refuses DELETE always and UPDATE once signed
(000 全过程记录办法 第二十八条; 004 第十三条). See sanxiang.cases.triggers."""

from django.db import migrations

from sanxiang.cases.triggers import protect_records, protect_signatures


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        protect_signatures(),
        protect_records(),
    ]
