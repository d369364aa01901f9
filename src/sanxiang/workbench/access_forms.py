"""Forms of the confidentiality and look-up/copy pages. They check the shape of the input;
the rules (who may, the reason, the period) are in sanxiang.access.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator

from sanxiang.access import selectors as access_selectors
from sanxiang.access.models import AccessRequest


class MarkForm(forms.Form):
    level = forms.ChoiceField(label="保密标识", choices=[])
    reason = forms.CharField(
        label="标注理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,  # the service says what is missing, with the article
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = access_selectors.level_choices()


class LiftForm(forms.Form):
    reason = forms.CharField(
        label="解除理由", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class RequestForm(forms.Form):
    items = forms.MultipleChoiceField(
        label="申请调阅、复制的材料", widget=forms.CheckboxSelectMultiple, choices=[]
    )
    purpose = forms.ChoiceField(
        label="申请事项",
        choices=AccessRequest.Purpose.choices,
        widget=forms.RadioSelect,
        initial=AccessRequest.Purpose.VIEW,
        help_text="调阅：在线查阅，文书PDF加注“仅供调阅”；复制：可下载复制件，加注申请人姓名水印。",
    )
    reason = forms.CharField(
        label="申请理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # checked by the service: a specific message, with the article
        max_length=2000,
        help_text="调阅、复制须确有必要（001 河南全过程记录办法 第二十四条），请写明用途。",
    )
    days = forms.IntegerField(label="申请期限（天）", min_value=1, initial=7)
    requester_name = forms.CharField(
        label="代为登记：申请单位或个人",
        required=False,
        max_length=128,
        help_text="档案管理员代外单位或个人（如人民法院）登记时填写，复制件水印载明该名称。",
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], custodian: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        items = self.fields["items"]
        assert isinstance(items, forms.MultipleChoiceField)
        items.choices = choices
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.max_value = access_selectors.max_days()
        days.validators.append(MaxValueValidator(access_selectors.max_days()))
        self.fields[
            "days"
        ].help_text = f"最长{access_selectors.max_days()}天，由机关负责人批准时确定。"
        if not custodian:
            del self.fields["requester_name"]

    def item_keys(self) -> list[tuple[str, int]]:
        keys = []
        for value in self.cleaned_data["items"]:
            kind, _, pk = value.partition(":")
            keys.append((kind, int(pk)))
        return keys


class ApproveForm(forms.Form):
    days = forms.IntegerField(label="许可期限（天）", min_value=1)
    note = forms.CharField(
        label="审批意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.max_value = access_selectors.max_days()
        days.validators.append(MaxValueValidator(access_selectors.max_days()))
        self.fields["days"].help_text = f"自批准时起计算，最长{access_selectors.max_days()}天。"


class RefuseForm(forms.Form):
    note = forms.CharField(
        label="不予批准的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="撤销理由", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
