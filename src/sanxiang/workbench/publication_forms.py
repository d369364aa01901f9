"""Forms of the publisher's pages (执法决定公示): they check the input; the rules are in
``sanxiang.disclosure.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from sanxiang.disclosure.models import Publication
from sanxiang.disclosure.services import ADDED_TYPE_LABELS, ADDED_TYPES

ADD_TYPE_CHOICES = [(code, ADDED_TYPE_LABELS[code]) for code in ADDED_TYPES]


class AddRedactionForm(forms.Form):
    """Select text in the original (start/end filled in by the page), or type it."""

    text = forms.CharField(
        label="要隐去的文字",
        max_length=500,
        required=False,
        help_text="在右侧原文中选中文字即自动填入；也可直接输入原文中的文字（隐去其每一处）。",
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    type = forms.ChoiceField(label="隐去类型", choices=ADD_TYPE_CHOICES)

    def __init__(self, *args: Any, original: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.original = original

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, text = data.get("start"), data.get("end"), (data.get("text") or "")
        if start is not None and end is not None and end > start:
            if text and self.original[start:end] != text:
                # the selection and the typed text disagree: trust the text
                start = None
            else:
                data["text"] = self.original[start:end]
                return data
        if not text.strip():
            raise forms.ValidationError("请在原文中选中要隐去的文字，或输入原文中的文字。")
        at = self.original.find(text)
        if at < 0:
            raise forms.ValidationError(f"原文中没有“{text}”，请核对后重新输入。")
        data["start"], data["end"] = at, at + len(text)
        return data


class ReinstateForm(forms.Form):
    index = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(label="恢复显示的理由", max_length=500)


class ApproveForm(forms.Form):
    digest = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="我已逐处核对隐去内容，拟公开内容不涉及国家秘密、商业秘密和个人隐私",
        error_messages={"required": "请确认已逐处核对隐去内容。"},
    )


class RevocationForm(forms.Form):
    kind = forms.ChoiceField(label="撤下原因", choices=Publication.RevocationKind.choices)
    on = forms.DateField(
        label="知悉之日",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="知悉执法决定被撤销、确认违法或者要求重新作出之日，撤下期限自此起算。",
    )
    note = forms.CharField(
        label="情况说明",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：某某行政复议决定书撤销本决定。将在撤下公告中显示，请勿填写个人信息。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="更正理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    found_on = forms.DateField(
        label="发现信息不准确之日",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(
        label="更正后的决定文书全文（原文，提交后重新隐去并保密审查）",
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    facts = forms.CharField(label="事实", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label="依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.CharField(
        label="决定", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remedy = forms.CharField(
        label="救济途径", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["found_on"].initial = timezone.localdate()
