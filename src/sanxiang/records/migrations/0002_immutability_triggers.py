"""Refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the ledger, its checkpoints and
the stored-file metadata, on SQLite and PostgreSQL alike (000 全过程记录办法 第二十八条).

The messages are written out here (not imported) so that this migration stays what it was
when applied; keep them equal to sanxiang.records.immutability.PROTECTED_TABLES."""

from django.db import migrations

from sanxiang.records.immutability import protect


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
    ]

    operations = [
        protect("records_ledgerentry", "台账记录不可修改或删除（000 全过程记录办法 第二十八条）"),
        protect("records_checkpoint", "签名检查点不可修改或删除（000 全过程记录办法 第二十八条）"),
        protect(
            "records_storedfile", "存储文件登记信息不可修改或删除（000 全过程记录办法 第二十八条）"
        ),
    ]
