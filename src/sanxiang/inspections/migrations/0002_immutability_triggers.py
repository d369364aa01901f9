"""Draw results are append-only: the database refuses UPDATE and DELETE on the drawn targets
and the inspectors paired with them (002 第十三条; 000 全过程记录办法 第二十八条)."""

from django.db import migrations

from sanxiang.records.immutability import protect

RESULT_MESSAGE = "双随机抽取结果不可修改或删除（002 第十三条；000 全过程记录办法 第二十八条）"


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
    ]

    operations = [
        protect("inspections_drawresult", RESULT_MESSAGE),
        protect("inspections_drawinspector", RESULT_MESSAGE),
    ]
