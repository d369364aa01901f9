"""The portal's search index of published decisions (sanxiang.disclosure.models.search).

On PostgreSQL the bigram ``tsvector`` gets a GIN index; SQLite has none and searches the
folded text alone (see sanxiang.disclosure.search).
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


GIN_INDEX = "pubsearch_vector_gin"


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {GIN_INDEX} ON disclosure_publicationsearch USING gin (search_vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0002_immutability_triggers'),
        ('org', '0002_jurisdiction_profile_choices'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicationSearch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action_type', models.CharField(choices=[('penalty', '行政处罚'), ('coercion', '行政强制'), ('inspection', '行政检查'), ('expropriation', '行政征收征用'), ('licensing', '行政许可'), ('confirmation', '行政确认'), ('payment', '行政给付'), ('reward', '行政奖励'), ('adjudication', '行政裁决')], max_length=16, verbose_name='执法行为类别')),
                ('kind', models.CharField(choices=[('decision', '执法决定'), ('inspection_result', '检查结果')], max_length=20, verbose_name='公开内容')),
                ('decided_on', models.DateField(verbose_name='决定日期')),
                ('published_at', models.DateTimeField(verbose_name='公开时间')),
                ('document_number', models.CharField(blank=True, max_length=64, verbose_name='文书号')),
                ('title', models.CharField(max_length=255, verbose_name='标题')),
                ('party_name', models.CharField(blank=True, max_length=255, verbose_name='行政相对人（已隐去）')),
                ('version_number', models.PositiveIntegerField(verbose_name='版本号')),
                ('search_text', models.TextField(verbose_name='检索文本（已隐去）')),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(blank=True, editable=False, null=True, verbose_name='检索词向量')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.agency', verbose_name='执法主体')),
                ('publication', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='search_entry', to='disclosure.publication', verbose_name='公示')),
            ],
            options={
                'verbose_name': '公示检索索引',
                'verbose_name_plural': '公示检索索引',
                'ordering': ['-decided_on', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='publicationsearch',
            index=models.Index(fields=['-decided_on', '-id'], name='pubsearch_date'),
        ),
        migrations.AddIndex(
            model_name='publicationsearch',
            index=models.Index(fields=['agency', '-decided_on', '-id'], name='pubsearch_agency'),
        ),
        migrations.AddIndex(
            model_name='publicationsearch',
            index=models.Index(fields=['action_type', '-decided_on', '-id'], name='pubsearch_type'),
        ),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
