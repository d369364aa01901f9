"""An archived case file is read-only; assemblies and their items are append-only
(000 全过程记录办法 第二十八条). See sanxiang.archives.triggers."""

from django.db import migrations

from sanxiang.archives.triggers import protect_assemblies, protect_case_files


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0001_initial"),
    ]

    operations = [
        protect_case_files(),
        *protect_assemblies(),
    ]
