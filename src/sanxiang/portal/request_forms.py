"""Forms for what the public asks through the portal: progress query, correction request
and its tracking."""

from __future__ import annotations

from typing import Any

from django import forms

from sanxiang.disclosure.models import CorrectionRequest
from sanxiang.disclosure.public_requests import (
    CODE_LENGTH,
    EVIDENCE_MAX_FILES,
    evidence_max_bytes,
    normalise_code,
)

_CODE_ERRORS = {"required": "请输入查询码。", "max_length": "查询码为8位字母和数字。"}


class _NumberAndCode(forms.Form):
    number = forms.CharField(
        max_length=64,
        error_messages={"required": "请输入编号。", "max_length": "编号不超过64位。"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label="查询码",
        max_length=CODE_LENGTH + 4,
        error_messages=_CODE_ERRORS,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or not code.isalnum():
            raise forms.ValidationError("查询码为8位字母和数字，请核对凭证后重新输入。")
        return code


class ProgressQueryForm(_NumberAndCode):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].label = "受理编号（案件编号）"


class CorrectionTrackForm(_NumberAndCode):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].label = "申请编号"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CorrectionRequestForm(forms.Form):
    information = forms.CharField(
        label="所涉公示信息",
        max_length=500,
        help_text="公示信息的名称、决定书文号或者网页地址。",
        error_messages={"required": "请写明所涉的公示信息。"},
    )
    inaccuracy = forms.CharField(
        label="不准确之处",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请写明公示信息哪里不准确。"},
    )
    requested_correction = forms.CharField(
        label="请求更正的内容",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明请求更正为什么内容。"},
    )
    requester_kind = forms.ChoiceField(
        label="申请人类型", choices=CorrectionRequest.RequesterKind.choices
    )
    requester_name = forms.CharField(
        label="申请人姓名或名称",
        max_length=128,
        error_messages={"required": "请填写申请人姓名或者名称。"},
    )
    contact_phone = forms.CharField(label="联系电话", max_length=32, required=False)
    contact_email = forms.EmailField(
        label="电子邮箱",
        required=False,
        error_messages={"invalid": "电子邮箱格式不正确。"},
    )
    contact_address = forms.CharField(label="通讯地址", max_length=255, required=False)
    evidence = MultipleFileField(
        label="证明材料",
        required=True,
        help_text=(
            f"须提供证明信息不准确的材料（002 第二十一条）。PDF、JPEG 或 PNG，"
            f"最多{EVIDENCE_MAX_FILES}个，每个不超过{evidence_max_bytes() // (1024 * 1024)}MB。"
        ),
        error_messages={"required": "请上传证明公示信息不准确的材料（002 第二十一条）。"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("contact_phone") or data.get("contact_email")) and not self.errors.get(
            "contact_email"
        ):
            raise forms.ValidationError(
                "请至少填写一种联系方式（电话或者电子邮箱），以便书面答复。"
            )
        return data
