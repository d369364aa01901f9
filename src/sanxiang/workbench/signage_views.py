"""窗口公示牌 (事中公示): unit heads and agency heads print the 岗位信息公示牌 of a service
window — the post's duties, the matters handled with their application materials, where to
query progress, the consultation and complaint phones, and the officers on duty with a QR
code each to the public certificate check page (000 公示办法 第十五条; 001 河南公示办法
第十五条; 002 第十六条; the article comes from the profile rule ``disclosure.window_signage``).

Reads only: printing a sign changes nothing, so it writes no ledger entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.models import PowerItem, ServiceGuide, SupervisionChannel
from sanxiang.core.rules import get_profile
from sanxiang.documents.signage import Signage, SignageMatter, SignageOfficer, build_signage_pdf
from sanxiang.org.models import Agency, Certificate, Role, Unit, User
from sanxiang.org.selectors import valid_certificates

RULE_KEY = "disclosure.window_signage"
MAX_DUTIES = 15
MAX_MATTERS = 20
MAX_OFFICERS = 12
MAX_CHANNELS = 5


@dataclass(frozen=True)
class _Scope:
    agency: Agency
    units: QuerySet[Unit]


def _scope(request: HttpRequest) -> _Scope:
    """The units the user may print signs for: every active unit of the agency for its head,
    the own unit for a unit head; anyone else is refused with the reason."""
    user = request.user
    assert isinstance(user, User)
    agency = user.agency
    if agency is None or not (user.has_role(Role.AGENCY_HEAD) or user.has_role(Role.UNIT_HEAD)):
        raise PermissionDenied(
            "只有本执法主体的机关负责人或承办机构负责人可以打印窗口岗位信息公示牌。"
        )
    units = Unit.objects.filter(agency=agency, is_active=True).order_by("kind", "name")
    if not user.has_role(Role.AGENCY_HEAD):
        unit_id = user.officer.unit_id if user.officer is not None else None
        if unit_id is None:
            raise PermissionDenied("您的账号未关联所在承办机构，不能打印窗口岗位信息公示牌。")
        units = units.filter(pk=unit_id)
    return _Scope(agency=agency, units=units)


def _on_duty(unit: Unit) -> QuerySet[Certificate]:
    """Certificates valid today of the unit's officers: who may staff the window."""
    today = timezone.localdate()
    return (
        valid_certificates(today)
        .filter(officer__unit=unit)
        .select_related("officer")
        .order_by("officer__name", "officer_id", "-expires_on", "pk")
    )


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="窗口所属机构",
        queryset=Unit.objects.none(),
        empty_label="请选择",
        error_messages={"required": "请选择窗口所属机构。", "invalid_choice": "请选择列出的机构。"},
    )

    def __init__(self, *args: object, units: QuerySet[Unit], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class _OfficerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Certificate) -> str:
        return f"{obj.officer.name}（{obj.officer.post}，执法证号 {obj.number}）"


class SignageForm(UnitForm):
    post = forms.CharField(
        label="窗口岗位名称",
        max_length=40,
        error_messages={"required": "请填写窗口岗位名称，如“综合受理窗口”。"},
    )
    officers = _OfficerChoice(
        label="在岗工作人员",
        queryset=Certificate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少选择一名在岗工作人员。",
            "invalid_choice": "所选人员不是该机构持有效执法证的人员。",
        },
    )

    def __init__(
        self, *args: object, units: QuerySet[Unit], unit: Unit | None, **kwargs: object
    ) -> None:
        super().__init__(*args, units=units, **kwargs)
        field = self.fields["officers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = _on_duty(unit) if unit is not None else Certificate.objects.none()

    def clean_officers(self) -> list[Certificate]:
        chosen = list(self.cleaned_data["officers"])
        if len(chosen) > MAX_OFFICERS:
            raise forms.ValidationError(f"一块公示牌最多列{MAX_OFFICERS}名在岗工作人员。")
        return chosen


def _progress_url(request: HttpRequest) -> str:
    try:
        return request.build_absolute_uri(reverse("portal:progress"))
    except NoReverseMatch:  # the portal without a progress page: its home
        return request.build_absolute_uri(reverse("portal:home"))


def build_sheet(
    request: HttpRequest, *, agency: Agency, unit: Unit, post: str, certificates: list[Certificate]
) -> Signage:
    """The sheet's content, from the current lists and the officers chosen."""
    powers = catalog.published(PowerItem, agency=agency).filter(unit=unit)[: MAX_DUTIES + 1]
    duties = [f"{p.name}（{p.get_category_display()}）：{p.responsibility.strip()}" for p in powers]
    if len(duties) > MAX_DUTIES:
        duties = [*duties[:MAX_DUTIES], "其他事项详见本机关权责清单。"]
    guides = (
        catalog.published(ServiceGuide, agency=agency)
        .filter(matter__unit=unit)
        .order_by("matter__code", "pk")[:MAX_MATTERS]
    )
    matters = [
        SignageMatter(
            name=g.matter.name,
            time_limit=g.time_limit,
            materials=g.materials_list,
            guide_url=request.build_absolute_uri(
                reverse("portal:service_guide", args=[agency.pk, g.pk])
            ),
        )
        for g in guides
    ]
    channels = [
        f"{c.name}：{c.phone or c.url or c.address or c.description[:40]}"
        for c in catalog.published(SupervisionChannel, agency=agency)[:MAX_CHANNELS]
    ]
    officers = [
        SignageOfficer(
            name=c.officer.name,
            post=c.officer.post,
            certificate_number=c.number,
            category=c.category,
            url=request.build_absolute_uri(reverse("portal:certificate", args=[c.number])),
        )
        for c in certificates
    ]
    profile = get_profile(agency.rule_profile_code)
    return Signage(
        agency=agency.name,
        unit=unit.name,
        post=post,
        duties=duties,
        matters=matters,
        progress_url=_progress_url(request),
        consultation_phone=agency.phone,
        complaint_phone=agency.complaint_phone,
        supervision=channels,
        officers=officers,
        basis=profile.public_citation(profile.rule(RULE_KEY).source),
        date=timezone.localdate(),
        lists_url=request.build_absolute_uri(reverse("portal:powers", args=[agency.pk])),
    )


@login_required
@require_GET
def signage(request: HttpRequest) -> HttpResponse:
    """Step 1 choose the unit; step 2 name the post and tick the officers; then the PDF."""
    scope = _scope(request)
    unit_form = UnitForm(request.GET if "unit" in request.GET else None, units=scope.units)
    unit = unit_form.cleaned_data["unit"] if unit_form.is_valid() else None
    form = None
    if unit is not None:
        form = SignageForm(
            request.GET if "post" in request.GET else None,
            units=scope.units,
            unit=unit,
            initial={"unit": unit},
        )
        if form.is_bound and form.is_valid():
            sheet = build_sheet(
                request,
                agency=scope.agency,
                unit=unit,
                post=form.cleaned_data["post"].strip(),
                certificates=form.cleaned_data["officers"],
            )
            response = HttpResponse(build_signage_pdf(sheet), content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(
                as_attachment=True, filename=f"岗位信息公示牌-{unit.name}-{sheet.post}.pdf"
            )
            return response
    profile = get_profile(scope.agency.rule_profile_code)
    rule = profile.rule(RULE_KEY)
    return render(
        request,
        "workbench/signage/signage.html",
        {
            "agency": scope.agency,
            "unit_form": unit_form,
            "unit": unit,
            "form": form,
            "rule": rule,
            "basis": profile.public_citation(rule.source),
        },
    )


urlpatterns: list[URLPattern] = [
    path("signage/", signage, name="signage"),
]
