"""The staff agency page shows the list updates with their due days (000 公示办法 第二十一条),
late ones first; the portal's list pages take a fixed number of queries however long the
list (pagination, no per-row queries)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from sanxiang.catalog import services
from sanxiang.catalog.models import PowerCategory, PowerItem
from tests.catalog.conftest import make_power, make_standard


def test_agency_page_lists_a_late_update_with_its_due_day(client, agency, head):
    power = make_power(head, agency)
    change = datetime.date(2026, 9, 29)
    if timezone.localdate() < change:  # the change day may not lie in the future
        change = timezone.localdate() - datetime.timedelta(days=30)
    new = services.revise_item(
        power,
        actor=head,
        change_note="法律修正",
        change_occurred_on=change,
        basis="《中华人民共和国食品安全法》第一百二十二条",
    )
    late = timezone.make_aware(datetime.datetime(2026, 11, 20, 10))
    PowerItem.objects.filter(pk=new.pk).update(created_at=late)
    client.force_login(head)
    html = client.get(reverse("workbench:agency", args=[agency.pk])).content.decode()
    assert "公示清单更新" in html
    assert "变动之日起7个工作日内更新（000 公示办法 第二十一条）" in html
    assert "法律修正" in html
    assert "逾期更新" in html


def test_list_pages_take_a_fixed_number_of_queries(
    client, agency, head, django_assert_max_num_queries
):
    for n in range(30):
        power = make_power(
            head, agency, code=f"SJ-CF-{n:04d}", violation=f"违法行为{n}", name=f"处罚事项{n}"
        )
        if n < 12:
            make_standard(head, power, violation=f"违法行为{n}")
    for n in range(5):
        make_power(head, agency, code=f"SJ-QT-{n:04d}", category=PowerCategory.OTHER, violation="")
    for name in ("powers", "discretion"):
        with django_assert_max_num_queries(12):
            response = client.get(reverse(f"portal:{name}", args=[agency.pk]))
        assert response.status_code == 200
