"""Admin for the working-day calendar: a supervisor enters each year's State Council notice."""

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from sanxiang.records.admin_ledger import LedgeredAdminMixin

from .models import CalendarYear, SpecialDay


def _kind(kind: str) -> Q:
    return Q(special_days__kind=kind)


class SpecialDayInline(admin.TabularInline):
    model = SpecialDay
    extra = 3
    fields = ("date", "kind", "name")
    ordering = ("date",)


@admin.register(CalendarYear)
class CalendarYearAdmin(LedgeredAdminMixin, admin.ModelAdmin):
    list_display = ("year", "source", "holiday_count", "workday_count", "created_at")
    search_fields = ("=year", "source", "note")
    fields = ("year", "source", "note", "created_at")
    inlines = (SpecialDayInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_holiday=Count("special_days", filter=_kind(SpecialDay.Kind.HOLIDAY)),
                n_workday=Count("special_days", filter=_kind(SpecialDay.Kind.WORKDAY)),
            )
        )

    @admin.display(description="节假日天数", ordering="n_holiday")
    def holiday_count(self, obj: CalendarYear) -> int:
        return int(getattr(obj, "n_holiday", 0))

    @admin.display(description="调休上班天数", ordering="n_workday")
    def workday_count(self, obj: CalendarYear) -> int:
        return int(getattr(obj, "n_workday", 0))

    def get_readonly_fields(
        self, request: HttpRequest, obj: CalendarYear | None = None
    ) -> tuple[str, ...]:
        # The year is the primary key: changing it would create a second row, not rename this.
        if obj is not None:
            return ("year", "created_at")
        return ("created_at",)


@admin.register(SpecialDay)
class SpecialDayAdmin(LedgeredAdminMixin, admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "calendar_year")
    list_filter = ("calendar_year", "kind")
    search_fields = ("name",)
    date_hierarchy = "date"
    list_select_related = ("calendar_year",)

    @admin.display(description="星期")
    def weekday(self, obj: SpecialDay) -> str:
        return obj.weekday_name
