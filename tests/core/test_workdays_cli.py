"""`sanxiang workdays` subcommands."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.core.models import CalendarYear, SpecialDay

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_add():
    assert run("add", "2026-09-30", "7") == "2026-10-15"


def test_add_calendar_days():
    assert run("add", "2026-09-24", "10", "--calendar-days") == "2026-10-08"


def test_between():
    assert run("between", "2026-09-30", "2026-10-12") == "4"
    assert run("between", "2026-10-12", "2026-09-30") == "-4"


@pytest.mark.parametrize("bad", ["2026-02-30", "abc", "2026/09/30", ""])
def test_bad_date(bad):
    with pytest.raises(CommandError, match=r"日期“.*”无效"):
        run("add", bad, "7")
    with pytest.raises(CommandError, match="无效"):
        run("between", "2026-09-30", bad)


def test_bad_count():
    with pytest.raises(CommandError, match="不是整数"):
        run("add", "2026-09-30", "seven")
    with pytest.raises(CommandError, match="不能为负数"):
        run("add", "2026-09-30", "-1")


def test_uncovered_year():
    with pytest.raises(CommandError, match="工作日历未包含2027年") as exc:
        run("add", "2027-03-01", "5")
    assert exc.value.returncode == 1
    with pytest.raises(CommandError, match="2027年"):
        run("add", "2026-12-28", "10")
    with pytest.raises(CommandError, match="2027年"):
        run("show", "2027")


def test_seed_skips_present_years():
    before = SpecialDay.objects.count()
    assert "已存在，跳过：2025、2026" in run("seed", "--from", "2025", "--to", "2026")
    assert SpecialDay.objects.count() == before


def test_seed_missing_year_is_refused_whole():
    CalendarYear.objects.filter(year=2026).delete()
    with pytest.raises(CommandError, match="未收录2027年"):
        run("seed", "--from", "2026", "--to", "2027")
    # All or nothing: 2026 was not imported on its own.
    assert not CalendarYear.objects.filter(year=2026).exists()
    assert run("seed", "--from", "2026") == "已导入：2026"
    assert CalendarYear.objects.filter(year=2026).exists()


def test_seed_bad_year():
    with pytest.raises(CommandError, match="不是整数"):
        run("seed", "--from", "abc")


def test_show():
    lines = run("show", "2026").splitlines()
    assert lines[0].startswith("2026年")
    assert "2026-10-10  周六  调休上班日  国庆节" in lines
    assert "2026-10-01  周四  法定节假日/休息日  国庆节" in lines
