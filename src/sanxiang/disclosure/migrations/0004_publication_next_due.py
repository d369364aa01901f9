# Publications: the publisher's next due date (publish, correct, withdraw) and the 待更正 status.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0003_publication_search"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="publication",
            name="publication_queue",
        ),
        migrations.RemoveIndex(
            model_name="publication",
            name="publication_withdrawal",
        ),
        migrations.AddField(
            model_name="publication",
            name="next_due_on",
            field=models.DateField(blank=True, null=True, verbose_name="待办期限"),
        ),
        migrations.AlterField(
            model_name="publication",
            name="status",
            field=models.CharField(
                choices=[
                    ("awaiting_review", "待保密审查"),
                    ("approved", "已审查待公开"),
                    ("published", "已公开"),
                    ("correction_due", "待更正"),
                    ("withdrawal_due", "待撤下"),
                    ("withdrawn", "已撤下"),
                ],
                default="awaiting_review",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["agency", "status", "next_due_on"], name="publication_queue"
            ),
        ),
    ]
