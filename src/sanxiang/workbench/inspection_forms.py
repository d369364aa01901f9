"""Forms of the 双随机、一公开 pages. They check the shape of the input; the inspection services
apply the rules (each refusal naming its article)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from sanxiang.catalog import selectors as catalog_selectors
from sanxiang.catalog.models import RandomInspectionItem
from sanxiang.inspections.models import MIN_INSPECTORS, InspectionTarget
from sanxiang.org.models import Agency, Officer, Unit

TEXT = forms.TextInput
DATE = forms.DateInput(attrs={"type": "date"})


class MatterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（抽查比例{obj.ratio.normalize():f}%，{obj.frequency}）"


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.post}）"


class PlanForm(forms.Form):
    matter = MatterChoice(label="随机抽查事项", queryset=RandomInspectionItem.objects.none())
    title = forms.CharField(label="抽查任务名称", max_length=255)
    period_start = forms.DateField(label="抽查期间起", widget=DATE)
    period_end = forms.DateField(label="抽查期间止", widget=DATE)
    target_category = forms.CharField(
        label="检查对象行业类别",
        max_length=64,
        help_text="检查对象名录库中该行业类别的在库对象进入待抽取名单。",
    )
    ratio = forms.DecimalField(
        label="抽查比例（%）",
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text="留空则按随机抽查事项清单公示的比例；只能提高，不能降低。",
    )
    ratio_reason = forms.CharField(label="提高抽查比例的理由", required=False, max_length=255)
    inspectors_per_target = forms.IntegerField(
        label="每个对象选派检查人员数",
        initial=MIN_INSPECTORS,
        min_value=MIN_INSPECTORS,
        max_value=10,
        error_messages={
            "min_value": "每个检查对象至少选派2名执法人员（《中华人民共和国行政处罚法》第四十二条）。"
        },
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["matter"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = catalog_selectors.in_force(
            RandomInspectionItem, on=timezone.localdate(), agency=agency
        )


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label="对象类型", choices=InspectionTarget.Kind.choices)
    name = forms.CharField(label="名称或姓名", max_length=128)
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=32)
    id_number = forms.CharField(label="身份证号码（自然人，不公开）", required=False, max_length=32)
    representative = forms.CharField(label="法定代表人（负责人）", required=False, max_length=32)
    address = forms.CharField(label="地址", required=False, max_length=255)
    category = forms.CharField(label="行业类别", max_length=64)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV 文件（UTF-8）",
        help_text="第1行为表头：类型,名称,统一社会信用代码,身份证号码,法定代表人,地址,行业类别。",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=255)


class ExcludeForm(forms.Form):
    officer = OfficerChoice(label="执法人员", queryset=Officer.objects.none())
    reason = forms.CharField(label="排除原因", max_length=255)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Officer.objects.filter(agency=agency, left_on__isnull=True).order_by(
            "name"
        )


class ConflictForm(ExcludeForm):
    target = forms.CharField(
        label="检查对象（名录库编号或统一社会信用代码）",
        max_length=32,
    )
    field_order = ["officer", "target", "reason"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, agency=agency, **kwargs)
        self.agency = agency
        self.fields["reason"].label = "回避原因"

    def clean_target(self) -> InspectionTarget:
        value = self.cleaned_data["target"].strip().upper()
        qs = InspectionTarget.objects.filter(agency=self.agency)
        target = (
            qs.filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None
        ) or qs.filter(uscc=value).first()
        if target is None:
            raise forms.ValidationError("名录库中没有该编号或统一社会信用代码的检查对象。")
        return target


class TasksForm(forms.Form):
    unit = forms.ModelChoiceField(label="承办机构", queryset=Unit.objects.none())

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(
            agency=agency, is_active=True, kind=Unit.Kind.HANDLING
        ).order_by("name")
